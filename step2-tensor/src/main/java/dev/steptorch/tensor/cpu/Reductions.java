package dev.steptorch.tensor.cpu;

import dev.steptorch.ndarray.Parallel;
import dev.steptorch.tensor.Tensor;
import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Sum, product, max and min along one dimension. Each output element walks its line of the input; sums
 * accumulate in double (or long) whatever the input dtype, so a float32 sum is the correctly
 * rounded sum far more often than a float accumulator would give. A single long line (the
 * {@code loss.sum()} of the course) is split across threads when it is big enough.
 */
final class Reductions {
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    /** As many doubles as half the floats: a float vector widens into two of these. */
    private static final VectorSpecies<Double> DOUBLES = VectorSpecies.of(double.class, FLOATS.vectorShape());

    private Reductions() {
    }

    static void sum(Tensor a, int dim, Tensor out) {
        Object x = ((CpuStorage) a.storage()).array();
        CpuStorage z = (CpuStorage) out.storage();
        int len = a.shape()[dim];
        int step = a.strides()[dim];
        boolean exactLong = !a.dtype().isFloatingPoint();
        int[] shape = out.shape();
        StridedRows.forEach(shape, new int[][] {a.strides(), out.strides()}, new int[] {a.storageOffset(), out.storageOffset()},
                (o0, s0, o1, s1, o2, s2, n) -> {
                    for (int i = 0; i < n; i++) {
                        int start = o0 + i * s0;
                        if (exactLong) {
                            z.setLong(o1 + i * s1, sumLong(x, start, step, len));
                        } else {
                            z.setDouble(o1 + i * s1, out.numel() == 1 ? parallelSum(x, start, step, len) : sumDouble(x, start, step, len));
                        }
                    }
                });
    }

    /** Products along dim, in double (exact long for integers and bool); an empty product is 1. */
    static void prod(Tensor a, int dim, Tensor out) {
        CpuStorage x = (CpuStorage) a.storage();
        CpuStorage z = (CpuStorage) out.storage();
        int len = a.shape()[dim];
        int step = a.strides()[dim];
        boolean exactLong = !a.dtype().isFloatingPoint();
        StridedRows.forEach(out.shape(), new int[][] {a.strides(), out.strides()}, new int[] {a.storageOffset(), out.storageOffset()},
                (o0, s0, o1, s1, o2, s2, n) -> {
                    for (int i = 0; i < n; i++) {
                        int start = o0 + i * s0;
                        long l = 1;
                        double d = 1;
                        for (int k = 0; k < len; k++) {
                            if (exactLong) {
                                l *= x.getLong(start + k * step);
                            } else {
                                d *= x.getDouble(start + k * step);
                            }
                        }
                        if (exactLong) {
                            z.setLong(o1 + i * s1, l);
                        } else {
                            z.setDouble(o1 + i * s1, d);
                        }
                    }
                });
    }

    private static double parallelSum(Object x, int start, int step, int len) {
        if (len < StridedRows.PARALLEL_ELEMENTS) {
            return sumDouble(x, start, step, len);
        }
        // the same 16 chunks, added in the same order, however many threads run them
        int chunks = 16;
        double[] partial = new double[chunks];
        Parallel.forEach(chunks, c -> {
            int lo = (int) ((long) len * c / chunks);
            int hi = (int) ((long) len * (c + 1) / chunks);
            partial[c] = sumDouble(x, start + lo * step, step, hi - lo);
        });
        return Arrays.stream(partial).sum();
    }

    private static double sumDouble(Object x, int start, int step, int len) {
        if (step == 1 && x instanceof float[] f && len >= FLOATS.length()) {
            return sumRun(f, start, len);
        }
        double s0 = 0, s1 = 0;
        if (x instanceof float[]) {
            float[] a = (float[]) x;
            int i = 0;
            for (; i + 1 < len; i += 2) {
                s0 += a[start + i * step];
                s1 += a[start + (i + 1) * step];
            }
            if (i < len) {
                s0 += a[start + i * step];
            }
        } else {
            double[] a = (double[]) x;
            int i = 0;
            for (; i + 1 < len; i += 2) {
                s0 += a[start + i * step];
                s1 += a[start + (i + 1) * step];
            }
            if (i < len) {
                s0 += a[start + i * step];
            }
        }
        return s0 + s1;
    }

