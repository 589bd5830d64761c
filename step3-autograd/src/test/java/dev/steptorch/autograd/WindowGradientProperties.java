package dev.steptorch.autograd;

import static dev.steptorch.autograd.NumericalCheck.check;
import static dev.steptorch.autograd.NumericalCheck.distinct;
import static dev.steptorch.autograd.NumericalCheck.numel;
import static dev.steptorch.autograd.NumericalCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steptorch.autograd.NumericalCheck.Arg;
import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * The rows of the window ops in {@link Derivatives}, checked against central differences in
 * float64: unfold, fold, max pooling, and max pooling's backward (linear in its gradient), on
 * random shapes with kernel size, stride and padding drawn per axis; and the stride-1
 * correlation and its weight gradient, in both operands each.
 */
class WindowGradientProperties {
    /** kh, kw, sh, sw, ph, pw and an input shape [N, C, H, W] the window fits; padding at most half the kernel. */
    private static int[][] window(Random r) {
        int kh = 1 + r.nextInt(3), kw = 1 + r.nextInt(3);
        int ph = r.nextInt(kh / 2 + 1), pw = r.nextInt(kw / 2 + 1);
        int[] win = {kh, kw, 1 + r.nextInt(2), 1 + r.nextInt(2), ph, pw};
        int[] shape = {1 + r.nextInt(2), 1 + r.nextInt(2), Math.max(1, kh - 2 * ph) + r.nextInt(3),
            Math.max(1, kw - 2 * pw) + r.nextInt(3)};
        return new int[][] {win, shape};
    }

    private static int[] columnsShape(int[] k, int[] s) {
        int outH = (s[2] + 2 * k[4] - k[0]) / k[2] + 1, outW = (s[3] + 2 * k[5] - k[1]) / k[3] + 1;
        return new int[] {s[1] * k[0] * k[1], s[0] * outH * outW};
    }

    @Property(tries = 40)
    void unfold(@ForAll long seed) {
        Random r = new Random(seed);
        int[][] w = window(r);
        int[] k = w[0];
        check("unfold", r, x -> Torch.unfold(x[0], k[0], k[1], k[2], k[3], k[4], k[5]), uniform(r, w[1], -1, 1));
    }

    @Property(tries = 40)
    void fold(@ForAll long seed) {
        Random r = new Random(seed);
        int[][] w = window(r);
        int[] k = w[0];
        check("fold", r, x -> Torch.fold(x[0], w[1], k[0], k[1], k[2], k[3], k[4], k[5]),
                uniform(r, columnsShape(k, w[1]), -1, 1));
    }

    /** N, C, H, W, O, kh, kw of a stride-1 correlation, each kernel side at most its input side. */
    private static int[] correlation(Random r) {
        int kh = 1 + r.nextInt(3), kw = 1 + r.nextInt(3);
        return new int[] {1 + r.nextInt(2), 1 + r.nextInt(2), kh + r.nextInt(3), kw + r.nextInt(3), 1 + r.nextInt(3), kh, kw};
    }

    @Property(tries = 30)
    void correlate2d(@ForAll long seed) {
        Random r = new Random(seed);
        int[] c = correlation(r);
        check("correlate2d", r, x -> Torch.correlate2d(x[0], x[1]),
                uniform(r, new int[] {c[0], c[1], c[2], c[3]}, -1, 1), uniform(r, new int[] {c[4], c[1], c[5], c[6]}, -1, 1));
    }

    @Property(tries = 30)
    void correlate2dWeight(@ForAll long seed) {
        Random r = new Random(seed);
        int[] c = correlation(r);
        check("correlate2dWeight", r, x -> Torch.correlate2dWeight(x[0], x[1], c[5], c[6]),
                uniform(r, new int[] {c[0], c[1], c[2], c[3]}, -1, 1),
                uniform(r, new int[] {c[0], c[4], c[2] - c[5] + 1, c[3] - c[6] + 1}, -1, 1));
    }

    @Property(tries = 30)
    void correlate2dInput(@ForAll long seed) {
        Random r = new Random(seed);
        int[] c = correlation(r);
        check("correlate2dInput", r, x -> Torch.correlate2dInput(x[0], x[1]),
                uniform(r, new int[] {c[4], c[1], c[5], c[6]}, -1, 1),
                uniform(r, new int[] {c[0], c[4], c[2] - c[5] + 1, c[3] - c[6] + 1}, -1, 1));
    }

    /** Distinct values, so that a small step never changes which element is each window's maximum. */
    @Property(tries = 40)
    void maxPool2dWithIndices(@ForAll long seed) {
        Random r = new Random(seed);
        int[][] w = window(r);
        int[] k = w[0];
        check("max_pool2d", r, x -> Torch.maxPool2dWithIndices(x[0], k[0], k[1], k[2], k[3], k[4], k[5]).values(),
                distinct(r, w[1]));
    }

    @Property(tries = 40)
    void maxPool2dBackwardInItsGradient(@ForAll long seed) {
        Random r = new Random(seed);
        int[][] w = window(r);
        int[] k = w[0];
        Tensor input = Torch.tensor(distinct(r, w[1]).values(), Options.dtype(DType.FLOAT64)).reshape(w[1]);
        Tensor indices = Torch.maxPool2dWithIndices(input, k[0], k[1], k[2], k[3], k[4], k[5]).indices();
        Arg grad = uniform(r, indices.shape(), -1, 1);
        assertThat(numel(indices.shape())).isPositive();
        check("max_pool2d backward", r, x -> Torch.maxPool2dBackward(x[0], indices, w[1]), grad);
    }

    @Test
    void theNodesHavePyTorchsNames() {
        Tensor x = Torch.randn(Options.dtype(DType.FLOAT64).withRequiresGrad(true), 1, 2, 4, 4);
        Tensor cols = Torch.unfold(x, 2, 2, 1, 1, 0, 0);
        assertThat(cols.gradFn().name()).isEqualTo("Im2ColBackward0");
        assertThat(Torch.fold(cols, new int[] {1, 2, 4, 4}, 2, 2, 1, 1, 0, 0).gradFn().name()).isEqualTo("Col2ImBackward0");
        Tensor.ValuesIndices max = Torch.maxPool2dWithIndices(x, 2, 2, 2, 2, 0, 0);
        assertThat(max.values().gradFn().name()).isEqualTo("MaxPool2DWithIndicesBackward0");
        assertThat(max.indices().requiresGrad()).isFalse();
        Tensor w = Torch.randn(Options.dtype(DType.FLOAT64).withRequiresGrad(true), 3, 2, 2, 2);
        Tensor y = Torch.correlate2d(x, w);
        assertThat(y.gradFn().name()).isEqualTo("ConvolutionBackward0");
        assertThat(Torch.correlate2dWeight(x, y, 2, 2).gradFn().name()).isEqualTo("ConvolutionBackwardBackward0");
        assertThat(Torch.correlate2dInput(w, y).gradFn().name()).isEqualTo("ConvolutionBackwardBackward0");
    }
}
