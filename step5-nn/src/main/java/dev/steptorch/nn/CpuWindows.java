package dev.steptorch.nn;

import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Device;
import dev.steptorch.tensor.Shapes;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.cpu.CpuStorage;

/**
 * The CPU shortcut for {@link Windows}: im2col, col2im and max pooling as plain loops over
 * float32 arrays. The view-based path is the definition (and what the GPU runs); walking a 6-d
 * strided view costs more per element than the arithmetic of a small convolution, so on the CPU
 * the same numbers are produced directly. Tests compare the two paths.
 */
final class CpuWindows {
    private CpuWindows() {
    }

    /** True when the loops here can replace the generic path for {@code x}. */
    static boolean applies(Tensor x) {
        return x.device() == Device.CPU && x.dtype() == DType.FLOAT32;
    }

    private static float[] data(Tensor contiguous) {
        return (float[]) ((CpuStorage) contiguous.storage()).array();
    }

    private static Tensor wrap(float[] data, int... shape) {
        return Tensor.wrap(CpuStorage.over(data), shape, Shapes.contiguousStrides(shape), 0);
    }

    /**
     * Rows of {@code [N * outH * outW, C * kh * kw]}: row (n, oh, ow) holds the window of x whose
     * top-left corner is (oh * sh - ph, ow * sw - pw), zeros where it hangs over the border.
     */
    static Tensor im2col(Tensor input, int kh, int kw, int sh, int sw, int ph, int pw) {
        Tensor x = input.contiguous();
        float[] src = data(x);
        int base = x.storageOffset();
        int n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
        int outH = Windows.outSize(h, kh, sh, ph);
        int outW = Windows.outSize(w, kw, sw, pw);
        int rowLength = c * kh * kw;
        float[] cols = new float[n * outH * outW * rowLength];
        int r = 0;
        for (int b = 0; b < n; b++) {
            for (int oh = 0; oh < outH; oh++) {
                for (int ow = 0; ow < outW; ow++, r += rowLength) {
                    int left = ow * sw - pw;
                    // the part of each window row that lies inside the image; the rest stays zero
                    int jStart = Math.max(0, -left);
                    int jEnd = Math.min(kw, w - left);
                    int k = r;
                    for (int ch = 0; ch < c; ch++) {
                        int plane = base + (b * c + ch) * h * w;
                        for (int i = 0; i < kh; i++, k += kw) {
                            int y = oh * sh - ph + i;
                            if (y >= 0 && y < h) {
                                int from = plane + y * w + left;
                                for (int j = jStart; j < jEnd; j++) {
                                    cols[k + j] = src[from + j];
                                }
                            }
                        }
                    }
                }
            }
        }
        return wrap(cols, n * outH * outW, rowLength);
    }

    /** The inverse of {@link #im2col} for gradients: every window entry is added back where it came from. */
    static Tensor col2im(Tensor gradCols, int[] inputShape, int kh, int kw, int sh, int sw, int ph, int pw) {
        Tensor g = gradCols.contiguous();
        float[] src = data(g);
        int off = g.storageOffset();
        int n = inputShape[0], c = inputShape[1], h = inputShape[2], w = inputShape[3];
        int outH = Windows.outSize(h, kh, sh, ph);
        int outW = Windows.outSize(w, kw, sw, pw);
        float[] out = new float[n * c * h * w];
        int k = off;
        for (int b = 0; b < n; b++) {
            for (int oh = 0; oh < outH; oh++) {
                for (int ow = 0; ow < outW; ow++) {
                    for (int ch = 0; ch < c; ch++) {
                        int plane = (b * c + ch) * h * w;
                        for (int i = 0; i < kh; i++) {
                            int y = oh * sh - ph + i;
                            for (int j = 0; j < kw; j++, k++) {
                                int xx = ow * sw - pw + j;
                                if (y >= 0 && y < h && xx >= 0 && xx < w) {
                                    out[plane + y * w + xx] += src[k];
                                }
                            }
                        }
                    }
                }
            }
        }
        return wrap(out, n, c, h, w);
    }

    /**
     * Max pooling: the values [N, C, outH, outW] and, as int64 of the same shape, the flat index
     * within its (n, c) plane of the element each maximum came from. Padding counts as -inf; NaN
     * wins, and among equal values the first one does, as on the generic path.
     */
    static Tensor[] maxPool(Tensor input, int kh, int kw, int sh, int sw, int ph, int pw) {
        Tensor x = input.contiguous();
        float[] src = data(x);
        int base = x.storageOffset();
        int n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
        int outH = Windows.outSize(h, kh, sh, ph);
        int outW = Windows.outSize(w, kw, sw, pw);
        float[] values = new float[n * c * outH * outW];
        long[] where = new long[values.length];
        int o = 0;
        for (int p = 0; p < n * c; p++) {
            int plane = base + p * h * w;
            for (int oh = 0; oh < outH; oh++) {
                for (int ow = 0; ow < outW; ow++, o++) {
                    float best = Float.NEGATIVE_INFINITY;
                    int at = -1;
                    for (int i = 0; i < kh; i++) {
                        int y = oh * sh - ph + i;
                        if (y < 0 || y >= h) {
                            continue;
                        }
                        for (int j = 0; j < kw; j++) {
                            int xx = ow * sw - pw + j;
                            if (xx < 0 || xx >= w) {
                                continue;
                            }
                            float v = src[plane + y * w + xx];
                            if (at < 0 || v > best || (v != v && best == best)) {
                                best = v;
                                at = y * w + xx;
                            }
                        }
                    }
                    values[o] = best;
                    where[o] = at;
                }
            }
        }
        int[] shape = {n, c, outH, outW};
        return new Tensor[] {wrap(values, shape),
            Tensor.wrap(CpuStorage.over(where), shape, Shapes.contiguousStrides(shape), 0)};
    }

    /** Sends each output gradient to the input element its maximum came from. */
    static Tensor maxPoolBackward(Tensor grad, Tensor where, int[] inputShape) {
        Tensor g = grad.contiguous();
        Tensor idx = where.contiguous();
        float[] src = data(g);
        long[] at = (long[]) ((CpuStorage) idx.storage()).array();
        int go = g.storageOffset();
        int io = idx.storageOffset();
        int planeSize = inputShape[2] * inputShape[3];
        int perPlane = g.size(2) * g.size(3);
        float[] out = new float[inputShape[0] * inputShape[1] * planeSize];
        for (int o = 0; o < g.numel(); o++) {
            out[(o / perPlane) * planeSize + (int) at[io + o]] += src[go + o];
        }
        return wrap(out, inputShape);
    }
}
