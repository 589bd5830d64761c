package dev.steptorch.tensor.cpu;

import dev.steptorch.ndarray.Parallel;
import dev.steptorch.tensor.Tensor;

/**
 * {@code correlate2d} and its weight and input gradients in float32 (the convolutions of the
 * course's CNN: stride 1, no padding) without columns.
 *
 * <p>im2col copies every window of the input into a column, kh*kw copies of each pixel: for the
 * first layer at batch 4, 940 KB of columns made, zeroed and read again every step, about a fifth
 * of the step. But with stride 1 and no padding, the column row of window offset (c, i, j) is the
 * input itself, shifted: at output pixel (y, x) it holds {@code x[c, y + i, x + j]}, which is the
 * number {@code c*H*W + i*W + j} places after pixel (y, x) of the image read as one row of C*H*W.
 * So if the output is computed at every position p = y*W + x of the input's rows, the kw - 1
 * columns x >= outW of each row thrown away afterwards, column row q is simply the image from
 * {@code offset[q]} on. The product then reads the input in place (FloatGemm's kernel takes B's
 * rows as a table of offsets), and so does the weight gradient (FloatDots' tile takes A's rows
 * the same way), with the output gradient laid out on those positions, zero on the ones thrown away;
 * where the output channels fill whole vectors, {@link ChannelLanes} visits only the real output
 * pixels, through a table of where they lie. The input gradient goes the other way: the
 * transposed weight times that output gradient gives column row q over the positions, which
 * each tile of the product adds back into the image from {@code offset[q]} on as it makes it. The same
 * multiply-adds as im2col + mm (and the thrown-away positions'), without the copies.
 */
final class DirectConvolution {
    private static final int MR = FloatGemm.MR;
    private static final int NR = FloatGemm.NR;
    /**
     * Work is cut between threads from about 5 µs of it on. Unlike step 5's groups of images (no
     * group under 2 M multiply-adds), cutting pays here even at the course's batch of 4: a step
     * took 0.55-0.62 ms cut at this size against 0.59-0.73 ms at 2 M, in alternating runs.
     */
    private static final long PARALLEL_WORK = 1L << 18;
    /**
     * Positions per block of images in the weight gradient: 4 rows of the input and 3 of the
     * gradient over 8192 positions (224 KiB) stay in the second-level cache, and each of the 12
     * vector sums of a tile is folded once per block rather than once per image: a LeNet step at
     * batch 64 took 4.7-5.4 ms so, against 6.5-6.9 ms folding per image (a run of each).
     */
    private static final int BLOCK = 8192;

    private DirectConvolution() {
    }

    /** Contiguous input [N, C, H, W] cross-correlated with contiguous weight [O, C, kh, kw] into out [N, O, outH, outW]. */
    static void forward(Tensor input, Tensor weight, Tensor out) {
        Shape s = new Shape(input.shape(), weight.shape());
        float[] x = floats(input), w = floats(weight), y = floats(out);
        int xOff = input.storageOffset(), wOff = weight.storageOffset(), yOff = out.storageOffset();
        int[] rows = s.rows();
        long work = (long) s.n * s.o * s.k * s.span;
        Parallel.forEach(s.n, work, PARALLEL_WORK,
                i -> s.forwardImage(x, xOff + i * s.imageSize, w, wOff, rows, y, yOff + i * s.o * s.outH * s.outW));
    }

    /** Into out [O, C, kh, kw]: the weight gradient given the contiguous input and gradient of the output. */
    static void weightGrad(Tensor input, Tensor grad, Tensor out) {
        int[] in = input.shape();
        Shape s = new Shape(in, out.shape());
        float[] x = floats(input), g = floats(grad);
        int xOff = input.storageOffset(), gOff = grad.storageOffset();
        int[] rows = s.rows();
        // a share of the images per task, each summed into a gradient of its own, added up in order
        int tasks = s.tasks();
        float[][] parts = new float[tasks][];
        boolean lanes = ChannelLanes.suits(s.o);
        Parallel.forEach(tasks, t -> {
            int first = s.n * t / tasks, end = s.n * (t + 1) / tasks;
            parts[t] = lanes ? s.weightGradByLanes(x, xOff, rows, g, gOff, first, end)
                    : s.weightGradByDots(x, xOff, rows, g, gOff, first, end);
        });
        float[] dw = floats(out);
        int dwOff = out.storageOffset();
        for (int q = 0; q < s.k; q++) {
            for (int o = 0; o < s.o; o++) {
                float sum = 0f;
                for (float[] part : parts) {
                    sum += part[q * s.o + o];
                }
                dw[dwOff + o * s.k + q] = sum;
            }
        }
    }

