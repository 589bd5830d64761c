package dev.steptorch.ndarray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An n-dimensional array in the manner of NumPy's {@code ndarray}: a flat primitive storage array
 * plus a shape, strides (in elements) and an offset saying where element {@code [0,...,0]} lives.
 * Many arrays can share one storage; {@code reshape}, {@code transpose}, {@code T()} and
 * {@link #get(Index...)} return such views and copy nothing, just as NumPy does.
 *
 * <p>This class holds what NumPy spells as a method or an operator of the array ({@code a.sum()},
 * {@code a.dot(b)}, {@code a.T}, {@code a - b}); what NumPy spells as a function of its module
 * ({@code np.zeros}, {@code np.random.randn}, {@code np.maximum}) is in {@link NumPy}.
 *
 * <p>Conventions: methods that return a new array are named after NumPy ({@code add},
 * {@code sum}, {@code dot}); methods that change this array in place end in an
 * underscore, as in PyTorch ({@code sub_}, {@code fill_}, {@code maskedFill_}) and return
 * {@code this}. A Java {@code double} argument acts as a Python float would.
 *
 * <p><b>The bridge hook.</b> {@link #data()}, {@link #shape()}, {@link #strides()}, {@link #offset()},
 * {@link #dtype()} and {@link #wrap(Object, int[], int[], int)} expose and adopt the storage itself,
 * with no copy, the way NumPy's array interface does; step 2's tensors use them to share memory.
 */
public final class NDArray {
    // Package-private so that the loops of this package read them without the copies the public
    // accessors make; nothing writes them after construction.
    final Object data;
    final DType dtype;
    final int[] shape;
    final int[] strides;
    final int offset;

    private NDArray(Object data, DType dtype, int[] shape, int[] strides, int offset) {
        this.data = data;
        this.dtype = dtype;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
    }

    /** A fresh C-contiguous array; every other creation path ends here or in a view. */
    static NDArray empty(DType dtype, int[] shape) {
        return new NDArray(dtype.allocate(Shapes.size(shape)), dtype, shape, Shapes.contiguousStrides(shape), 0);
    }

    NDArray view(int[] newShape, int[] newStrides, int newOffset) {
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
        Ufuncs.copy(this, out);
        return out;
    }

    // ---------------------------------------------------------------- elementwise arithmetic

    public NDArray add(NDArray other) { return Ufuncs.binary(BinaryOp.ADD, this, other); }
    public NDArray sub(NDArray other) { return Ufuncs.binary(BinaryOp.SUB, this, other); }
    public NDArray mul(NDArray other) { return Ufuncs.binary(BinaryOp.MUL, this, other); }
    public NDArray div(NDArray other) { return Ufuncs.binary(BinaryOp.DIV, this, other); }

    public NDArray add(double s) { return Ufuncs.binaryScalar(BinaryOp.ADD, this, s); }
    public NDArray sub(double s) { return Ufuncs.binaryScalar(BinaryOp.SUB, this, s); }
    public NDArray mul(double s) { return Ufuncs.binaryScalar(BinaryOp.MUL, this, s); }
    public NDArray div(double s) { return Ufuncs.binaryScalar(BinaryOp.DIV, this, s); }

    /** {@code s - this}, for Python's {@code s - x}. */
    public NDArray rsub(double s) { return Ufuncs.binary(BinaryOp.SUB, NumPy.scalar(s), this, DType.promoteWithScalar(dtype)); }
    /** {@code s / this}, for Python's {@code s / x}. */
    public NDArray rdiv(double s) { return Ufuncs.binary(BinaryOp.DIV, NumPy.scalar(s), this, DType.promoteWithScalar(dtype)); }

    public NDArray neg() { return Ufuncs.unary(UnaryOp.NEGATIVE, this); }

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
        Ufuncs.copy(NumPy.broadcastTo(from, shape), this);
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
        Ufuncs.into(op, this, overlapSafe(other), this);
        return this;
    }

    private NDArray inPlace(BinaryOp op, double s) {
        if (dtype == DType.FLOAT64 && isContiguous()) {
            op.runScalar((double[]) data, offset, s, (double[]) data, offset, size());
            return this;
        }
        Ufuncs.into(op, this, NumPy.scalar(s), this);
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

    // ---------------------------------------------------------------- comparisons

    public NDArray lt(NDArray other) { return Ufuncs.compare(CompareOp.LESS, this, other); }
    public NDArray le(NDArray other) { return Ufuncs.compare(CompareOp.LESS_EQUAL, this, other); }
    public NDArray gt(NDArray other) { return Ufuncs.compare(CompareOp.GREATER, this, other); }
    public NDArray ge(NDArray other) { return Ufuncs.compare(CompareOp.GREATER_EQUAL, this, other); }
    public NDArray eq(NDArray other) { return Ufuncs.compare(CompareOp.EQUAL, this, other); }
    public NDArray ne(NDArray other) { return Ufuncs.compare(CompareOp.NOT_EQUAL, this, other); }
    /** {@code h < 0}: a bool mask, as used in {@code grad_h[h < 0] = 0}. */
    public NDArray lt(double s) { return Ufuncs.compare(CompareOp.LESS, this, NumPy.scalar(s)); }
    public NDArray le(double s) { return Ufuncs.compare(CompareOp.LESS_EQUAL, this, NumPy.scalar(s)); }
    public NDArray gt(double s) { return Ufuncs.compare(CompareOp.GREATER, this, NumPy.scalar(s)); }
    public NDArray ge(double s) { return Ufuncs.compare(CompareOp.GREATER_EQUAL, this, NumPy.scalar(s)); }
    public NDArray eq(double s) { return Ufuncs.compare(CompareOp.EQUAL, this, NumPy.scalar(s)); }
    public NDArray ne(double s) { return Ufuncs.compare(CompareOp.NOT_EQUAL, this, NumPy.scalar(s)); }

    // ---------------------------------------------------------------- reductions

    /** The sum of all elements as a 0-d array (NumPy gives a scalar of shape {@code ()}). */
    public NDArray sum() { return Ufuncs.reduceAll(Reduction.SUM, this); }
    public NDArray sum(int axis) { return sum(axis, false); }
    /** Sums along one axis; {@code keepdims} leaves it in place with size 1, ready to broadcast. */
    public NDArray sum(int axis, boolean keepdims) { return Ufuncs.reduce(Reduction.SUM, this, axis, keepdims); }

    public NDArray mean() { return meanOf(sum(), size()); }
    public NDArray mean(int axis) { return mean(axis, false); }
    public NDArray mean(int axis, boolean keepdims) {
        return meanOf(sum(axis, keepdims), shape[Shapes.normalizeAxis("mean", axis, shape.length)]);
    }

    public NDArray max() { return Ufuncs.reduceAll(Reduction.MAX, this); }
    public NDArray max(int axis) { return max(axis, false); }
    public NDArray max(int axis, boolean keepdims) { return Ufuncs.reduce(Reduction.MAX, this, axis, keepdims); }
    public NDArray min() { return Ufuncs.reduceAll(Reduction.MIN, this); }
    public NDArray min(int axis) { return min(axis, false); }
    public NDArray min(int axis, boolean keepdims) { return Ufuncs.reduce(Reduction.MIN, this, axis, keepdims); }

    /** The C-order flat index of the first largest element. */
    public int argmax() { return (int) Ufuncs.reduceAll(Reduction.ARGMAX, this).item(); }
    /** Indices of the largest elements along one axis, as int64. */
    public NDArray argmax(int axis) { return Ufuncs.reduce(Reduction.ARGMAX, this, axis, false); }

    private static NDArray meanOf(NDArray sum, int n) {
        if (n == 0) {
            return NumPy.full(Double.NaN, sum.shape);
        }
        return sum.dtype.isFloating() ? sum.div_(n) : sum.div(n);
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
        return MatMul.product("dot", this, other);
    }

    /** NumPy's {@code matmul} ({@code @}) for 1- and 2-D operands; 0-d operands are refused. */
    public NDArray matmul(NDArray other) {
        if (ndim() == 0 || other.ndim() == 0) {
            throw new IllegalArgumentException("matmul: operands must have at least one dimension, got shapes "
                    + Shapes.compact(shape) + " and " + Shapes.compact(other.shape));
        }
        return MatMul.product("matmul", this, other);
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
