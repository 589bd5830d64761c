package dev.steptorch.nn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Conv2d and MaxPool2d, which run on step 2's window primitives (unfold, fold, max pooling with
 * indices), against the readable definition in {@link Windows}: the windows as a strided view of
 * the padded input, and col2im as adds into strided views. Forward and backward, in float32 and
 * float64, with kernel size, stride and padding drawn per axis.
 */
class WindowPrimitivesProperties {
    private record Case(Tensor x, Tensor w, Tensor b, int[] kernel, int[] stride, int[] padding) {
    }

    @Provide
    Arbitrary<DType> floats() {
        return Arbitraries.of(DType.FLOAT32, DType.FLOAT64);
    }

    private static Case randomCase(long seed, DType dtype, boolean pooling) {
        Random r = new Random(seed);
        int[] k = {1 + r.nextInt(4), 1 + r.nextInt(4)};
        int[] stride = {1 + r.nextInt(3), 1 + r.nextInt(3)};
        int[] padding = {r.nextInt(pooling ? k[0] / 2 + 1 : 3), r.nextInt(pooling ? k[1] / 2 + 1 : 3)};
        int n = 1 + r.nextInt(3);
        int c = 1 + r.nextInt(3);
        int h = Math.max(1, k[0] - 2 * padding[0]) + r.nextInt(6);
        int w = Math.max(1, k[1] - 2 * padding[1]) + r.nextInt(6);
        Torch.manualSeed(seed);
        Options o = Options.dtype(dtype);
        int outC = 1 + r.nextInt(4);
        return new Case(Torch.randn(o, n, c, h, w), Torch.randn(o, outC, c, k[0], k[1]), Torch.randn(o, outC), k, stride,
                padding);
    }

    private static double tolerance(DType dtype) {
        return dtype == DType.FLOAT32 ? 1e-4 : 1e-10;
    }

    @Property(tries = 60)
    void convolutionMatchesTheViewDefinition(@ForAll("floats") DType dtype, @ForAll long seed) {
        Case c = randomCase(seed, dtype, false);
        Tensor x = c.x().clone().requiresGrad_(true);
        Tensor w = c.w().clone().requiresGrad_(true);
        Tensor b = c.b().clone().requiresGrad_(true);
        Tensor out = F.conv2d(x, w, b, c.stride(), c.padding());

        int[] s = c.x().shape();
        int ph = c.padding()[0], pw = c.padding()[1];
        Tensor win = Windows.windows(Windows.pad(c.x(), ph, pw, 0), c.kernel()[0], c.kernel()[1], c.stride()[0],
                c.stride()[1]);
        int outH = win.size(2), outW = win.size(3), outC = c.w().size(0);
        Tensor rows = win.permute(0, 2, 3, 1, 4, 5).reshape(s[0] * outH * outW, -1);
        Tensor w2d = c.w().reshape(outC, -1);
        Tensor expected = rows.mm(w2d.t()).view(s[0], outH, outW, outC).permute(0, 3, 1, 2).add(c.b().view(1, outC, 1, 1));
        double tol = tolerance(dtype);
        assertThat(out.detach().allclose(expected, tol, tol)).as("forward").isTrue();

        Tensor grad = Torch.randn(Options.dtype(dtype), out.shape());
        out.backward(grad);
        Tensor grad2d = grad.permute(0, 2, 3, 1).reshape(-1, outC);
        Tensor gradWindows = grad2d.mm(w2d).view(s[0], outH, outW, s[1], c.kernel()[0], c.kernel()[1])
                .permute(0, 3, 1, 2, 4, 5);
        Tensor gradX = Windows.foldBack(gradWindows, s[2], s[3], ph, pw, c.stride()[0], c.stride()[1]);
        assertThat(x.grad().allclose(gradX, tol, tol)).as("input gradient").isTrue();
        assertThat(w.grad().allclose(grad2d.t().mm(rows).view(c.w().shape()), tol, tol)).as("weight gradient").isTrue();
        assertThat(b.grad().allclose(grad.sum(new int[] {0, 2, 3}, false), tol, tol)).as("bias gradient").isTrue();
    }

    @Property(tries = 60)
    void poolingMatchesTheViewDefinition(@ForAll("floats") DType dtype, @ForAll long seed) {
        Case c = randomCase(seed, dtype, true);
        int[] k = c.kernel();
        int ph = c.padding()[0], pw = c.padding()[1];
        Tensor x = c.x().clone().requiresGrad_(true);
        Tensor out = F.maxPool2d(x, k, c.stride(), c.padding());

        Tensor win = Windows.windows(Windows.pad(c.x(), ph, pw, Double.NEGATIVE_INFINITY), k[0], k[1], c.stride()[0],
                c.stride()[1]);
        int[] ws = win.shape();
        Tensor.ValuesIndices max = win.reshape(ws[0], ws[1], ws[2], ws[3], k[0] * k[1]).max(-1, false);
        assertThat(out.detach().equal(max.values())).as("forward").isTrue();

        Tensor grad = Torch.randn(Options.dtype(dtype), out.shape());
        out.backward(grad);
        // the gradient goes to the window offset the maximum came from, and the windows fold back
        Tensor offsets = Torch.arange(0, k[0] * k[1], 1, Options.dtype(DType.INT64));
        Tensor oneHot = max.indices().unsqueeze(-1).eq(offsets).to(dtype);
        Tensor gradWindows = oneHot.mul(grad.unsqueeze(-1)).view(ws[0], ws[1], ws[2], ws[3], k[0], k[1]);
        Tensor gradX = Windows.foldBack(gradWindows, c.x().size(2), c.x().size(3), ph, pw, c.stride()[0], c.stride()[1]);
        double tol = tolerance(dtype);
        assertThat(x.grad().allclose(gradX, tol, tol)).as("input gradient").isTrue();
    }
}