    /**
     * Into out [N, C, H, W], zeros as made: the input gradient given the contiguous weight
     * [O, C, kh, kw] and gradient of the output, a share of the images per task.
     */
    static void inputGrad(Tensor weight, Tensor grad, Tensor out) {
        Shape s = new Shape(out.shape(), weight.shape());
        float[] w = floats(weight), g = floats(grad), gi = floats(out);
        int wOff = weight.storageOffset(), gOff = grad.storageOffset(), giOff = out.storageOffset();
        int[] rows = s.rows();
        int tasks = s.tasks();
        Shape.Tiles tiles = s.tiles(rows);
        Parallel.forEach(tasks, t -> {
            // one image's output gradient over its span, row r from r * span, zero on the positions
            // thrown away, and a tile's width more for the last tile's reads past the span
            float[] spread = new float[s.o * s.span + NR], scratch = new float[MR * NR];
            for (int i = s.n * t / tasks; i < s.n * (t + 1) / tasks; i++) {
                s.inputGradImage(w, wOff, g, gOff, rows, tiles, gi, giOff + i * s.imageSize, i, spread, scratch);
            }
        });
    }

    private static float[] floats(Tensor t) {
        return (float[]) ((CpuStorage) t.storage()).array();
    }

    /**
     * The sizes of one convolution. {@code span}: the positions p = y*W + x computed per image, from
     * the first output pixel to the last, (outH - 1)*W + outW of them; the image read as one row
     * ends exactly at the last window's last pixel.
     */
    private record Shape(int n, int c, int h, int w, int o, int kh, int kw, int outH, int outW, int k, int span, int imageSize) {
        Shape(int[] in, int[] weight) {
            this(in[0], in[1], in[2], in[3], weight[0], weight[2], weight[3], in[2] - weight[2] + 1, in[3] - weight[3] + 1,
                    in[1] * weight[2] * weight[3], (in[2] - weight[2]) * in[3] + in[3] - weight[3] + 1, in[1] * in[2] * in[3]);
        }

        /** Tasks for a share of the images each: one per core, none under about 5 µs of work. */
        int tasks() {
            return (int) Math.max(1, Math.min(Math.min(n, Parallel.threads()), (long) n * o * k * span / PARALLEL_WORK));
        }

        /**
         * Images first..first+count-1's output gradients laid over their spans in {@code spread},
         * image i's row r from {@code i * imageStride + r * rowStride}; the positions thrown away
         * are never written, so they stay as zero as the array was made.
         */
        void spreadGrad(float[] g, int gOff, int first, int count, float[] spread, int imageStride, int rowStride) {
            for (int i = 0; i < count; i++) {
                for (int r = 0; r < o; r++) {
                    for (int oy = 0; oy < outH; oy++) {
                        System.arraycopy(g, gOff + (((first + i) * o + r) * outH + oy) * outW, spread,
                                i * imageStride + r * rowStride + oy * w, outW);
                    }
                }
            }
        }

        /**
         * The column rows in the order (i, j, c): a tile of consecutive ones then adds into
         * channels an image plane apart, evenly, where rows in their own order, (c, i, j), start one
         * number apart, and each vector added into the image would wait for the store of the one before.
         */
        int[] byOffset() {
            int[] order = new int[k];
            for (int i = 0, t = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++) {
                    for (int ci = 0; ci < c; ci++) {
                        order[t++] = (ci * kh + i) * kw + j;
                    }
                }
            }
            return order;
        }

        /** Where column row q = (c, i, j) starts in the image read as one row. */
        int[] rows() {
            int[] rows = new int[k];
            for (int ci = 0, q = 0; ci < c; ci++) {
                for (int i = 0; i < kh; i++) {
                    for (int j = 0; j < kw; j++) {
                        rows[q++] = (ci * h + i) * w + j;
                    }
                }
            }
            return rows;
        }

