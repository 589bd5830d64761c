package dev.steptorch.tensor;

import java.util.Arrays;

/**
 * Assertions for the graded tests of the classroom exercises (docs/teaching.md): a failure names
 * the quantity in the course's terms, the first element that is wrong by its index, the expected
 * value and the value got, rather than a dump of two arrays.
 */
public final class ExerciseAssert {
    private ExerciseAssert() {
    }

    /** {@code got} equals {@code expected} (of the same shape) within {@code tol}, relative to the magnitude. */
    public static void close(String what, Tensor got, Tensor expected, double tol) {
        if (got == null) {
            throw new AssertionError(what + ": expected a tensor of shape " + expected.size() + ", got null");
        }
        if (!Arrays.equals(got.shape(), expected.shape())) {
            throw new AssertionError(what + ": expected shape " + expected.size() + ", got shape " + got.size());
        }
        close(what, got, expected.toDoubleArray(), tol);
    }

    /** {@code got}'s elements in C order equal {@code expected} within {@code tol}. */
    public static void close(String what, Tensor got, double[] expected, double tol) {
        if (got == null) {
            throw new AssertionError(what + ": expected a tensor, got null");
        }
        double[] g = got.toDoubleArray();
        if (g.length != expected.length) {
            throw new AssertionError(what + ": expected " + expected.length + " elements, got shape " + got.size());
        }
        for (int i = 0; i < g.length; i++) {
            boolean same = Double.isNaN(expected[i]) ? Double.isNaN(g[i])
                    : Math.abs(g[i] - expected[i]) <= tol * (1 + Math.abs(expected[i]));
            if (!same) {
                throw new AssertionError(what + " at " + index(got.shape(), i) + ": expected " + expected[i] + ", got " + g[i]);
            }
        }
    }

    /** {@code [1, 2]}: the multi-index of the {@code flat}-th element in C order. */
    public static String index(int[] shape, int flat) {
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = shape[d] == 0 ? 0 : flat % shape[d];
            flat = shape[d] == 0 ? flat : flat / shape[d];
        }
        return Arrays.toString(idx);
    }

    /** A float64 tensor of {@code shape} holding {@code values} in C order: the exercise tests' inputs. */
    public static Tensor float64(double[] values, int... shape) {
        return Torch.tensor(values, Options.dtype(DType.FLOAT64)).view(shape);
    }

    public static void check(boolean ok, String message) {
        if (!ok) {
            throw new AssertionError(message);
        }
    }
}
