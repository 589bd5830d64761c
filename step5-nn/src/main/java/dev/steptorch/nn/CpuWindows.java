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
     * The windows as columns, {@code [C * kh * kw, N * outH * outW]}: row (c, i, j) holds, for
     * every output position of every image, the input pixel at kernel offset (i, j) of channel c.
     * In this layout the convolution is {@code weight[outC, C*kh*kw] . cols}, whose long rows are
     * what the matrix product does fastest, and each row is filled by copies of whole image rows.
     */
    static Tensor im2col(Tensor input, int kh, int kw, int sh, int sw, int ph, int pw) {
        Tensor x = input.contiguous();
        float[] src = data(x);
        int base = x.storageOffset();
        int n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
        int outH = Windows.outSize(h, kh, sh, ph);
        int outW = Windows.outSize(w, kw, sw, pw);
        int positions = outH * outW;
        int width = n * positions;
        float[] cols = new float[c * kh * kw * width];
        for (int ch = 0; ch < c; ch++) {
            for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++) {
                    int row = ((ch * kh + i) * kw + j) * width;
                    // output columns whose pixel lies inside the image for this j; the rest stay zero
                    int owStart = Math.max(0, (pw - j + sw - 1) / sw);
                    int owEnd = Math.min(outW, (w - 1 + pw - j) / sw + 1);
                    for (int b = 0; b < n; b++) {
                        int plane = base + (b * c + ch) * h * w;
                        for (int oh = 0; oh < outH; oh++) {
                            int y = oh * sh - ph + i;
                            if (y < 0 || y >= h || owStart >= owEnd) {
                                continue;
                            }
                            int from = plane + y * w + owStart * sw - pw + j;
                            int to = row + b * positions + oh * outW + owStart;
                            if (sw == 1) {
                                System.arraycopy(src, from, cols, to, owEnd - owStart);
                            } else {
                                for (int ow = owStart; ow < owEnd; ow++, from += sw) {
                                    cols[to++] = src[from];
                                }
                            }
                        }
                    }
                }
            }
        }
        return wrap(cols, c * kh * kw, width);
    }

    /** The inverse of {@link #im2col} for gradients: every entry is added back where it came from. */
    static Tensor col2im(Tensor gradCols, int[] inputShape, int kh, int kw, int sh, int sw, int ph, int pw) {
        Tensor g = gradCols.contiguous();
        float[] src = data(g);
        int off = g.storageOffset();
        int n = inputShape[0], c = inputShape[1], h = inputShape[2], w = inputShape[3];
        int outH = Windows.outSize(h, kh, sh, ph);
        int outW = Windows.outSize(w, kw, sw, pw);
        int positions = outH * outW;
        int width = n * positions;
        float[] out = new float[n * c * h * w];
        for (int ch = 0; ch < c; ch++) {
            for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++) {
                    int row = off + ((ch * kh + i) * kw + j) * width;
                    int owStart = Math.max(0, (pw - j + sw - 1) / sw);
                    int owEnd = Math.min(outW, (w - 1 + pw - j) / sw + 1);
                    for (int b = 0; b < n; b++) {
                        int plane = (b * c + ch) * h * w;
                        for (int oh = 0; oh < outH; oh++) {
                            int y = oh * sh - ph + i;
                            if (y < 0 || y >= h) {
                                continue;
                            }
                            int to = plane + y * w + owStart * sw - pw + j;
                            int from = row + b * positions + oh * outW + owStart;
                            for (int ow = owStart; ow < owEnd; ow++, to += sw) {
                                out[to] += src[from++];
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
                    // the window clipped to the image once, instead of a bounds check per element
                    int y0 = Math.max(0, oh * sh - ph);
                    int y1 = Math.min(h, oh * sh - ph + kh);
                    int x0 = Math.max(0, ow * sw - pw);
                    int x1 = Math.min(w, ow * sw - pw + kw);
                    for (int y = y0; y < y1; y++) {
                        for (int xx = x0; xx < x1; xx++) {
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