        /**
         * One image: weight (O x k, read in place) times the image's columns (read in place) into a
         * scratch of O rows over the span, whose output pixels are then copied out.
         */
        void forwardImage(float[] x, int xo, float[] wt, int wo, int[] rows, float[] y, int yo) {
            int rowTiles = (o + MR - 1) / MR;
            float[] spread = new float[rowTiles * MR * span];
            int whole = span / NR;
            for (int r0 = 0; r0 < o; r0 += MR) {
                // a missing row (the last tile's) re-reads the last real one into a row of the scratch no one reads
                int a0 = wo + r0 * k, last = wo + (o - 1) * k;
                int a1 = Math.min(a0 + k, last), a2 = Math.min(a0 + 2 * k, last), a3 = Math.min(a0 + 3 * k, last);
                int a4 = Math.min(a0 + 4 * k, last), a5 = Math.min(a0 + 5 * k, last);
                for (int t = 0; t < whole; t++) {
                    FloatGemm.kernelStrided(wt, a0, a1, a2, a3, a4, a5, 1, x, xo + t * NR, rows, spread, r0 * span + t * NR, span, k);
                }
                int done = whole * NR;
                if (done < span && span >= NR) {
                    // the ragged end: one more tile that ends with the span, of which only the new positions are kept
                    float[] tile = new float[MR * NR];
                    FloatGemm.kernelStrided(wt, a0, a1, a2, a3, a4, a5, 1, x, xo + span - NR, rows, tile, 0, NR, k);
                    for (int r = 0; r < MR; r++) {
                        System.arraycopy(tile, r * NR + done - (span - NR), spread, (r0 + r) * span + done, span - done);
                    }
                } else if (done < span) {
                    // fewer positions than one tile: the same sums one by one, in the kernel's order
                    for (int r = r0; r < Math.min(o, r0 + MR); r++) {
                        for (int p = 0; p < span; p++) {
                            float sum = 0f;
                            for (int q = 0; q < k; q++) {
                                sum = Math.fma(x[xo + rows[q] + p], wt[wo + r * k + q], sum);
                            }
                            spread[r * span + p] = sum;
                        }
                    }
                }
            }
            for (int r = 0; r < o; r++) {
                for (int oy = 0; oy < outH; oy++) {
                    System.arraycopy(spread, r * span + oy * w, y, yo + (r * outH + oy) * outW, outW);
                }
            }
        }

        /**
         * Image i's input gradient, into the image at {@code image}: its output gradient spread over
         * its span (zeros on the positions thrown away), times the weight transposed, in tiles of 6
         * column rows by 48 positions (FloatGemm's strided kernel, k the output channels) that add
         * their column rows into the image from {@code rows[q]} on as they make them: runs as long
         * as the tile, where im2col's fold adds one run per output row (10 numbers in LeNet's second
         * layer, too short for a vector). A tile whose rows start evenly far apart in the image (6
         * channels at one window offset, taken in {@link #byOffset}'s order) is added in place; any
         * other, and the span's ragged end, goes through {@code scratch} and only its real part is
         * added. The positions thrown away add zeros (NaN where a weight is infinite, which makes
         * the gradient non-finite anyway).
         */
        void inputGradImage(float[] wt, int wo, float[] g, int gOff, int[] rows, Tiles tiles, float[] gi, int image, int i,
                            float[] spread, float[] scratch) {
            spreadGrad(g, gOff, i, 1, spread, 0, span);
            int[] a = tiles.order();
            for (int t = 0; t < k; t += MR) {
                int rowsHere = Math.min(MR, k - t), first = rows[a[t]], apart = tiles.apart()[t / MR];
                int a0 = wo + a[t], a1 = wo + a[t + 1], a2 = wo + a[t + 2], a3 = wo + a[t + 3], a4 = wo + a[t + 4], a5 = wo + a[t + 5];
                for (int p = 0; p < span; p += NR) {
                    int len = Math.min(NR, span - p);
                    if (apart > 0 && len == NR) {
                        FloatGemm.kernelStrided(wt, a0, a1, a2, a3, a4, a5, k, spread, p, tiles.channels(), gi, image + first + p, apart, o);
                        continue;
                    }
                    java.util.Arrays.fill(scratch, 0f);
                    FloatGemm.kernelStrided(wt, a0, a1, a2, a3, a4, a5, k, spread, p, tiles.channels(), scratch, 0, NR, o);
                    for (int r = 0; r < rowsHere; r++) {
                        WindowRuns.addRun(scratch, r * NR, gi, image + rows[a[t + r]] + p, len);
                    }
                }
            }
        }

        /**
         * The input gradient's tiles, the same for every image: the column rows in
         * {@link #byOffset}'s order, the last tile's missing ones re-reading the last real one (their
         * sums are not added); per tile, how far apart its rows start in the image where all 6 are
         * evenly apart (0 where not); and the kernel's k steps, output channel r from r * span.
         */
        record Tiles(int[] order, int[] apart, int[] channels) {
        }

