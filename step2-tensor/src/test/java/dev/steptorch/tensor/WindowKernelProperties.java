package dev.steptorch.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The CPU window kernels (unfold, fold, max pooling and its backward) against their definitions
 * written as plain loops over every index, in float32 and float64, on random shapes, strides and
 * padding that differ per axis, with non-contiguous inputs.
 */
class WindowKernelProperties {
    @Provide
    Arbitrary<DType> floats() {
        return Arbitraries.of(DType.FLOAT32, DType.FLOAT64);
    }

    /** cols[(c, i, j)][(b, oh, ow)] = x[b, c, oh * sh - ph + i, ow * sw - pw + j], or 0 in the padding. */
    static double[] unfoldByDefinition(WindowCase k) {
        int[] s = k.x().shape();
        double[] x = k.x().toDoubleArray();
        int outH = k.outH(), outW = k.outW(), width = s[0] * outH * outW;
        double[] cols = new double[s[1] * k.kh() * k.kw() * width];
        for (int c = 0; c < s[1]; c++) {
            for (int i = 0; i < k.kh(); i++) {
                for (int j = 0; j < k.kw(); j++) {
                    for (int b = 0; b < s[0]; b++) {
                        for (int oh = 0; oh < outH; oh++) {
                            for (int ow = 0; ow < outW; ow++) {
                                int y = oh * k.sh() - k.ph() + i, xx = ow * k.sw() - k.pw() + j;
                                boolean inside = y >= 0 && y < s[2] && xx >= 0 && xx < s[3];
                                int row = (c * k.kh() + i) * k.kw() + j, col = (b * outH + oh) * outW + ow;
                                cols[row * width + col] = inside ? x[((b * s[1] + c) * s[2] + y) * s[3] + xx] : 0;
                            }
                        }
                    }
                }
            }
        }
        return cols;
    }

    @Property(tries = 150)
    void unfoldCopiesEveryWindowPixelIntoItsColumn(@ForAll("floats") DType dtype, @ForAll long seed) {
        WindowCase k = WindowCase.forColumns(seed, dtype);
        Tensor cols = Torch.unfold(k.x(), k.kh(), k.kw(), k.sh(), k.sw(), k.ph(), k.pw());
        int[] s = k.x().shape();
        assertThat(cols.shape()).as(k.toString())
                .containsExactly(s[1] * k.kh() * k.kw(), s[0] * k.outH() * k.outW());
        assertThat(cols.dtype()).isEqualTo(dtype);
        assertThat(cols.toDoubleArray()).as(k.toString()).isEqualTo(unfoldByDefinition(k));
    }

