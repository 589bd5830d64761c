package dev.steptorch.tensor.cpu;

import dev.steptorch.tensor.Window2d;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The typed inner loops of {@link WindowLoops}: each takes its arrays as Object and picks the
 * float32 or float64 loop once per run, so the walks over windows are written once for both.
 */
final class WindowRuns {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    private static final FloatVector IOTA = FloatVector.zero(SPECIES).addIndex(1);
    // lane i of the first half takes lane 2i (2i + 1) of one vector, of the second half that of the next
    private static final VectorShuffle<Float> EVEN = VectorShuffle.fromOp(SPECIES, i -> 2 * i % LANES);
    private static final VectorShuffle<Float> ODD = VectorShuffle.fromOp(SPECIES, i -> (2 * i + 1) % LANES);
    private static final VectorMask<Float> SECOND_HALF = IOTA.compare(VectorOperators.GE, LANES / 2);
    /** Windows {@link #pool2x2} takes through its two passes at a time: its scratch rows stay in L1. */
    private static final int BLOCK_WINDOWS = 256;

    private WindowRuns() {
    }

    /**
     * dst[to + k] = src[from + k * step] for k below len. The arraycopy is called with typed arrays:
     * on Object arguments the JIT cannot pick its copy stub in advance, which shows on runs this short.
     */
    static void copy(Object src, int from, int step, Object dst, int to, int len) {
        if (src instanceof float[] s) {
            float[] d = (float[]) dst;
            if (step == 1) {
                System.arraycopy(s, from, d, to, len);
            } else {
                for (int k = 0; k < len; k++, from += step) {
                    d[to + k] = s[from];
                }
            }
        } else {
            double[] s = (double[]) src, d = (double[]) dst;
            if (step == 1) {
                System.arraycopy(s, from, d, to, len);
            } else {
                for (int k = 0; k < len; k++, from += step) {
                    d[to + k] = s[from];
                }
            }
        }
    }

    /** dst[to + k * step] += src[from + k] for k below len. */
    static void add(Object src, int from, Object dst, int to, int step, int len) {
        if (src instanceof float[] s) {
            float[] d = (float[]) dst;
            if (step == 1) {
                addRun(s, from, d, to, len);
                return;
            }
            for (int k = 0; k < len; k++, to += step) {
                d[to] += s[from + k];
            }
        } else {
            double[] s = (double[]) src, d = (double[]) dst;
            for (int k = 0; k < len; k++, to += step) {
                d[to] += s[from + k];
            }
        }
    }

    /**
     * d[to + k] += s[from + k] for k below len, a vector at a time: C2 keeps a loop over two arrays
     * at offsets it cannot prove apart scalar (see FloatLoops), and a fold of ResNet's 56-number runs
     * took 10 to 35 % longer that way.
     */
    static void addRun(float[] s, int from, float[] d, int to, int len) {
        int k = 0;
        for (; k <= len - LANES; k += LANES) {
            FloatVector.fromArray(SPECIES, d, to + k).add(FloatVector.fromArray(SPECIES, s, from + k)).intoArray(d, to + k);
        }
        for (; k < len; k++) {
            d[to + k] += s[from + k];
        }
    }

    /** {@link #addRun} for {@link VectorWarmup}, on rows of 56 (ResNet's first layers). Under 20 ns a vector counts as compiled. */
    static VectorWarmup.Kernel warmupKernel() {
        int len = 56;
        float[] s = new float[len], d = new float[len];
        return new VectorWarmup.Kernel("WindowRuns.addRun", 20L * len / LANES, () -> addRun(s, 0, d, 0, len));
    }

