package dev.steptorch.ndarray;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * NumPy's module functions, the {@code np.f(...)} half of NumPy's API: {@code NumPy.zeros(3, 4)} is
 * {@code np.zeros((3, 4))}, {@code NumPy.random().randn(3, 4)} is {@code np.random.randn(3, 4)} and
 * {@code NumPy.maximum(h, 0)} is {@code np.maximum(h, 0)}. What NumPy spells as a method or an
 * operator ({@code a.sum()}, {@code a.dot(b)}, {@code a.T}, {@code a - b}) stays on {@link NDArray},
 * so a line of the course reads the same way in both languages.
 *
 * <p>A Java {@code double} argument acts as a Python float would.
 */
public final class NumPy {
    private static final NDRandom RANDOM = new NDRandom();

    private NumPy() {
    }

    // ---------------------------------------------------------------- np.random

    /** The generator behind {@code np.random}: {@code random().seed(0)} makes later draws repeat. */
    public static NDRandom random() {
        return RANDOM;
    }

    // ---------------------------------------------------------------- creation

    public static NDArray zeros(int... shape) {
        return zeros(DType.FLOAT64, shape);
    }

    public static NDArray zeros(DType dtype, int... shape) {
        checkShape("zeros", shape);
        return NDArray.empty(dtype, shape.clone());
    }

    public static NDArray ones(int... shape) {
        return full(1, shape);
    }

    public static NDArray full(double value, int... shape) {
        checkShape("full", shape);
        double[] d = new double[Shapes.size(shape)];
        Arrays.fill(d, value);
        return NDArray.wrap(d, shape.clone());
    }

    /** An array of zeros with the shape and dtype of {@code a}. */
    public static NDArray zerosLike(NDArray a) {
        return NDArray.empty(a.dtype, a.shape.clone());
    }

    /** A 0-d float64 array holding {@code value}, like {@code np.array(3.5)}. */
    public static NDArray scalar(double value) {
        return NDArray.wrap(new double[] {value});
    }

    /** {@code 0, 1, ..., stop-1} as int64, like {@code np.arange(stop)}. */
    public static NDArray arange(int stop) {
        return arange(0, stop, 1);
    }

    public static NDArray arange(int start, int stop) {
        return arange(start, stop, 1);
    }

    public static NDArray arange(int start, int stop, int step) {
        if (step == 0) {
            throw new IllegalArgumentException("arange: step must not be zero");
        }
        int n = Math.max(0, (int) Math.ceil((stop - start) / (double) step));
        long[] d = new long[n];
        for (int i = 0; i < n; i++) {
            d[i] = start + (long) i * step;
        }
        return NDArray.wrap(d, n);
    }