    /**
     * fold is the adjoint of unfold: {@code <unfold(x), y> = <x, fold(y)>} for every x and y, which
     * is exactly "each entry is added back to the pixel it was copied from".
     */
    @Property(tries = 150)
    void foldIsTheAdjointOfUnfold(@ForAll("floats") DType dtype, @ForAll long seed) {
        WindowCase k = WindowCase.forColumns(seed, dtype);
        Torch.manualSeed(seed);
        int[] s = k.x().shape();
        Tensor cols = Torch.randn(Options.dtype(dtype), s[1] * k.kh() * k.kw(), s[0] * k.outH() * k.outW());
        Tensor folded = Torch.fold(cols, s, k.kh(), k.kw(), k.sh(), k.sw(), k.ph(), k.pw());
        assertThat(folded.shape()).containsExactly(s);
        double lhs = dot(unfoldByDefinition(k), cols.toDoubleArray());
        double rhs = dot(k.x().toDoubleArray(), folded.toDoubleArray());
        double tolerance = (dtype == DType.FLOAT32 ? 1e-4 : 1e-10) * (1 + Math.abs(lhs)) * Math.sqrt(cols.numel());
        assertThat(rhs).as(k.toString()).isCloseTo(lhs, org.assertj.core.data.Offset.offset(tolerance));
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    @Property(tries = 150)
    void maxPoolingPicksTheFirstLargestOrANanOfEachWindow(@ForAll("floats") DType dtype, @ForAll long seed) {
        WindowCase k = WindowCase.forPooling(seed, dtype);
        Tensor.ValuesIndices r = Torch.maxPool2dWithIndices(k.x(), k.kh(), k.kw(), k.sh(), k.sw(), k.ph(), k.pw());
        int[] s = k.x().shape();
        double[] x = k.x().toDoubleArray();
        int outH = k.outH(), outW = k.outW();
        double[] values = new double[s[0] * s[1] * outH * outW];
        long[] indices = new long[values.length];
        int o = 0;
        for (int p = 0; p < s[0] * s[1]; p++) {
            for (int oh = 0; oh < outH; oh++) {
                for (int ow = 0; ow < outW; ow++, o++) {
                    values[o] = Double.NEGATIVE_INFINITY;
                    indices[o] = -1;
                    for (int i = 0; i < k.kh(); i++) {
                        for (int j = 0; j < k.kw(); j++) {
                            int y = oh * k.sh() - k.ph() + i, xx = ow * k.sw() - k.pw() + j;
                            if (y < 0 || y >= s[2] || xx < 0 || xx >= s[3] || Double.isNaN(values[o])) {
                                continue;
                            }
                            double v = x[p * s[2] * s[3] + y * s[3] + xx];
                            if (indices[o] < 0 || v > values[o] || Double.isNaN(v)) {
                                values[o] = v;
                                indices[o] = (long) y * s[3] + xx;
                            }
                        }
                    }
                }
            }
        }
        assertThat(r.values().shape()).containsExactly(s[0], s[1], outH, outW);
        assertThat(r.values().dtype()).isEqualTo(dtype);
        assertThat(r.indices().dtype()).isEqualTo(DType.INT64);
        assertThat(r.values().toDoubleArray()).as(k.toString()).isEqualTo(values);
        assertThat(r.indices().toLongArray()).as(k.toString()).isEqualTo(indices);
    }

    @Property(tries = 150)
    void maxPoolBackwardAddsEachGradientAtItsIndex(@ForAll("floats") DType dtype, @ForAll long seed) {
        WindowCase k = WindowCase.forPooling(seed, dtype);
        Tensor indices = Torch.maxPool2dWithIndices(k.x(), k.kh(), k.kw(), k.sh(), k.sw(), k.ph(), k.pw()).indices();
        Torch.manualSeed(seed);
        Tensor grad = Torch.randn(Options.dtype(dtype), indices.shape());
        int[] s = k.x().shape();
        Tensor gradInput = Torch.maxPool2dBackward(grad, indices, s);
        double[] expected = new double[IndexWalk.numel(s)];
        double[] g = grad.toDoubleArray();
        long[] at = indices.toLongArray();
        int perPlane = k.outH() * k.outW();
        for (int o = 0; o < g.length; o++) {
            int p = (o / perPlane) * s[2] * s[3] + (int) at[o];
            expected[p] = dtype == DType.FLOAT32 ? (float) (expected[p] + g[o]) : expected[p] + g[o];
        }
        assertThat(gradInput.shape()).containsExactly(s);
        assertThat(gradInput.toDoubleArray()).as(k.toString()).isEqualTo(expected);
    }

    @Property(tries = 20)
    void anEmptyBatchGivesEmptyResults(@ForAll("floats") DType dtype) {
        Tensor x = Torch.zeros(Options.dtype(dtype), 0, 2, 5, 5);
        assertThat(Torch.unfold(x, 3, 3, 1, 1, 1, 1).shape()).containsExactly(18, 0);
        assertThat(Torch.fold(Torch.zeros(Options.dtype(dtype), 18, 0), new int[] {0, 2, 5, 5}, 3, 3, 1, 1, 1, 1).shape())
                .containsExactly(0, 2, 5, 5);
        assertThat(Torch.maxPool2dWithIndices(x, 2, 2, 2, 2, 0, 0).values().shape()).containsExactly(0, 2, 2, 2);
        assertThat(Arrays.stream(Torch.unfold(Torch.ones(Options.dtype(dtype), 1, 1, 2, 2), 1, 1, 1, 1, 0, 0)
                .toDoubleArray()).sum()).isEqualTo(4);
    }
}