    /**
     * Max pooling of one plane (from {@code plane}), outputs from o on: each output's window, clipped
     * to the image, gives its largest element to values and that element's index y * w + x within
     * the plane to indices. A NaN wins, the first of equal values wins, and an empty window (all
     * padding) gives -inf at index -1. The whole plane is one call: per output, a call through
     * Object arguments cost more than the four comparisons of a 2 x 2 window.
     */
    static void maxPoolPlane(Object src, int plane, Window2d g, Object values, long[] indices, int o) {
        int outH = g.outH(), outW = g.outW(), h = g.h(), w = g.w();
        int kh = g.kh(), kw = g.kw(), sh = g.sh(), sw = g.sw(), ph = g.ph(), pw = g.pw();
        if (src instanceof float[] s) {
            float[] out = (float[]) values;
            for (int oh = 0; oh < outH; oh++) {
                int y0 = Math.max(0, oh * sh - ph), y1 = Math.min(h, oh * sh - ph + kh);
                for (int ow = 0; ow < outW; ow++, o++) {
                    int x0 = Math.max(0, ow * sw - pw), x1 = Math.min(w, ow * sw - pw + kw);
                    int at = -1;
                    float best = Float.NEGATIVE_INFINITY;
                    for (int y = y0; y < y1; y++) {
                        for (int x = x0; x < x1; x++) {
                            float v = s[plane + y * w + x];
                            if (at < 0 || v > best || (v != v && best == best)) {
                                best = v;
                                at = y * w + x;
                            }
                        }
                    }
                    out[o] = best;
                    indices[o] = at;
                }
            }
        } else {
            double[] s = (double[]) src, out = (double[]) values;
            for (int oh = 0; oh < outH; oh++) {
                int y0 = Math.max(0, oh * sh - ph), y1 = Math.min(h, oh * sh - ph + kh);
                for (int ow = 0; ow < outW; ow++, o++) {
                    int x0 = Math.max(0, ow * sw - pw), x1 = Math.min(w, ow * sw - pw + kw);
                    int at = -1;
                    double best = Double.NEGATIVE_INFINITY;
                    for (int y = y0; y < y1; y++) {
                        for (int x = x0; x < x1; x++) {
                            double v = s[plane + y * w + x];
                            if (at < 0 || v > best || (v != v && best == best)) {
                                best = v;
                                at = y * w + x;
                            }
                        }
                    }
                    out[o] = best;
                    indices[o] = at;
                }
            }
        }
    }

    /** The course's window, 2 x 2 at stride 2 without padding, on a float32 plane small enough that its indices are exact in a float. */
    static boolean isPool2x2(Window2d g) {
        return g.kh() == 2 && g.kw() == 2 && g.sh() == 2 && g.sw() == 2 && g.ph() == 0 && g.pw() == 0
                && (long) g.h() * g.w() <= 1 << 24;
    }

    /**
     * {@link #maxPoolPlane} for planes first..end-1 in the course's window ({@link #isPool2x2}), with
     * the same choices, a vector of windows at a time. A window is two neighbouring columns of a pair
     * of rows, so it is taken in two passes. Down: for every column of a row pair, the larger of its
     * two numbers and that number's index in the plane. Across: the results of a row pair's columns
     * 2q and 2q + 1 are window q's two candidates, and windows follow each other in output order
     * from one row pair to the next, so vectors of them are read straight from the first pass's
     * rows. The comparisons of the plain loop jump one way or the other at random on real
     * activations; here they are masks and blends.
     */
    static void pool2x2(float[] s, int base, Window2d g, float[] out, long[] indices, int first, int end) {
        int outH = g.outH(), outW = g.outW(), w = g.w(), cols = 2 * outW, planeSize = g.h() * w;
        int block = Math.min((end - first) * outH, Math.max(1, BLOCK_WINDOWS / outW));
        // room for the whole vectors that run past the last row pair's columns
        float[] down = new float[block * cols + 2 * LANES], downAt = new float[down.length];
        float[] across = new float[block * outW + LANES], acrossAt = new float[across.length];
        for (int r0 = first * outH, rEnd = end * outH; r0 < rEnd; r0 += block) {
            int rows = Math.min(block, rEnd - r0);
            for (int j = 0; j < rows; j++) {
                int r = r0 + j, oh = r % outH, top = base + r / outH * planeSize + 2 * oh * w;
                if (top + w + cols + LANES <= s.length) {
                    down(s, top, w, cols, 2 * oh * w, down, downAt, j * cols);
                } else {
                    downPlain(s, top, w, cols, 2 * oh * w, down, downAt, j * cols);
                }
            }
            int windows = rows * outW;
            for (int q = 0; q < windows; q += LANES) {
                across(down, downAt, 2 * q, across, acrossAt, q);
            }
            int o = r0 * outW;
            System.arraycopy(across, 0, out, o, windows);
            for (int q = 0; q < windows; q++) {
                indices[o + q] = (long) acrossAt[q];
            }
        }
    }

