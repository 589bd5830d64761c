package dev.steptorch.tensor.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * {@code correlate2d} and its weight and input gradients in float32, which the CPU computes without
 * columns ({@link DirectConvolution}), against their definition with them, in float64: the output
 * is {@code weight . unfold(input)}, the weight gradient {@code grad . unfold(input)^T} and the
 * input gradient {@code fold(weight^T . grad)}. Random shapes cover spans shorter than one tile
 * of positions and longer, ragged ends, 1 to 4 input channels and 6 (LeNet's second layer),
 * output channels that are not a multiple of the kernel's 6 rows and ones that fill whole
 * vectors, column rows not a multiple of 4, 6 or 12, batches whose gradients run in several
 * blocks of images, and inputs that are transposed or offset views.
 */
class DirectConvolutionProperties {
    private static final Options F32 = Options.dtype(DType.FLOAT32);
    private static final Options F64 = Options.dtype(DType.FLOAT64);

    @Property(tries = 100)
    void forwardIsTheProductWithTheColumns(@ForAll long seed) {
        Case k = Case.random(seed);
        Tensor out = Torch.correlate2d(k.x, k.w);
        int[] s = k.x.shape();
        int outH = s[2] - k.w.size(2) + 1, outW = s[3] - k.w.size(3) + 1;
        assertThat(out.shape()).containsExactly(s[0], k.w.size(0), outH, outW);
        Tensor cols = Torch.unfold(k.x.to(DType.FLOAT64), k.w.size(2), k.w.size(3), 1, 1, 0, 0);
        Tensor expected = k.w.to(DType.FLOAT64).reshape(k.w.size(0), -1).mm(cols)
                .view(k.w.size(0), s[0], outH, outW).permute(1, 0, 2, 3);
        assertClose(out, expected, k);
    }

    @Property(tries = 100)
    void weightGradIsTheProductOfTheGradientWithTheColumns(@ForAll long seed) {
        Case k = Case.random(seed);
        int o = k.w.size(0), kh = k.w.size(2), kw = k.w.size(3);
        Tensor g = k.outputGrad(seed);
        Tensor gw = Torch.correlate2dWeight(k.x, g, kh, kw);
        assertThat(gw.shape()).containsExactly(k.w.shape());
        Tensor cols = Torch.unfold(k.x.to(DType.FLOAT64), kh, kw, 1, 1, 0, 0);
        Tensor g2d = g.to(DType.FLOAT64).permute(1, 0, 2, 3).reshape(o, -1);
        assertClose(gw, g2d.mm(cols.t()).view(k.w.shape()), k);
    }

    @Property(tries = 100)
    void inputGradIsTheFoldOfTheWeightTimesTheGradient(@ForAll long seed) {
        Case k = Case.random(seed);
        int[] s = k.x.shape();
        int o = k.w.size(0), kh = k.w.size(2), kw = k.w.size(3);
        Tensor g = k.outputGrad(seed);
        if (seed % 3 == 0) {
            // a gradient that is a view, as permuted and narrowed ones arrive from backward
            g = Torch.cat(1, g, Torch.zerosLike(g).narrow(1, 0, 1)).narrow(1, 0, o);
        }
        Tensor gi = Torch.correlate2dInput(k.w, g);
        assertThat(gi.shape()).containsExactly(s);
        Tensor w2d = k.w.to(DType.FLOAT64).reshape(o, -1);
        Tensor g2d = g.to(DType.FLOAT64).permute(1, 0, 2, 3).reshape(o, -1);
        assertClose(gi, Torch.fold(w2d.t().mm(g2d), s, kh, kw, 1, 1, 0, 0), k);
    }

    private static void assertClose(Tensor actual, Tensor expected, Case k) {
        double[] a = actual.toDoubleArray(), e = expected.contiguous().toDoubleArray();
        assertThat(a).hasSameSizeAs(e);
        // float32 sums of up to a few thousand products of standard normals
        double tolerance = 1e-5 * Math.sqrt(k.x.numel() + 1.0) * 10;
        for (int i = 0; i < a.length; i++) {
            assertThat(a[i]).as("%s, element %d", k, i).isCloseTo(e[i], org.assertj.core.data.Offset.offset(tolerance * (1 + Math.abs(e[i]))));
        }
    }

    /** An input [N, C, H, W] in float32, sometimes a transposed or offset view, and a weight [O, C, kh, kw]. */
    private record Case(Tensor x, Tensor w) {
        static Case random(long seed) {
            Random r = new Random(seed);
            // one case in eight has spans over 2,048 positions, so that the weight gradient takes its images in several blocks
            boolean big = r.nextInt(8) == 0;
            // one case in five has LeNet's second layer's 6 input channels: the input gradient's tiles then add in place
            int n = big ? 5 + r.nextInt(6) : 1 + r.nextInt(4), c = r.nextInt(5) == 0 ? 6 : 1 + r.nextInt(4);
            // one case in four has output channels that fill one or two vectors, for the weight gradient's channel lanes
            int o = r.nextInt(4) == 0 ? ChannelLanes.LANES * (1 + r.nextInt(2)) : 1 + r.nextInt(17);
            int kh = 1 + r.nextInt(6), kw = 1 + r.nextInt(6);
            // spans from a few positions to several tiles of 48
            int h = kh + (big ? 44 : r.nextInt(r.nextBoolean() ? 4 : 28)), w = kw + (big ? 44 : r.nextInt(r.nextBoolean() ? 4 : 28));
            Torch.manualSeed(seed);
            Tensor x = Torch.randn(F32, n, c, h, w);
            switch (r.nextInt(3)) {
                case 0 -> x = x.transpose(2, 3).contiguous().transpose(2, 3);
                case 1 -> x = Torch.cat(0, Torch.zeros(F32, 1, c, h, w), x).narrow(0, 1, n);
                default -> { }
            }
            return new Case(x, Torch.randn(F32, o, c, kh, kw));
        }

        /** A random gradient of the output [N, O, H - kh + 1, W - kw + 1]. */
        Tensor outputGrad(long seed) {
            int[] s = x.shape();
            Torch.manualSeed(seed);
            return Torch.randn(F32, s[0], w.size(0), s[2] - w.size(2) + 1, s[3] - w.size(3) + 1);
        }

        @Override
        public String toString() {
            return "input " + x.size() + ", weight " + w.size();
        }
    }
}