    /** Evenly spaced float64 values in [start, stop), like {@code np.arange(0.0, 1.0, 0.25)}. */
    public static NDArray arange(double start, double stop, double step) {
        if (step == 0) {
            throw new IllegalArgumentException("arange: step must not be zero");
        }
        int n = Math.max(0, (int) Math.ceil((stop - start) / step));
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = start + i * step;
        }
        return NDArray.wrap(d, n);
    }

    /** A 1-D float64 array: {@code NumPy.of(1, 2, 3)} is {@code np.array([1., 2., 3.])}. */
    public static NDArray of(double... values) {
        return NDArray.wrap(values.clone(), values.length);
    }

    /** A 2-D float64 array from rows of equal length. */
    public static NDArray of(double[]... rows) {
        return fromArray(rows);
    }

    /**
     * Copies nested Java arrays ({@code double[][]}, {@code float[][][]}, {@code int[]},
     * {@code boolean[][]}, ...) into a new array, like {@code np.array(nested_lists)}. A boxed
     * number gives a 0-d array. int arrays become int64.
     */
    public static NDArray fromArray(Object nested) {
        if (nested instanceof Number) {
            return scalar(((Number) nested).doubleValue());
        }
        if (nested instanceof Boolean) {
            return NDArray.wrap(new boolean[] {(Boolean) nested});
        }
        if (nested == null || !nested.getClass().isArray()) {
            throw new IllegalArgumentException("fromArray: expected a (nested) Java array, got "
                    + (nested == null ? "null" : nested.getClass().getSimpleName()));
        }
        List<Integer> dims = new ArrayList<>();
        Object probe = nested;
        Class<?> leaf = nested.getClass();
        while (probe != null && probe.getClass().isArray()) {
            dims.add(Array.getLength(probe));
            leaf = probe.getClass().getComponentType();
            probe = leaf.isPrimitive() || Array.getLength(probe) == 0 ? null : Array.get(probe, 0);
        }
        while (leaf.isArray()) {
            leaf = leaf.getComponentType();
            dims.add(0);
        }
        DType dtype = leaf == double.class ? DType.FLOAT64 : leaf == float.class ? DType.FLOAT32
                : leaf == long.class || leaf == int.class || leaf == short.class || leaf == byte.class ? DType.INT64
                : leaf == boolean.class ? DType.BOOL : null;
        if (dtype == null) {
            throw new IllegalArgumentException("fromArray: cannot hold elements of type " + leaf.getSimpleName());
        }
        int[] shape = dims.stream().mapToInt(Integer::intValue).toArray();
        NDArray out = NDArray.empty(dtype, shape);
        int[] cursor = {0};
        fill(nested, 0, shape, out, cursor);
        return out;
    }

    private static void fill(Object level, int depth, int[] shape, NDArray out, int[] cursor) {
        int n = Array.getLength(level);
        if (n != shape[depth]) {
            throw new IllegalArgumentException("fromArray: ragged nested arrays: expected length " + shape[depth]
                    + " at depth " + depth + ", got " + n);
        }
        for (int i = 0; i < n; i++) {
            Object x = Array.get(level, i);
            if (depth == shape.length - 1) {
                double v = x instanceof Boolean ? ((Boolean) x ? 1 : 0) : ((Number) x).doubleValue();
                out.dtype.set(out.data, cursor[0]++, v);
            } else {
                if (x == null) {
                    throw new IllegalArgumentException("fromArray: null row at depth " + (depth + 1));
                }
                fill(x, depth + 1, shape, out, cursor);
            }
        }
    }

    private static void checkShape(String op, int[] shape) {
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException(op + ": negative dimensions are not allowed, got shape " + Shapes.compact(shape));
            }
        }
    }

    // ---------------------------------------------------------------- ufuncs without a method form

    /** Elementwise larger of the two, with broadcasting; {@code maximum(h, 0)} is ReLU. */
    public static NDArray maximum(NDArray a, NDArray b) { return Ufuncs.binary(BinaryOp.MAXIMUM, a, b); }
    public static NDArray maximum(NDArray a, double s) { return Ufuncs.binaryScalar(BinaryOp.MAXIMUM, a, s); }
    public static NDArray minimum(NDArray a, NDArray b) { return Ufuncs.binary(BinaryOp.MINIMUM, a, b); }
    public static NDArray minimum(NDArray a, double s) { return Ufuncs.binaryScalar(BinaryOp.MINIMUM, a, s); }

    public static NDArray square(NDArray a) { return Ufuncs.unary(UnaryOp.SQUARE, a); }
    public static NDArray sqrt(NDArray a) { return Ufuncs.unary(UnaryOp.SQRT, a); }
    public static NDArray exp(NDArray a) { return Ufuncs.unary(UnaryOp.EXP, a); }
    public static NDArray log(NDArray a) { return Ufuncs.unary(UnaryOp.LOG, a); }
    public static NDArray abs(NDArray a) { return Ufuncs.unary(UnaryOp.ABS, a); }

    // ---------------------------------------------------------------- views NumPy offers only as functions

    /** Inserts an axis of size 1 at position {@code axis}, a view (NumPy's {@code expand_dims}). */
    public static NDArray expandDims(NDArray a, int axis) {
        int ax = Shapes.normalizeAxis("expandDims", axis, a.ndim() + 1);
        return a.view(Shapes.insert(a.shape, ax, 1), Shapes.insert(a.strides, ax, 0), a.offset);
    }

    /** A read-through view with the given shape, repeating elements with stride 0 (NumPy's {@code broadcast_to}). */
    public static NDArray broadcastTo(NDArray a, int... target) {
        int[] b = Shapes.broadcast("broadcastTo", a.shape, target);
        if (!Shapes.same(b, target)) {
            throw new IllegalArgumentException("broadcastTo: cannot broadcast an array of shape " + Shapes.compact(a.shape)
                    + " to shape " + Shapes.compact(target));
        }
        return a.view(target.clone(), Shapes.broadcastStrides(a.shape, a.strides, target), a.offset);
    }

    // ---------------------------------------------------------------- comparing whole arrays

    /** NumPy's {@code shares_memory} in its cheap form: do both arrays use the same storage? */
    public static boolean sharesMemory(NDArray a, NDArray b) {
        return a.data == b.data;
    }

    /** NumPy's {@code array_equal}: same shape and equal elements. */
    public static boolean arrayEqual(NDArray a, NDArray b) {
        return Shapes.same(a.shape, b.shape) && Arrays.equals(a.toDoubleArray(), b.toDoubleArray());
    }

    /** NumPy's {@code allclose}: same broadcast shape and |a - b| &lt;= atol + rtol |b| everywhere. */
    public static boolean allclose(NDArray a, NDArray b, double rtol, double atol) {
        NDArray x = a.astype(DType.FLOAT64);
        NDArray y = b.astype(DType.FLOAT64);
        NDArray close = abs(x.sub(y)).le(abs(y).mul(rtol).add(atol));
        for (boolean c : (boolean[]) close.data) {
            if (!c) return false;
        }
        return true;
    }

    public static boolean allclose(NDArray a, NDArray b) {
        return allclose(a, b, 1e-5, 1e-8);
    }
}
