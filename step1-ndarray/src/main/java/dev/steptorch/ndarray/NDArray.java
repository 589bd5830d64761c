package dev.steptorch.ndarray;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An n-dimensional array in the manner of NumPy's {@code ndarray}: a flat primitive storage array
 * plus a shape, strides (in elements) and an offset saying where element {@code [0,...,0]} lives.
 * Many arrays can share one storage; {@code reshape}, {@code transpose}, {@code T()} and
 * {@link #get(Index...)} return such views and copy nothing, just as NumPy does.
 *
 * <p>Conventions: methods that return a new array are named after NumPy ({@code add},
 * {@code maximum}, {@code sum}, {@code dot}); methods that change this array in place end in an
 * underscore, as in PyTorch ({@code sub_}, {@code fill_}, {@code maskedFill_}) and return
 * {@code this}. A Java {@code double} argument acts as a Python float would.
 *
 * <p><b>The bridge hook.</b> {@link #data()}, {@link #shape()}, {@link #strides()}, {@link #offset()},
 * {@link #dtype()} and {@link #wrap(Object, int[], int[], int)} expose and adopt the storage itself,
 * with no copy, the way NumPy's array interface does; step 2's tensors use them to share memory.
 */
public final class NDArray {
    private static final NDRandom RANDOM = new NDRandom();

    private final Object data;
    private final DType dtype;
    private final int[] shape;
    private final int[] strides;
    private final int offset;

    private NDArray(Object data, DType dtype, int[] shape, int[] strides, int offset) {
        this.data = data;
        this.dtype = dtype;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
    }

    /** A fresh C-contiguous array; every other creation path ends here or in a view. */
    private static NDArray empty(DType dtype, int[] shape) {
        return new NDArray(dtype.allocate(Shapes.size(shape)), dtype, shape, Shapes.contiguousStrides(shape), 0);
    }

    private NDArray view(int[] newShape, int[] newStrides, int newOffset) {
        return new NDArray(data, dtype, newShape, newStrides, newOffset);
    }

    // ---------------------------------------------------------------- the bridge hook

    /**
     * Bridge hook: a view over an existing storage array ({@code double[]}, {@code float[]},
     * {@code long[]} or {@code boolean[]}), sharing it. Strides and offset count elements. Every
     * index the view can reach is checked to lie inside {@code data}.
     */
    public static NDArray wrap(Object data, int[] shape, int[] strides, int offset) {
        DType dtype = data == null ? null : DType.ofStorage(data);
        if (dtype == null) {
            throw new IllegalArgumentException("wrap: data must be a double[], float[], long[] or boolean[], got "
                    + (data == null ? "null" : data.getClass().getSimpleName()));
        }
        if (shape == null || strides == null || shape.length != strides.length) {
            throw new IllegalArgumentException("wrap: shape " + (shape == null ? "null" : Shapes.compact(shape))
                    + " and strides " + (strides == null ? "null" : Shapes.compact(strides)) + " must have the same length");
        }
        int length = DType.length(data);
        long lo = offset;
        long hi = offset;
        boolean empty = false;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0) {
                throw new IllegalArgumentException("wrap: negative dimensions are not allowed, got shape " + Shapes.compact(shape));
            }
            empty |= shape[i] == 0;
            long reach = (long) strides[i] * (shape[i] - 1);
            if (reach > 0) hi += reach; else lo += reach;
        }
        if (!empty && (lo < 0 || hi >= length)) {
            throw new IllegalArgumentException("wrap: a view with shape " + Shapes.compact(shape) + ", strides "
                    + Shapes.compact(strides) + " and offset " + offset + " reaches index " + (lo < 0 ? lo : hi)
                    + ", outside data of length " + length);
        }
        return new NDArray(data, dtype, shape.clone(), strides.clone(), offset);
    }

    /** Bridge hook: a C-contiguous view over the whole of {@code data}, whose length must match. */
    public static NDArray wrap(Object data, int... shape) {
        int n = Shapes.size(shape);
        if (data != null && DType.ofStorage(data) != null && DType.length(data) != n) {
            throw new IllegalArgumentException("wrap: data of length " + DType.length(data)
                    + " does not fit shape " + Shapes.compact(shape) + " (size " + n + ")");
        }
        return wrap(data, shape, Shapes.contiguousStrides(shape), 0);
    }

    /** Bridge hook: the storage array itself (not a copy): {@code double[]}, {@code float[]}, ... */
    public Object data() {
        return data;
    }

    /** Bridge hook: the element type, which fixes the class of {@link #data()}. */
    public DType dtype() {
        return dtype;
    }

    /** The size of each axis (a copy), NumPy's {@code a.shape}. */
    public int[] shape() {
        return shape.clone();
    }

    /** Bridge hook: how many storage elements one step along each axis moves (a copy). */
    public int[] strides() {
        return strides.clone();
    }

    /** Bridge hook: where element {@code [0,...,0]} lives in {@link #data()}. */
    public int offset() {
        return offset;
    }

    public int ndim() {
        return shape.length;
    }

    public int size() {
        return Shapes.size(shape);
    }

    /** The size of one axis; negative axes count from the end. */
    public int shape(int axis) {
        return shape[Shapes.normalizeAxis("shape", axis, shape.length)];
    }

    /** {@code (4, 6)}: the shape as Python prints it. */
    public String shapeString() {
        return Shapes.str(shape);
    }

    /** Whether the elements lie in C order without gaps, so one flat loop can visit them. */
    public boolean isContiguous() {
        return Shapes.isContiguous(shape, strides);
    }

    /** NumPy's {@code np.shares_memory} in its cheap form: do both arrays use the same storage? */
    public boolean sharesMemory(NDArray other) {
        return data == other.data;
    }

    // ---------------------------------------------------------------- creation

    /** The generator behind {@link #randn} and {@link #rand}; {@code random().seed(0)} fixes it. */
    public static NDRandom random() {
        return RANDOM;
    }

    public static NDArray randn(int... shape) {
        return RANDOM.randn(shape);
    }

    public static NDArray rand(int... shape) {
        return RANDOM.rand(shape);
    }

    public static NDArray zeros(int... shape) {
        return zeros(DType.FLOAT64, shape);
    }

    public static NDArray zeros(DType dtype, int... shape) {
        checkShape("zeros", shape);
        return empty(dtype, shape.clone());
    }

    public static NDArray ones(int... shape) {
        return full(1, shape);
    }

    public static NDArray full(double value, int... shape) {
        checkShape("full", shape);
        double[] d = new double[Shapes.size(shape)];
        Arrays.fill(d, value);
        return wrap(d, shape.clone());
    }

    /** An array of zeros with the shape and dtype of {@code a}. */
    public static NDArray zerosLike(NDArray a) {
        return empty(a.dtype, a.shape.clone());
    }

    /** A 0-d float64 array holding {@code value}, like {@code np.array(3.5)}. */
    public static NDArray scalar(double value) {
        return wrap(new double[] {value});
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
        return wrap(d, n);
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
        return wrap(d, n);
    }

    /** A 1-D float64 array: {@code NDArray.of(1, 2, 3)} is {@code np.array([1., 2., 3.])}. */
    public static NDArray of(double... values) {
        return wrap(values.clone(), values.length);
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
            return wrap(new boolean[] {(Boolean) nested});
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
        NDArray out = empty(dtype, shape);
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

    // ---------------------------------------------------------------- elements

    /**
     * One element as a double, NumPy's {@code a.item(...)}: no index for a one-element array, a
     * single flat (C-order) index, or one index per axis. Negative indices count from the end.
     */
    public double item(int... index) {
        return dtype.get(data, elementOffset("item", index));
    }

    /** Writes one element, NumPy's {@code a.itemset(*index, value)} with the value first. */
    public NDArray itemset(double value, int... index) {
        dtype.set(data, elementOffset("itemset", index), value);
        return this;
    }

    private int elementOffset(String op, int[] index) {
        int n = size();
        if (index.length == 0) {
            if (n != 1) {
                throw new IllegalArgumentException(op + ": can only convert an array of size 1 to a scalar, got shape "
                        + Shapes.compact(shape));
            }
            return offset;
        }
        if (index.length == 1 && shape.length != 1) {
            int flat = index[0] < 0 ? index[0] + n : index[0];
            if (flat < 0 || flat >= n) {
                throw new IndexOutOfBoundsException(op + ": index " + index[0] + " is out of bounds for size " + n);
            }
            int off = offset;
            for (int axis = shape.length - 1; axis >= 0; axis--) {
                off += (flat % shape[axis]) * strides[axis];
                flat /= shape[axis];
            }
            return off;
        }
        if (index.length != shape.length) {
            throw new IndexOutOfBoundsException(op + ": incorrect number of indices for array of shape "
                    + Shapes.compact(shape) + ": got " + index.length);
        }
        int off = offset;
        for (int axis = 0; axis < index.length; axis++) {
            off += checkIndex(op, index[axis], axis) * strides[axis];
        }
        return off;
    }

    private int checkIndex(String op, int i, int axis) {
        int n = shape[axis];
        if (i < -n || i >= n) {
            throw new IndexOutOfBoundsException(op + ": index " + i + " is out of bounds for axis " + axis + " with size " + n);
        }
        return i < 0 ? i + n : i;
    }

    /** The elements in C order, copied into a new {@code double[]}. */
    public double[] toDoubleArray() {
        double[] out = new double[size()];
        int[] k = {0};
        StridedLoop.rows(shape, new int[][] {strides}, new int[] {offset}, (o, n) -> {
            int s = StridedLoop.innerStride(strides);
            for (int j = 0; j < n; j++) out[k[0]++] = dtype.get(data, o[0] + j * s);
        });
        return out;
    }

    // ---------------------------------------------------------------- views

    /**
     * The same elements in a new shape; one size may be -1 and is inferred. A view whenever the
     * strides allow it (always for contiguous arrays), otherwise a copy, exactly when NumPy copies.
     */
    public NDArray reshape(int... newShape) {
        int[] target = inferShape(newShape);
        if (isContiguous()) {
            return view(target, Shapes.contiguousStrides(target), offset);
        }
        int[] viewStrides = size() == 0 ? null : ReshapeStrides.noCopy(shape, strides, target);
        if (viewStrides != null) {
            return view(target, viewStrides, offset);
        }
        return copy().reshape(target);
    }

    private int[] inferShape(int[] newShape) {
        int size = size();
        int unknown = -1;
        long known = 1;
        for (int i = 0; i < newShape.length; i++) {
            if (newShape[i] == -1) {
                if (unknown >= 0) {
                    throw new IllegalArgumentException("reshape: can only specify one unknown dimension, got shape "
                            + Shapes.compact(newShape));
                }
                unknown = i;
            } else if (newShape[i] < 0) {
                throw new IllegalArgumentException("reshape: negative dimensions are not allowed, got shape "
                        + Shapes.compact(newShape));
            } else {
                known *= newShape[i];
            }
        }
        int[] out = newShape.clone();
        if (unknown >= 0 && known != 0 && size % known == 0) {
            out[unknown] = (int) (size / known);
        } else if (unknown >= 0 || known != size) {
            throw new IllegalArgumentException("reshape: cannot reshape array of size " + size + " and shape "
                    + Shapes.compact(shape) + " into shape " + Shapes.compact(newShape));
        }
        return out;
    }

    /** A 1-D version, a view when possible (NumPy's {@code ravel}). */
    public NDArray ravel() {
        return reshape(-1);
    }

    /** A 1-D copy (NumPy's {@code flatten}). */
    public NDArray flatten() {
        return copy().reshape(-1);
    }

    /** The axes reversed: a view whose strides are the reverse of ours. */
    public NDArray transpose() {
        int n = shape.length;
        int[] axes = new int[n];
        for (int i = 0; i < n; i++) axes[i] = n - 1 - i;
        return transpose(axes);
    }

    /** The axes permuted: axis i of the result is axis {@code axes[i]} of this array. */
    public NDArray transpose(int... axes) {
        if (axes.length != shape.length) {
            throw new IllegalArgumentException("transpose: axes " + Shapes.compact(axes) + " don't match array of shape "
                    + Shapes.compact(shape));
        }
        int[] s = new int[axes.length];
        int[] st = new int[axes.length];
        boolean[] seen = new boolean[axes.length];
        for (int i = 0; i < axes.length; i++) {
            int ax = Shapes.normalizeAxis("transpose", axes[i], shape.length);
            if (seen[ax]) {
                throw new IllegalArgumentException("transpose: repeated axis in " + Shapes.compact(axes));
            }
            seen[ax] = true;
            s[i] = shape[ax];
            st[i] = strides[ax];
        }
        return view(s, st, offset);
    }

    /** NumPy's {@code a.T}. */
    public NDArray T() {
        return transpose();
    }

    /**
     * Basic NumPy indexing, always a view: {@code x[:, 1]} is {@code x.get(all(), at(1))},
     * {@code x[1:3, ::2]} is {@code x.get(range(1, 3), range(0, n, 2))}. Axes not mentioned are kept.
     */
    public NDArray get(Index... index) {
        long used = Arrays.stream(index).filter(i -> i.kind != Index.Kind.NEW_AXIS).count();
        if (used > shape.length) {
            throw new IndexOutOfBoundsException("get: too many indices for array: array is " + shape.length
                    + "-dimensional, but " + used + " were indexed");
        }
        List<Integer> s = new ArrayList<>();
        List<Integer> st = new ArrayList<>();
        int off = offset;
        int axis = 0;
        for (Index ix : index) {
            switch (ix.kind) {
                case NEW_AXIS:
                    s.add(1);
                    st.add(0);
                    break;
                case AT:
                    off += checkIndex("get", ix.start, axis) * strides[axis];
                    axis++;
                    break;
                default:
                    int[] r = ix.resolve(shape[axis]);
                    if (r[1] > 0) off += r[0] * strides[axis];
                    s.add(r[1]);
                    st.add(strides[axis] * ix.step);
                    axis++;
            }
        }
        for (; axis < shape.length; axis++) {
            s.add(shape[axis]);
            st.add(strides[axis]);
        }
        return view(s.stream().mapToInt(Integer::intValue).toArray(), st.stream().mapToInt(Integer::intValue).toArray(), off);
    }

    /** Drops every axis of size 1. */
    public NDArray squeeze() {
        List<Integer> s = new ArrayList<>();
        List<Integer> st = new ArrayList<>();
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] != 1) {
                s.add(shape[i]);
                st.add(strides[i]);
            }
        }
        return view(s.stream().mapToInt(Integer::intValue).toArray(), st.stream().mapToInt(Integer::intValue).toArray(), offset);
    }

    /** Drops one axis, which must have size 1. */
    public NDArray squeeze(int axis) {
        int ax = Shapes.normalizeAxis("squeeze", axis, shape.length);
        if (shape[ax] != 1) {
            throw new IllegalArgumentException("squeeze: cannot select an axis to squeeze out which has size not equal to one"
                    + " (axis " + axis + " of shape " + Shapes.compact(shape) + ")");
        }
        return view(Shapes.remove(shape, ax), Shapes.remove(strides, ax), offset);
    }

    /** Inserts an axis of size 1 at position {@code axis} (NumPy's {@code expand_dims}). */
    public NDArray expandDims(int axis) {
        int ax = Shapes.normalizeAxis("expandDims", axis, shape.length + 1);
        return view(Shapes.insert(shape, ax, 1), Shapes.insert(strides, ax, 0), offset);
    }

    /** A read-through view with the given shape, repeating elements with stride 0. */
    public NDArray broadcastTo(int... target) {
        int[] b = Shapes.broadcast("broadcastTo", shape, target);
        if (!Shapes.same(b, target)) {
            throw new IllegalArgumentException("broadcastTo: cannot broadcast an array of shape " + Shapes.compact(shape)
                    + " to shape " + Shapes.compact(target));
        }
        return view(target.clone(), Shapes.broadcastStrides(shape, strides, target), offset);
    }

    /** A C-contiguous copy that shares nothing with this array. */
    public NDArray copy() {
        return astype(dtype);
    }

    /** A C-contiguous copy converted to {@code type}. */
    public NDArray astype(DType type) {
        NDArray out = empty(type, shape.clone());
        if (type == dtype && isContiguous()) {
            System.arraycopy(data, offset, out.data, 0, size());
            return out;
        }
        copyInto(out, this);
        return out;
    }

    /** This array if it is already contiguous float64, else such a copy: what fast kernels need. */
    private NDArray contiguousFloat64() {
        return dtype == DType.FLOAT64 && isContiguous() ? this : astype(DType.FLOAT64);
    }

    // ---------------------------------------------------------------- elementwise arithmetic

    public NDArray add(NDArray other) { return binary(BinaryOp.ADD, other); }
    public NDArray sub(NDArray other) { return binary(BinaryOp.SUB, other); }
    public NDArray mul(NDArray other) { return binary(BinaryOp.MUL, other); }
    public NDArray div(NDArray other) { return binary(BinaryOp.DIV, other); }
    /** Elementwise larger of the two, with broadcasting; {@code maximum(h, 0)} is ReLU. */
    public NDArray maximum(NDArray other) { return binary(BinaryOp.MAXIMUM, other); }
    public NDArray minimum(NDArray other) { return binary(BinaryOp.MINIMUM, other); }

    public NDArray add(double s) { return binaryScalar(BinaryOp.ADD, s); }
    public NDArray sub(double s) { return binaryScalar(BinaryOp.SUB, s); }
    public NDArray mul(double s) { return binaryScalar(BinaryOp.MUL, s); }
    public NDArray div(double s) { return binaryScalar(BinaryOp.DIV, s); }
    public NDArray maximum(double s) { return binaryScalar(BinaryOp.MAXIMUM, s); }
    public NDArray minimum(double s) { return binaryScalar(BinaryOp.MINIMUM, s); }

    /** {@code s - this}, for Python's {@code s - x}. */
    public NDArray rsub(double s) { return scalarLike(s).binary(BinaryOp.SUB, this, DType.promoteWithScalar(dtype)); }
    /** {@code s / this}, for Python's {@code s / x}. */
    public NDArray rdiv(double s) { return scalarLike(s).binary(BinaryOp.DIV, this, DType.promoteWithScalar(dtype)); }

    public NDArray neg() { return unary(UnaryOp.NEGATIVE); }
    public NDArray square() { return unary(UnaryOp.SQUARE); }
    public NDArray sqrt() { return unary(UnaryOp.SQRT); }
    public NDArray exp() { return unary(UnaryOp.EXP); }
    public NDArray log() { return unary(UnaryOp.LOG); }
    public NDArray abs() { return unary(UnaryOp.ABS); }

    private NDArray binary(BinaryOp op, NDArray other) {
        return binary(op, other, op.resultType(dtype, other.dtype));
    }

    private NDArray binary(BinaryOp op, NDArray other, DType type) {
        NDArray out = empty(type, Shapes.broadcast(op.numpyName, shape, other.shape));
        elementwise(op, this, other, out);
        return out;
    }

    private NDArray binaryScalar(BinaryOp op, double s) {
        DType type = DType.promoteWithScalar(dtype);
        if (op == BinaryOp.DIV && !type.isFloating()) type = DType.FLOAT64;
        if (dtype == DType.FLOAT64 && isContiguous()) {
            NDArray out = empty(DType.FLOAT64, shape.clone());
            op.runScalar((double[]) data, offset, s, (double[]) out.data, 0, out.size());
            return out;
        }
        return binary(op, scalarLike(s), type);
    }

    private static NDArray scalarLike(double s) {
        return scalar(s);
    }

    /** out = a op b, where out has the broadcast shape (and may be a itself, for in-place ops). */
    private static void elementwise(BinaryOp op, NDArray a, NDArray b, NDArray out) {
        boolean allDouble = a.dtype == DType.FLOAT64 && b.dtype == DType.FLOAT64 && out.dtype == DType.FLOAT64;
        if (allDouble && a.isContiguous() && b.isContiguous() && out.isContiguous()
                && Shapes.same(a.shape, out.shape) && Shapes.same(b.shape, out.shape)) {
            op.run((double[]) a.data, a.offset, (double[]) b.data, b.offset, (double[]) out.data, out.offset, out.size());
            return;
        }
        int[] sa = Shapes.broadcastStrides(a.shape, a.strides, out.shape);
        int[] sb = Shapes.broadcastStrides(b.shape, b.strides, out.shape);
        int ia = StridedLoop.innerStride(sa);
        int ib = StridedLoop.innerStride(sb);
        int io = StridedLoop.innerStride(out.strides);
        StridedLoop.rows(out.shape, new int[][] {sa, sb, out.strides}, new int[] {a.offset, b.offset, out.offset}, (o, n) -> {
            if (allDouble && ia == 1 && io == 1 && (ib == 1 || ib == 0)) {
                // Rows of a broadcast (a bias row, a scalar) still run as vectorisable flat loops.
                if (ib == 1) op.run((double[]) a.data, o[0], (double[]) b.data, o[1], (double[]) out.data, o[2], n);
                else op.runScalar((double[]) a.data, o[0], ((double[]) b.data)[o[1]], (double[]) out.data, o[2], n);
                return;
            }
            for (int j = 0; j < n; j++) {
                double x = a.dtype.get(a.data, o[0] + j * ia);
                double y = b.dtype.get(b.data, o[1] + j * ib);
                out.dtype.set(out.data, o[2] + j * io, op.apply(x, y));
            }
        });
    }

    private NDArray unary(UnaryOp op) {
        NDArray src = this;
        NDArray out = empty(op.resultType(dtype), shape.clone());
        if (dtype == DType.FLOAT64 && isContiguous()) {
            double[] a = (double[]) data;
            double[] r = (double[]) out.data;
            for (int i = 0, n = r.length; i < n; i++) r[i] = op.apply(a[offset + i]);
            return out;
        }
        int is = StridedLoop.innerStride(strides);
        int os = StridedLoop.innerStride(out.strides);
        StridedLoop.rows(shape, new int[][] {strides, out.strides}, new int[] {offset, 0}, (o, n) -> {
            for (int j = 0; j < n; j++) out.dtype.set(out.data, o[1] + j * os, op.apply(src.dtype.get(src.data, o[0] + j * is)));
        });
        return out;
    }

    // ---------------------------------------------------------------- in place

    /** {@code x += other}; other must broadcast to this array's shape. Returns this. */
    public NDArray add_(NDArray other) { return inPlace(BinaryOp.ADD, other, "add_"); }
    /** {@code x -= other}: the weight update {@code w1 -= lr * grad_w1} is {@code w1.sub_(gradW1.mul(lr))}. */
    public NDArray sub_(NDArray other) { return inPlace(BinaryOp.SUB, other, "sub_"); }
    public NDArray mul_(NDArray other) { return inPlace(BinaryOp.MUL, other, "mul_"); }
    public NDArray div_(NDArray other) { return inPlace(BinaryOp.DIV, other, "div_"); }
    public NDArray add_(double s) { return inPlace(BinaryOp.ADD, s); }
    public NDArray sub_(double s) { return inPlace(BinaryOp.SUB, s); }
    public NDArray mul_(double s) { return inPlace(BinaryOp.MUL, s); }
    public NDArray div_(double s) { return inPlace(BinaryOp.DIV, s); }

    /** {@code x[...] = value}. */
    public NDArray fill_(double value) {
        int is = StridedLoop.innerStride(strides);
        StridedLoop.rows(shape, new int[][] {strides}, new int[] {offset}, (o, n) -> {
            for (int j = 0; j < n; j++) dtype.set(data, o[0] + j * is, value);
        });
        return this;
    }

    /** {@code x[...] = src}: copies src (broadcast to this shape) into this array or view. */
    public NDArray assign_(NDArray src) {
        checkOutputShape("assign_", src.shape);
        NDArray from = overlapSafe(src);
        copyInto(this, from.broadcastTo(shape));
        return this;
    }

    /**
     * {@code x[mask] = value} (PyTorch's {@code masked_fill_}): sets exactly the elements where the
     * bool {@code mask} is true. The mask must broadcast to this array's shape.
     */
    public NDArray maskedFill_(NDArray mask, double value) {
        if (mask.dtype != DType.BOOL) {
            throw new IllegalArgumentException("maskedFill_: mask must have dtype bool, got " + mask.dtype
                    + " (mask shape " + Shapes.compact(mask.shape) + ", array shape " + Shapes.compact(shape) + ")");
        }
        int[] b;
        try {
            b = Shapes.broadcast("maskedFill_", shape, mask.shape);
        } catch (IllegalArgumentException e) {
            b = null;
        }
        if (b == null || !Shapes.same(b, shape)) {
            throw new IllegalArgumentException("maskedFill_: mask of shape " + Shapes.compact(mask.shape)
                    + " does not match array of shape " + Shapes.compact(shape));
        }
        int[] ms = Shapes.broadcastStrides(mask.shape, mask.strides, shape);
        boolean[] m = (boolean[]) mask.data;
        int im = StridedLoop.innerStride(ms);
        int is = StridedLoop.innerStride(strides);
        StridedLoop.rows(shape, new int[][] {strides, ms}, new int[] {offset, mask.offset}, (o, n) -> {
            for (int j = 0; j < n; j++) {
                if (m[o[1] + j * im]) dtype.set(data, o[0] + j * is, value);
            }
        });
        return this;
    }

    private NDArray inPlace(BinaryOp op, NDArray other, String name) {
        checkOutputShape(name, other.shape);
        elementwise(op, this, overlapSafe(other), this);
        return this;
    }

    private NDArray inPlace(BinaryOp op, double s) {
        if (dtype == DType.FLOAT64 && isContiguous()) {
            op.runScalar((double[]) data, offset, s, (double[]) data, offset, size());
            return this;
        }
        elementwise(op, this, scalar(s), this);
        return this;
    }

    private void checkOutputShape(String name, int[] otherShape) {
        int[] b = Shapes.broadcast(name, shape, otherShape);
        if (!Shapes.same(b, shape)) {
            throw new IllegalArgumentException(name + ": non-broadcastable output operand with shape "
                    + Shapes.compact(shape) + " doesn't match the broadcast shape " + Shapes.compact(b)
                    + " of shapes " + Shapes.compact(shape) + " and " + Shapes.compact(otherShape));
        }
    }

    /** An operand that reads our own storage through another layout is copied first, as NumPy does. */
    private NDArray overlapSafe(NDArray other) {
        boolean sameLayout = other.offset == offset && Arrays.equals(other.strides, strides) && Arrays.equals(other.shape, shape);
        return other.data == data && !sameLayout ? other.copy() : other;
    }

    private static void copyInto(NDArray out, NDArray src) {
        int is = StridedLoop.innerStride(src.strides);
        int os = StridedLoop.innerStride(out.strides);
        StridedLoop.rows(out.shape, new int[][] {src.strides, out.strides}, new int[] {src.offset, out.offset}, (o, n) -> {
            for (int j = 0; j < n; j++) out.dtype.set(out.data, o[1] + j * os, src.dtype.get(src.data, o[0] + j * is));
        });
    }

    // ---------------------------------------------------------------- comparisons

    public NDArray lt(NDArray other) { return compare(CompareOp.LESS, other); }
    public NDArray le(NDArray other) { return compare(CompareOp.LESS_EQUAL, other); }
    public NDArray gt(NDArray other) { return compare(CompareOp.GREATER, other); }
    public NDArray ge(NDArray other) { return compare(CompareOp.GREATER_EQUAL, other); }
    public NDArray eq(NDArray other) { return compare(CompareOp.EQUAL, other); }
    public NDArray ne(NDArray other) { return compare(CompareOp.NOT_EQUAL, other); }
    /** {@code h < 0}: a bool mask, as used in {@code grad_h[h < 0] = 0}. */
    public NDArray lt(double s) { return compare(CompareOp.LESS, scalar(s)); }
    public NDArray le(double s) { return compare(CompareOp.LESS_EQUAL, scalar(s)); }
    public NDArray gt(double s) { return compare(CompareOp.GREATER, scalar(s)); }
    public NDArray ge(double s) { return compare(CompareOp.GREATER_EQUAL, scalar(s)); }
    public NDArray eq(double s) { return compare(CompareOp.EQUAL, scalar(s)); }
    public NDArray ne(double s) { return compare(CompareOp.NOT_EQUAL, scalar(s)); }

    private NDArray compare(CompareOp op, NDArray other) {
        NDArray out = empty(DType.BOOL, Shapes.broadcast(op.numpyName, shape, other.shape));
        boolean[] r = (boolean[]) out.data;
        int[] sa = Shapes.broadcastStrides(shape, strides, out.shape);
        int[] sb = Shapes.broadcastStrides(other.shape, other.strides, out.shape);
        int ia = StridedLoop.innerStride(sa);
        int ib = StridedLoop.innerStride(sb);
        int[] k = {0};
        StridedLoop.rows(out.shape, new int[][] {sa, sb}, new int[] {offset, other.offset}, (o, n) -> {
            for (int j = 0; j < n; j++) {
                r[k[0]++] = op.test(dtype.get(data, o[0] + j * ia), other.dtype.get(other.data, o[1] + j * ib));
            }
        });
        return out;
    }

    // ---------------------------------------------------------------- reductions

    /** The sum of all elements as a 0-d array (NumPy gives a scalar of shape {@code ()}). */
    public NDArray sum() { return reduceAll(Reduction.SUM); }
    public NDArray sum(int axis) { return sum(axis, false); }
    /** Sums along one axis; {@code keepdims} leaves it in place with size 1, ready to broadcast. */
    public NDArray sum(int axis, boolean keepdims) { return reduce(Reduction.SUM, axis, keepdims); }

    public NDArray mean() { return meanOf(sum(), size()); }
    public NDArray mean(int axis) { return mean(axis, false); }
    public NDArray mean(int axis, boolean keepdims) {
        return meanOf(sum(axis, keepdims), shape[Shapes.normalizeAxis("mean", axis, shape.length)]);
    }

    public NDArray max() { return reduceAll(Reduction.MAX); }
    public NDArray max(int axis) { return max(axis, false); }
    public NDArray max(int axis, boolean keepdims) { return reduce(Reduction.MAX, axis, keepdims); }
    public NDArray min() { return reduceAll(Reduction.MIN); }
    public NDArray min(int axis) { return min(axis, false); }
    public NDArray min(int axis, boolean keepdims) { return reduce(Reduction.MIN, axis, keepdims); }

    /** The C-order flat index of the first largest element. */
    public int argmax() { return (int) reduceAll(Reduction.ARGMAX).item(); }
    /** Indices of the largest elements along one axis, as int64. */
    public NDArray argmax(int axis) { return reduce(Reduction.ARGMAX, axis, false); }

    private static NDArray meanOf(NDArray sum, int n) {
        if (n == 0) {
            return full(Double.NaN, sum.shape);
        }
        return sum.dtype.isFloating() ? sum.div_(n) : sum.div(n);
    }

    private NDArray reduceAll(Reduction r) {
        int n = size();
        r.checkNotEmpty(n);
        NDArray flat = isContiguous() ? view(new int[] {n}, new int[] {1}, offset) : copy().reshape(n);
        NDArray out = empty(r.resultType(dtype), new int[0]);
        out.dtype.set(out.data, 0, r.reduce(dtype, flat.data, flat.offset, 1, n));
        return out;
    }

    private NDArray reduce(Reduction r, int axis, boolean keepdims) {
        int ax = Shapes.normalizeAxis(r.numpyName, axis, shape.length);
        int n = shape[ax];
        int stride = strides[ax];
        r.checkNotEmpty(n);
        int[] outShape = Shapes.remove(shape, ax);
        int[] inStrides = Shapes.remove(strides, ax);
        NDArray out = empty(r.resultType(dtype), outShape);
        int is = StridedLoop.innerStride(inStrides);
        int[] k = {0};
        StridedLoop.rows(outShape, new int[][] {inStrides}, new int[] {offset}, (o, len) -> {
            for (int j = 0; j < len; j++) out.dtype.set(out.data, k[0]++, r.reduce(dtype, data, o[0] + j * is, stride, n));
        });
        return keepdims ? out.reshape(Shapes.insert(outShape, ax, 1)) : out;
    }

    // ---------------------------------------------------------------- products

    /**
     * NumPy's {@code dot} for 0-, 1- and 2-D operands: the inner product of two vectors, a
     * matrix-vector product, or the matrix product. Fails as NumPy does when the inner sizes
     * differ: {@code shapes (64,1000) and (100,10) not aligned: 1000 (dim 1) != 100 (dim 0)}.
     */
    public NDArray dot(NDArray other) {
        if (ndim() == 0 || other.ndim() == 0) {
            return mul(other);
        }
        return product("dot", other);
    }

    /** NumPy's {@code matmul} ({@code @}) for 1- and 2-D operands; 0-d operands are refused. */
    public NDArray matmul(NDArray other) {
        if (ndim() == 0 || other.ndim() == 0) {
            throw new IllegalArgumentException("matmul: operands must have at least one dimension, got shapes "
                    + Shapes.compact(shape) + " and " + Shapes.compact(other.shape));
        }
        return product("matmul", other);
    }

    private NDArray product(String op, NDArray other) {
        if (ndim() > 2 || other.ndim() > 2) {
            throw new IllegalArgumentException(op + ": only 1-D and 2-D operands are supported, got shapes "
                    + Shapes.compact(shape) + " and " + Shapes.compact(other.shape));
        }
        int kDim = ndim() - 1;
        int otherKDim = other.ndim() == 1 ? 0 : other.ndim() - 2;
        int k = shape[kDim];
        if (k != other.shape[otherKDim]) {
            throw new IllegalArgumentException(op + ": shapes " + Shapes.compact(shape) + " and " + Shapes.compact(other.shape)
                    + " not aligned: " + k + " (dim " + kDim + ") != " + other.shape[otherKDim] + " (dim " + otherKDim + ")");
        }
        NDArray a = ndim() == 1 ? expandDims(0) : this;
        NDArray b = (other.ndim() == 1 ? other.expandDims(1) : other).contiguousFloat64();
        if (a.dtype != DType.FLOAT64) {
            a = a.astype(DType.FLOAT64);
        }
        int m = a.shape[0];
        int n = b.shape[1];
        double[] c = new double[m * n];
        MatMul.multiply((double[]) a.data, a.offset, a.strides[0], a.strides[1], (double[]) b.data, b.offset, c, m, k, n);
        int[] outShape = ndim() == 1 && other.ndim() == 1 ? new int[0]
                : ndim() == 1 ? new int[] {n} : other.ndim() == 1 ? new int[] {m} : new int[] {m, n};
        NDArray out = wrap(c, outShape);
        DType type = DType.promote(dtype, other.dtype);
        return type == DType.FLOAT64 ? out : out.astype(type);
    }

    // ---------------------------------------------------------------- comparing whole arrays

    /** NumPy's {@code array_equal}: same shape and equal elements. */
    public boolean arrayEquals(NDArray other) {
        return Shapes.same(shape, other.shape) && Arrays.equals(toDoubleArray(), other.toDoubleArray());
    }

    /** NumPy's {@code allclose}: same broadcast shape and |a - b| &lt;= atol + rtol |b| everywhere. */
    public boolean allclose(NDArray other, double rtol, double atol) {
        NDArray a = astype(DType.FLOAT64);
        NDArray b = other.astype(DType.FLOAT64);
        NDArray close = a.sub(b).abs().le(b.abs().mul(rtol).add(atol));
        for (boolean c : (boolean[]) close.data) {
            if (!c) return false;
        }
        return true;
    }

    public boolean allclose(NDArray other) {
        return allclose(other, 1e-5, 1e-8);
    }

    // ---------------------------------------------------------------- text

    /** NumPy's {@code repr}: {@code array([[1., 2.],\n       [3., 4.]])}. */
    @Override
    public String toString() {
        return ArrayPrinter.repr(this);
    }

    /** NumPy's {@code str}, what {@code print(a)} shows: {@code [[1. 2.]\n [3. 4.]]}. */
    public String str() {
        return ArrayPrinter.str(this);
    }
}
