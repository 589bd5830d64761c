package dev.steptorch.tensor.opencl;

import com.aparapi.Kernel;

/**
 * The sliding-window branches of {@link TensorKernel}: im2col, col2im, max pooling and its
 * backward, one work item per element written. TensorKernel inherits them, with the arenas they
 * read and write, and Aparapi translates a kernel's superclass like the kernel itself; they sit
 * here only so that each file stays readable. The rules of TensorKernel's comment apply.
 *
 * <p>None of them adds into memory another work item writes, so no atomics are needed: col2im
 * gathers, for each pixel, the column entries that came from it, and the backward of max pooling
 * gives each (n, c) plane to one work item, which adds in the same order as the CPU loop.
 */
abstract class WindowKernel extends Kernel {
    static final int OP_UNFOLD = 6, OP_FOLD = 7, OP_MAXPOOL = 8, OP_MAXPOOL_BACKWARD = 9;

    // meta layout of a window op: the geometry (Window2d's fields, then outH, outW), the element
    // offsets of source, destination and indices in their arenas, and 1 for float64 (else float32).
    static final int W_N = 1, W_C = 2, W_H = 3, W_W = 4, W_KH = 5, W_KW = 6, W_SH = 7, W_SW = 8, W_PH = 9,
            W_PW = 10, W_OH = 11, W_OW = 12, W_SRC = 13, W_DST = 14, W_IDX = 15, W_F64 = 16;
    static final int META_SIZE = 64;

    // the arenas (see DeviceHeap) and the launch record (see Launcher)
    float[] f32 = new float[1];
    double[] f64 = new double[1];
    long[] i64 = new long[1];
    int[] meta = new int[META_SIZE];

    /** Work item g (below the launch's n) of window op {@code op}. */
    void window(int op, int g) {
        if (op == OP_UNFOLD) {
            unfoldAt(g);
        } else if (op == OP_FOLD) {
            foldAt(g);
        } else if (op == OP_MAXPOOL) {
            maxPoolAt(g);
        } else if (op == OP_MAXPOOL_BACKWARD) {
            maxPoolBackwardPlane(g);
        }
    }

    double loadW(int i) {
        return meta[W_F64] == 1 ? f64[i] : (double) f32[i];
    }

    /** Stores v, rounded to float32 for a float32 op, so each sum step rounds as the CPU's does. */
    void storeW(int i, double v) {
        if (meta[W_F64] == 1) {
            f64[i] = v;
        } else {
            f32[i] = (float) v;
        }
    }

    /** Entry g of cols [C*kh*kw, N*outH*outW]: the pixel at kernel offset (i, j) of one window, 0 in the padding. */
    void unfoldAt(int g) {
        int kh = meta[W_KH];
        int kw = meta[W_KW];
        int positions = meta[W_OH] * meta[W_OW];
        int width = meta[W_N] * positions;
        int row = g / width;
        int col = g - row * width;
        int j = row % kw;
        int i = (row / kw) % kh;
        int ch = row / (kw * kh);
        int b = col / positions;
        int pos = col - b * positions;
        int oh = pos / meta[W_OW];
        int ow = pos - oh * meta[W_OW];
        int y = oh * meta[W_SH] - meta[W_PH] + i;
        int x = ow * meta[W_SW] - meta[W_PW] + j;
        double v = 0.0;
        if (y >= 0 && y < meta[W_H] && x >= 0 && x < meta[W_W]) {
            v = loadW(meta[W_SRC] + ((b * meta[W_C] + ch) * meta[W_H] + y) * meta[W_W] + x);
        }
        storeW(meta[W_DST] + g, v);
    }

    /** Pixel g of out [N, C, H, W]: the sum of the column entries it was copied to, kernel offsets in row-major order. */
    void foldAt(int g) {
        int h = meta[W_H];
        int w = meta[W_W];
        int kh = meta[W_KH];
        int kw = meta[W_KW];
        int outH = meta[W_OH];
        int outW = meta[W_OW];
        int positions = outH * outW;
        int width = meta[W_N] * positions;
        int x = g % w;
        int y = (g / w) % h;
        int ch = (g / (w * h)) % meta[W_C];
        int b = g / (w * h * meta[W_C]);
        double acc = 0.0;
        for (int i = 0; i < kh; i++) {
            int ty = y + meta[W_PH] - i;
            int oh = ty / meta[W_SH];
            if (ty >= 0 && oh * meta[W_SH] == ty && oh < outH) {
                for (int j = 0; j < kw; j++) {
                    int tx = x + meta[W_PW] - j;
                    int ow = tx / meta[W_SW];
                    if (tx >= 0 && ow * meta[W_SW] == tx && ow < outW) {
                        acc += loadW(meta[W_SRC] + ((ch * kh + i) * kw + j) * width + b * positions + oh * outW + ow);
                        if (meta[W_F64] == 0) {
                            acc = (double) ((float) acc);
                        }
                    }
                }
            }
        }
        storeW(meta[W_DST] + g, acc);
    }

    /**
     * Output g of [N, C, outH, outW]: the window clipped to the image (never empty, since padding
     * is at most half the kernel). A NaN wins, the first of equal values wins, as on the CPU.
     */
    void maxPoolAt(int g) {
        int h = meta[W_H];
        int w = meta[W_W];
        int ow = g % meta[W_OW];
        int oh = (g / meta[W_OW]) % meta[W_OH];
        int plane = meta[W_SRC] + (g / (meta[W_OW] * meta[W_OH])) * h * w;
        int y0 = oh * meta[W_SH] - meta[W_PH];
        int x0 = ow * meta[W_SW] - meta[W_PW];
        int y1 = y0 + meta[W_KH] < h ? y0 + meta[W_KH] : h;
        int x1 = x0 + meta[W_KW] < w ? x0 + meta[W_KW] : w;
        y0 = y0 > 0 ? y0 : 0;
        x0 = x0 > 0 ? x0 : 0;
        double best = 0.0;
        int at = -1;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                double v = loadW(plane + y * w + x);
                if (at < 0 || v > best || (v != v && best == best)) {
                    best = v;
                    at = y * w + x;
                }
            }
        }
        storeW(meta[W_DST] + g, best);
        i64[meta[W_IDX] + g] = at;
    }

    /**
     * Plane g of the input gradient: zeroed, then each output gradient of the plane added at its
     * index, in output order. An index outside the plane is skipped rather than written out of the
     * tensor's memory (indices come from maxPoolAt, so that never happens in use).
     */
    void maxPoolBackwardPlane(int g) {
        int planeSize = meta[W_H] * meta[W_W];
        int perPlane = meta[W_OH] * meta[W_OW];
        int dst = meta[W_DST] + g * planeSize;
        for (int p = 0; p < planeSize; p++) {
            storeW(dst + p, 0.0);
        }
        for (int o = g * perPlane; o < g * perPlane + perPlane; o++) {
            long at = i64[meta[W_IDX] + o];
            if (at >= 0L && at < (long) planeSize) {
                int i = dst + (int) at;
                storeW(i, loadW(i) + loadW(meta[W_SRC] + o));
            }
        }
    }
}