        Tiles tiles(int[] rows) {
            int count = (k + MR - 1) / MR;
            int[] order = java.util.Arrays.copyOf(byOffset(), count * MR), apart = new int[count];
            java.util.Arrays.fill(order, k, order.length, order[k - 1]);
            for (int t = 0; t < count; t++) {
                int first = rows[order[t * MR]], step = rows[order[t * MR + 1]] - first;
                boolean even = (t + 1) * MR <= k && step > 0;
                for (int r = 2; r < MR && even; r++) {
                    even = rows[order[t * MR + r]] - first == r * step;
                }
                apart[t] = even ? step : 0;
            }
            return new Tiles(order, apart, FloatGemm.rowsOf(span, o));
        }

        /** Images first..end-1's share of the weight gradient, [k, O], by {@link FloatDots}' tiles. */
        float[] weightGradByDots(float[] x, int xOff, int[] rows, float[] g, int gOff, int first, int end) {
            float[] part = new float[k * o];
            // images in blocks of about BLOCK positions, which the tiles run through before they fold their sums
            int block = Math.max(1, BLOCK / span);
            // no bigger than the task's images need: a block is 9 to 60 LeNet images, a task at batch 4 has two
            float[] spread = new float[Math.min(block, end - first) * o * span];
            for (int i = first; i < end; i += block) {
                weightGradImages(x, xOff, rows, g, gOff, i, Math.min(block, end - i), spread, part);
            }
            return part;
        }

        /**
         * Images first..end-1's share of the weight gradient, [k, O] (with room for whole tiles of
         * column rows), by {@link ChannelLanes}' tiles: per block of images, their gradients
         * transposed to pixels by channels, and a table of where each output pixel lies.
         */
        float[] weightGradByLanes(float[] x, int xOff, int[] rows, float[] g, int gOff, int first, int end) {
            int tiles = (k + ChannelLanes.ROWS - 1) / ChannelLanes.ROWS, pixels = outH * outW;
            // the missing column rows of the last tile re-read the last real one into rows of part no one reads
            int[] tileRows = java.util.Arrays.copyOf(rows, tiles * ChannelLanes.ROWS);
            java.util.Arrays.fill(tileRows, k, tileRows.length, rows[k - 1]);
            float[] part = new float[tiles * ChannelLanes.ROWS * o];
            int block = Math.min(Math.max(1, BLOCK / 2 / pixels), end - first);
            int[] at = new int[block * pixels];
            for (int i = 0, t = 0; i < block; i++) {
                for (int y = 0; y < outH; y++) {
                    for (int xx = 0; xx < outW; xx++) {
                        at[t++] = i * imageSize + y * w + xx;
                    }
                }
            }
            float[] gt = new float[block * pixels * o];
            for (int i = first; i < end; i += block) {
                int count = Math.min(block, end - i);
                for (int b = 0; b < count; b++) {
                    for (int r = 0; r < o; r++) {
                        int from = gOff + ((i + b) * o + r) * pixels, to = b * pixels * o + r;
                        for (int m = 0; m < pixels; m++) {
                            gt[to + m * o] = g[from + m];
                        }
                    }
                }
                int xo = xOff + i * imageSize;
                for (int q = 0; q < k; q += ChannelLanes.ROWS) {
                    for (int lane = 0; lane < o; lane += ChannelLanes.LANES) {
                        ChannelLanes.tile(x, xo, tileRows, q, at, count * pixels, gt, o, lane, part);
                    }
                }
            }
            return part;
        }

        /**
         * Images first..first+count-1's share of the weight gradient, added to {@code part} ([k, O]):
         * the output gradient spread over each image's span (zeros on the positions thrown away),
         * then every column row of the images dotted with every row of it, 4 by 3 at a time.
         */
        void weightGradImages(float[] x, int xOff, int[] rows, float[] g, int gOff, int first, int count, float[] spread, float[] part) {
            spreadGrad(g, gOff, first, count, spread, o * span, span);
            FloatDots.Sums sums = new FloatDots.Sums();
            int xo = xOff + first * imageSize;
            for (int q = 0; q < k; q += 4) {
                int rowsHere = Math.min(4, k - q);
                int a0 = xo + rows[q], a1 = xo + rows[q + Math.min(1, rowsHere - 1)];
                int a2 = xo + rows[q + Math.min(2, rowsHere - 1)], a3 = xo + rows[q + Math.min(3, rowsHere - 1)];
                for (int j = 0; j < o; j += 3) {
                    sums.clear();
                    // image by image, the sums carried from one to the next and folded at the last
                    for (int i = 0, ai = 0; i < count; i++, ai += imageSize) {
                        FloatDots.tile(x, a0 + ai, a1 + ai, a2 + ai, a3 + ai, rowsHere, spread, (i * o + j) * span, span,
                                Math.min(3, o - j), span, sums, i == count - 1, part, q * o + j, o);
                    }
                }
            }
        }
    }
}
