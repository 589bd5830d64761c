package dev.steptorch.tensor.cpu;

/**
 * Moves one strided row of any dtype into a double[] or long[] scratch row and back. Kernels
 * that are not worth a loop per dtype compute in one of two lanes: double for floating point
 * (exact for float32's + - * / and sqrt, whose double result rounds to the same float), long
 * for int64 and bool, so 64-bit integers never pass through a double.
 */
final class Lanes {
    private static final ThreadLocal<double[][]> DOUBLES = ThreadLocal.withInitial(() -> new double[3][1024]);
    private static final ThreadLocal<long[][]> LONGS = ThreadLocal.withInitial(() -> new long[3][1024]);

    private Lanes() {
    }

    /** Scratch row {@code which} (0..2) of at least {@code len} doubles, owned by this thread. */
    static double[] doubles(int which, int len) {
        double[][] rows = DOUBLES.get();
        if (rows[which].length < len) {
            rows[which] = new double[Math.max(len, 2 * rows[which].length)];
        }
        return rows[which];
    }

    static long[] longs(int which, int len) {
        long[][] rows = LONGS.get();
        if (rows[which].length < len) {
            rows[which] = new long[Math.max(len, 2 * rows[which].length)];
        }
        return rows[which];
    }

    static void gather(Object src, int off, int stride, int len, double[] dst) {
        if (src instanceof float[]) {
            float[] a = (float[]) src;
            for (int i = 0; i < len; i++) {
                dst[i] = a[off + i * stride];
            }
        } else if (src instanceof double[]) {
            double[] a = (double[]) src;
            for (int i = 0; i < len; i++) {
                dst[i] = a[off + i * stride];
            }
        } else if (src instanceof long[]) {
            long[] a = (long[]) src;
            for (int i = 0; i < len; i++) {
                dst[i] = a[off + i * stride];
            }
        } else {
            boolean[] a = (boolean[]) src;
            for (int i = 0; i < len; i++) {
                dst[i] = a[off + i * stride] ? 1 : 0;
            }
        }
    }

    static void gather(Object src, int off, int stride, int len, long[] dst) {
        if (src instanceof long[]) {
            long[] a = (long[]) src;
            for (int i = 0; i < len; i++) {
                dst[i] = a[off + i * stride];
            }
        } else if (src instanceof boolean[]) {
            boolean[] a = (boolean[]) src;
            for (int i = 0; i < len; i++) {
                dst[i] = a[off + i * stride] ? 1 : 0;
            }
        } else {
            double[] tmp = doubles(2, len);
            gather(src, off, stride, len, tmp);
            for (int i = 0; i < len; i++) {
                dst[i] = (long) tmp[i];
            }
        }
    }

    /** Writes the row, converting as a Java cast does (floats truncate towards zero into int64; non-zero is true). */
    static void scatter(double[] src, Object dst, int off, int stride, int len) {
        if (dst instanceof float[]) {
            float[] a = (float[]) dst;
            for (int i = 0; i < len; i++) {
                a[off + i * stride] = (float) src[i];
            }
        } else if (dst instanceof double[]) {
            double[] a = (double[]) dst;
            for (int i = 0; i < len; i++) {
                a[off + i * stride] = src[i];
            }
        } else if (dst instanceof long[]) {
            long[] a = (long[]) dst;
            for (int i = 0; i < len; i++) {
                a[off + i * stride] = (long) src[i];
            }
        } else {
            boolean[] a = (boolean[]) dst;
            for (int i = 0; i < len; i++) {
                a[off + i * stride] = src[i] != 0;
            }
        }
    }

    static void scatter(long[] src, Object dst, int off, int stride, int len) {
        if (dst instanceof long[]) {
            long[] a = (long[]) dst;
            for (int i = 0; i < len; i++) {
                a[off + i * stride] = src[i];
            }
        } else if (dst instanceof boolean[]) {
            boolean[] a = (boolean[]) dst;
            for (int i = 0; i < len; i++) {
                a[off + i * stride] = src[i] != 0;
            }
        } else {
            double[] tmp = doubles(2, len);
            for (int i = 0; i < len; i++) {
                tmp[i] = src[i];
            }
            scatter(tmp, dst, off, stride, len);
        }
    }
}