    /**
     * A contiguous float32 line, a vector at a time, each widened to two vectors of doubles: still a
     * double sum, in another order, and 3 to 4 times faster than the two scalar chains above on a
     * convolution's bias gradient (lines of H*W).
     */
    private static double sumRun(float[] a, int start, int len) {
        DoubleVector s0 = DoubleVector.zero(DOUBLES), s1 = s0;
        int i = 0;
        for (; i <= len - FLOATS.length(); i += FLOATS.length()) {
            FloatVector v = FloatVector.fromArray(FLOATS, a, start + i);
            s0 = s0.add((DoubleVector) v.convertShape(VectorOperators.F2D, DOUBLES, 0));
            s1 = s1.add((DoubleVector) v.convertShape(VectorOperators.F2D, DOUBLES, 1));
        }
        double s = s0.add(s1).reduceLanes(VectorOperators.ADD);
        for (; i < len; i++) {
            s += a[start + i];
        }
        return s;
    }

    /** {@link #sumRun} for {@link VectorWarmup}, on a line of its own with a ragged end; under 50 ns a vector counts as compiled. */
    static VectorWarmup.Kernel warmupKernel() {
        float[] x = new float[4096 + 5];
        double[] sum = new double[1];
        return new VectorWarmup.Kernel("Reductions.sumRun", 50L * x.length / FLOATS.length(), () -> sum[0] = sumRun(x, 0, x.length));
    }

    private static long sumLong(Object x, int start, int step, int len) {
        long s = 0;
        if (x instanceof long[]) {
            long[] a = (long[]) x;
            for (int i = 0; i < len; i++) {
                s += a[start + i * step];
            }
        } else {
            boolean[] a = (boolean[]) x;
            for (int i = 0; i < len; i++) {
                s += a[start + i * step] ? 1 : 0;
            }
        }
        return s;
    }

    /**
     * First index of the largest (or smallest) value along dim; a NaN beats everything either
     * way, as in PyTorch.
     */
    static void extreme(Tensor a, int dim, Tensor values, Tensor indices, boolean largest) {
        CpuStorage x = (CpuStorage) a.storage();
        CpuStorage v = (CpuStorage) values.storage();
        long[] idx = (long[]) ((CpuStorage) indices.storage()).array();
        int len = a.shape()[dim];
        int step = a.strides()[dim];
        boolean isLong = !a.dtype().isFloatingPoint();
        StridedRows.forEach(values.shape(), new int[][] {a.strides(), values.strides(), indices.strides()},
                new int[] {a.storageOffset(), values.storageOffset(), indices.storageOffset()},
                (o0, s0, o1, s1, o2, s2, n) -> {
                    for (int i = 0; i < n; i++) {
                        int start = o0 + i * s0;
                        int best = 0;
                        if (isLong) {
                            long m = x.getLong(start);
                            for (int k = 1; k < len; k++) {
                                long e = x.getLong(start + k * step);
                                if (largest ? e > m : e < m) {
                                    m = e;
                                    best = k;
                                }
                            }
                            v.setLong(o1 + i * s1, m);
                        } else {
                            double m = x.getDouble(start);
                            for (int k = 1; k < len && !Double.isNaN(m); k++) {
                                double e = x.getDouble(start + k * step);
                                if ((largest ? e > m : e < m) || Double.isNaN(e)) {
                                    m = e;
                                    best = k;
                                }
                            }
                            v.setDouble(o1 + i * s1, m);
                        }
                        idx[o2 + i * s2] = best;
                    }
                });
    }
}
