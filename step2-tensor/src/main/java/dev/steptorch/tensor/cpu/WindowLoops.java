package dev.steptorch.tensor.cpu;

import dev.steptorch.ndarray.Parallel;
import dev.steptorch.tensor.Window2d;

/**
 * The CPU window kernels: im2col, col2im and max pooling as direct loops over the arrays of
 * contiguous operands. A generic strided walk costs more per element than the arithmetic of a small
 * convolution, so these loops compute each kernel offset's range of valid output columns once and
 * then move whole runs of an image row ({@link WindowRuns} does the typed inner loops, for float32
 * and float64 alike). Big inputs are split across the threads of {@link Parallel} where the pieces
 * write disjoint outputs.
 */
final class WindowLoops {
    private WindowLoops() {
    }

    /** First output column whose input column {@code ow * sw - pw + j} is inside the image. */
    private static int firstInside(Window2d g, int j) {
        return Math.max(0, (g.pw() - j + g.sw() - 1) / g.sw());
    }

    /** One past the last such output column; floorDiv, since a wide padding makes the numerator negative. */
    private static int endInside(Window2d g, int j) {
        return Math.min(g.outW(), Math.floorDiv(g.w() - 1 + g.pw() - j, g.sw()) + 1);
    }

    /**
     * Row (c, i, j) of cols, image by image, output row by output row: the pixels at kernel offset
     * (i, j). Entries whose pixel is padding stay zero, as the fresh array already is.
     */
    static void unfold(Object src, int base, Window2d g, Object cols) {
        walk(g, src, base, cols, 0, false);
    }

    /** The same walk as {@link #unfold}, adding each entry back into its pixel of the zeroed out. */
    static void fold(Object cols, int off, Window2d g, Object out) {
        walk(g, out, 0, cols, off, true);
    }

    /**
     * Pairs each run of an image row that a kernel offset reads with its run in the columns: unfold
     * copies the image run into the columns, fold adds the columns back into the image.
     */
    private static void walk(Window2d g, Object image, int imageBase, Object cols, int colsBase, boolean fold) {
        // unfold's rows of cols are independent; fold's rows of one channel add into the same pixels,
        // so fold is split by channel
        int c = g.c(), perChannel = g.kh() * g.kw();
        int tasks = fold ? c : c * perChannel, step = fold ? perChannel : 1;
        Parallel.forEach(tasks, (long) g.n() * c * g.h() * g.w() * perChannel, StridedRows.PARALLEL_ELEMENTS, t ->
                walkRows(g, image, imageBase, cols, colsBase, fold, t * step, (t + 1) * step));
    }

    /** Rows r0..r1-1 of cols, row (ch, i, j) being {@code (ch * kh + i) * kw + j}. */
    private static void walkRows(Window2d g, Object image, int imageBase, Object cols, int colsBase, boolean fold,
                                 int r0, int r1) {
        // the geometry in locals: outH() and outW() divide, and these loops run per image row
        int outH = g.outH(), outW = g.outW(), positions = outH * outW, width = g.n() * positions;
        int c = g.c(), h = g.h(), w = g.w(), kh = g.kh(), kw = g.kw(), sh = g.sh(), sw = g.sw(), ph = g.ph(), pw = g.pw();
        for (int r = r0; r < r1; r++) {
            int ch = r / (kh * kw), i = r / kw % kh, j = r % kw;
            int row = colsBase + r * width;
            int owStart = firstInside(g, j), owEnd = endInside(g, j);
            for (int b = 0; b < g.n() && owStart < owEnd; b++) {
                int plane = imageBase + (b * c + ch) * h * w;
                for (int oh = 0; oh < outH; oh++) {
                    int y = oh * sh - ph + i;
                    if (y >= 0 && y < h) {
                        int pixel = plane + y * w + owStart * sw - pw + j;
                        int entry = row + b * positions + oh * outW + owStart;
                        if (fold) {
                            WindowRuns.add(cols, entry, image, pixel, sw, owEnd - owStart);
                        } else {
                            WindowRuns.copy(image, pixel, sw, cols, entry, owEnd - owStart);
                        }
                    }
                }
            }
        }
    }

    /**
     * Each output's window, clipped to the image once instead of a bounds check per element; plane by
     * plane, or, for the course's window on float32, a vector kernel over groups of planes.
     */
    static void maxPool(Object src, int base, Window2d g, Object values, long[] indices) {
        int planeSize = g.h() * g.w(), outputs = g.outH() * g.outW(), planes = g.n() * g.c();
        long work = (long) planes * planeSize;
        if (src instanceof float[] s && WindowRuns.isPool2x2(g)) {
            // a few groups per thread: handed out one plane at a time, the threads spent more on
            // claiming LeNet's 1,024 small planes than on pooling them
            int tasks = work < StridedRows.PARALLEL_ELEMENTS ? 1 : Math.min(planes, 4 * Parallel.threads());
            Parallel.forEach(tasks, t -> WindowRuns.pool2x2(s, base, g,
                    (float[]) values, indices, (int) ((long) planes * t / tasks), (int) ((long) planes * (t + 1) / tasks)));
            return;
        }
        Parallel.forEach(planes, work, StridedRows.PARALLEL_ELEMENTS,
                p -> WindowRuns.maxPoolPlane(src, base + p * planeSize, g, values, indices, p * outputs));
    }

    /**
     * out[plane of o][indices[o]] += grad[o], in output order within each plane; an index outside its
     * plane is refused. Planes are independent, so they are shared among the threads; within one, a
     * typed loop: a call per element (through Object arguments) cost more than the addition.
     */
    static void maxPoolBackward(Object grad, int go, long[] indices, int io, int count, int perPlane, int planeSize,
                                Object out) {
        int planes = perPlane == 0 ? 0 : count / perPlane;
        Parallel.forEach(planes, (long) count, StridedRows.PARALLEL_ELEMENTS, p -> {
            int first = p * perPlane, base = p * planeSize;
            if (grad instanceof float[] g) {
                float[] d = (float[]) out;
                for (int o = first; o < first + perPlane; o++) {
                    d[base + inside(indices[io + o], planeSize)] += g[go + o];
                }
            } else {
                double[] g = (double[]) grad, d = (double[]) out;
                for (int o = first; o < first + perPlane; o++) {
                    d[base + inside(indices[io + o], planeSize)] += g[go + o];
                }
            }
        });
    }

    private static int inside(long at, int planeSize) {
        if (at < 0 || at >= planeSize) {
            throw new IndexOutOfBoundsException("max_pool2d_with_indices_backward: index " + at
                    + " is outside its plane of " + planeSize + " elements");
        }
        return (int) at;
    }
}
