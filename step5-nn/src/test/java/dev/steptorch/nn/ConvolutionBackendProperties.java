package dev.steptorch.nn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The two CPU backends of conv2d give the same output and gradients: the columns (im2col + mm,
 * which the float64 gradchecks prove) and the direct one that float32 convolutions with stride 1
 * and no padding take. Sometimes the input needs no gradient (a first layer), so that backward
 * makes no columns at all; sometimes there is no bias.
 */
class ConvolutionBackendProperties {
    private static final Options F32 = Options.dtype(DType.FLOAT32);

    @Property(tries = 40)
    void directAndColumnsAgree(@ForAll long seed) {
        Random r = new Random(seed);
        int n = 1 + r.nextInt(5), c = 1 + r.nextInt(4), o = 1 + r.nextInt(17);
        int kh = 1 + r.nextInt(5), kw = 1 + r.nextInt(5);
        int h = kh + r.nextInt(r.nextBoolean() ? 3 : 24), w = kw + r.nextInt(r.nextBoolean() ? 3 : 24);
        boolean inputGrad = r.nextBoolean(), withBias = r.nextBoolean();
        Torch.manualSeed(seed);
        Tensor x = Torch.randn(F32, n, c, h, w), weight = Torch.randn(F32, o, c, kh, kw), bias = Torch.randn(F32, o);
        Tensor g = Torch.randn(F32, n, o, h - kh + 1, w - kw + 1);
        Tensor[][] results = new Tensor[2][];
        boolean direct = ConvolutionOp.direct;
        try {
            for (int backend = 0; backend < 2; backend++) {
                ConvolutionOp.direct = backend == 0;
                Tensor xi = x.detach().requiresGrad_(inputGrad), wi = weight.detach().requiresGrad_(true);
                Tensor bi = withBias ? bias.detach().requiresGrad_(true) : null;
                Tensor out = F.conv2d(xi, wi, bi);
                out.mul(g).sum().backward();
                results[backend] = new Tensor[] {out, inputGrad ? xi.grad() : null, wi.grad(), withBias ? bi.grad() : null};
            }
        } finally {
            ConvolutionOp.direct = direct;
        }
        String what = "input " + x.size() + ", weight " + weight.size();
        String[] names = {"output", "input gradient", "weight gradient", "bias gradient"};
        for (int i = 0; i < names.length; i++) {
            if (results[1][i] == null) {
                assertThat(results[0][i]).as("%s: %s", names[i], what).isNull();
                continue;
            }
            double[] direct0 = results[0][i].toDoubleArray(), columns = results[1][i].toDoubleArray();
            assertThat(direct0).as("%s: %s", names[i], what).hasSameSizeAs(columns);
            for (int j = 0; j < columns.length; j++) {
                double tolerance = 1e-4 * (1 + Math.abs(columns[j])) * Math.sqrt(1 + n * h * w);
                assertThat(direct0[j]).as("%s, element %d: %s", names[i], j, what).isCloseTo(columns[j],
                        org.assertj.core.data.Offset.offset(tolerance));
            }
        }
    }
}