    /**
     * One row pair, its rows {@code top} and {@code top + w}: for each of the first cols columns, the
     * larger number to v from {@code to} on (the top one on a tie, and a NaN over a number) and its
     * index in the plane to at. Whole vectors read and write past cols (the next row's numbers, the
     * next row pair's slots, overwritten after), so the caller keeps the last rows of the array for
     * {@link #downPlain}.
     */
    private static void down(float[] s, int top, int w, int cols, int topIndex, float[] v, float[] at, int to) {
        for (int k = 0; k < cols; k += LANES) {
            FloatVector t = FloatVector.fromArray(SPECIES, s, top + k), b = FloatVector.fromArray(SPECIES, s, top + w + k);
            VectorMask<Float> bottomWins = b.compare(VectorOperators.GT, t).or(isNan(b).andNot(isNan(t)));
            t.blend(b, bottomWins).intoArray(v, to + k);
            FloatVector index = IOTA.add(topIndex + k);
            index.blend(index.add(w), bottomWins).intoArray(at, to + k);
        }
    }

    /**
     * {@link #down} a number at a time, for row pairs whose whole vectors would read past the array.
     * Not a masked load in the vector loop: JDK 17 compiles a masked load near an array's end into a
     * call, and the loop around it then kept every vector as an object, three times slower.
     */
    private static void downPlain(float[] s, int top, int w, int cols, int topIndex, float[] v, float[] at, int to) {
        for (int k = 0; k < cols; k++) {
            float t = s[top + k], b = s[top + w + k];
            boolean bottomWins = b > t || (b != b && t == t);
            v[to + k] = bottomWins ? b : t;
            at[to + k] = topIndex + k + (bottomWins ? w : 0);
        }
    }

    /**
     * LANES windows from the first pass's results at {@code from}: the right candidate wins if it is
     * larger, or a NaN against a number, or equal (NaN and NaN too) and first in reading order, which
     * is the smaller index.
     */
    private static void across(float[] v, float[] at, int from, float[] out, float[] outAt, int to) {
        FloatVector v0 = FloatVector.fromArray(SPECIES, v, from), v1 = FloatVector.fromArray(SPECIES, v, from + LANES);
        FloatVector a0 = FloatVector.fromArray(SPECIES, at, from), a1 = FloatVector.fromArray(SPECIES, at, from + LANES);
        FloatVector left = even(v0, v1), right = odd(v0, v1), leftAt = even(a0, a1), rightAt = odd(a0, a1);
        VectorMask<Float> leftNan = isNan(left), rightNan = isNan(right);
        VectorMask<Float> tie = right.compare(VectorOperators.EQ, left).or(rightNan.and(leftNan));
        VectorMask<Float> rightWins = right.compare(VectorOperators.GT, left).or(rightNan.andNot(leftNan))
                .or(tie.and(rightAt.compare(VectorOperators.LT, leftAt)));
        left.blend(right, rightWins).intoArray(out, to);
        leftAt.blend(rightAt, rightWins).intoArray(outAt, to);
    }

    /**
     * Lanes 0, 2, 4, ... of a followed by those of b. Two one-vector shuffles and a blend: with JDK
     * 17's two-vector {@code rearrange} the kernel took twice as long, slower than the plain loop.
     */
    private static FloatVector even(FloatVector a, FloatVector b) {
        return a.rearrange(EVEN).blend(b.rearrange(EVEN), SECOND_HALF);
    }

    /** Lanes 1, 3, 5, ... of a followed by those of b. */
    private static FloatVector odd(FloatVector a, FloatVector b) {
        return a.rearrange(ODD).blend(b.rearrange(ODD), SECOND_HALF);
    }

    private static VectorMask<Float> isNan(FloatVector x) {
        return x.compare(VectorOperators.NE, x);
    }

    /** {@link #pool2x2} for {@link VectorWarmup}: LeNet's first pooling, one plane. Under 10 ns a window counts as compiled. */
    static VectorWarmup.Kernel poolWarmupKernel() {
        Window2d g = new Window2d(1, 1, 28, 28, 2, 2, 2, 2, 0, 0);
        float[] s = new float[28 * 28], out = new float[14 * 14];
        long[] indices = new long[out.length];
        return new VectorWarmup.Kernel("WindowRuns.pool2x2", 10L * out.length, () -> pool2x2(s, 0, g, out, indices, 0, 1));
    }
}
