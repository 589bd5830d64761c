package dev.steptorch.tensor.cpu;

/**
 * The typed inner loops of {@link WindowLoops}: each takes its arrays as Object and picks the
 * float32 or float64 loop once per run, so the walks over windows are written once for both.
 */
final class WindowRuns {
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
     * The largest element of rows [y0, y1) and columns [x0, x1) of the plane at {@code plane}
     * (row length w) goes to values[o]; returns its index y * w + x within the plane. A NaN wins, the
     * first of equal values wins, and an empty window (all padding) gives -inf at index -1.
     */
    static long argmax(Object src, int plane, int w, int y0, int y1, int x0, int x1, Object values, int o) {
        int at = -1;
        if (src instanceof float[] s) {
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
            ((float[]) values)[o] = best;
        } else {
            double[] s = (double[]) src;
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
            ((double[]) values)[o] = best;
        }
        return at;
    }
}
