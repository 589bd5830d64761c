package dev.steptorch.tensor.cpu;

import dev.steptorch.tensor.Window2d;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The typed inner loops of {@link WindowLoops}: each takes its arrays as Object and picks the
 * float32 or float64 loop once per run, so the walks over windows are written once for both.
 */
final class WindowRuns {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();

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
        if (src instanceof float[] s && kh == 2 && kw == 2 && sh == 2 && sw == 2 && ph == 0 && pw == 0) {
            pool2x2(s, plane, w, outH, outW, (float[]) values, indices, o);
        } else if (src instanceof float[] s) {
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

    /**
     * {@link #maxPoolPlane} for the course's pooling, 2 x 2 windows at stride 2 without padding,
     * with the same choices. Which of four numbers is largest is a coin toss on real activations,
     * so the comparisons of the general loop jump the wrong way about half the time; here the
     * largest comes from Math.max and the first element equal to it from conditional moves, and
     * only a NaN (rare) takes a branch. 4 to 7 times faster on random data.
     */
    private static void pool2x2(float[] s, int plane, int w, int outH, int outW, float[] out, long[] indices, int o) {
        for (int oh = 0; oh < outH; oh++) {
            int row = 2 * oh * w;
            for (int ow = 0; ow < outW; ow++, o++) {
                int i = plane + row + 2 * ow;
                float a = s[i], b = s[i + 1], c = s[i + w], d = s[i + w + 1];
                float m = Math.max(Math.max(a, b), Math.max(c, d));
                int at;
                if (m == m) {
                    // the first element equal to the largest; -0.0 equals 0.0, so the first of those wins too
                    at = c == m ? w : w + 1;
                    at = b == m ? 1 : at;
                    at = a == m ? 0 : at;
                } else {
                    at = a != a ? 0 : b != b ? 1 : c != c ? w : w + 1;
                }
                out[o] = s[i + at];
                indices[o] = row + 2 * ow + at;
            }
        }
    }
}
