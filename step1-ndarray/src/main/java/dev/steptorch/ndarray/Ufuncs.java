package dev.steptorch.ndarray;

/**
 * The strided loops behind NumPy's ufuncs: elementwise arithmetic, comparisons and copies between
 * arrays of any strides, with broadcasting. Both {@link NDArray}'s operator methods ({@code add},
 * {@code lt}, {@code sub_}) and {@link NumPy}'s functions ({@code maximum}, {@code exp}) end here,
 * as {@code a + b} and {@code np.add(a, b)} reach the same loop in NumPy.
 */
final class Ufuncs {
    private Ufuncs() {
    }

    static NDArray binary(BinaryOp op, NDArray a, NDArray b) {
        return binary(op, a, b, op.resultType(a.dtype, b.dtype));
    }

    static NDArray binary(BinaryOp op, NDArray a, NDArray b, DType type) {
        NDArray out = NDArray.empty(type, Shapes.broadcast(op.numpyName, a.shape, b.shape));
        into(op, a, b, out);
        return out;
    }

    /** {@code a op s} with s acting as a Python float: int arrays become float64, float32 stays. */
    static NDArray binaryScalar(BinaryOp op, NDArray a, double s) {
        DType type = DType.promoteWithScalar(a.dtype);
        if (op == BinaryOp.DIV && !type.isFloating()) type = DType.FLOAT64;
        if (a.dtype == DType.FLOAT64 && a.isContiguous()) {
            NDArray out = NDArray.empty(DType.FLOAT64, a.shape.clone());
            op.runScalar((double[]) a.data, a.offset, s, (double[]) out.data, 0, out.size());
            return out;
        }
        return binary(op, a, NumPy.scalar(s), type);
    }

    /** out = a op b, where out has the broadcast shape (and may be a itself, for in-place ops). */
    static void into(BinaryOp op, NDArray a, NDArray b, NDArray out) {
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

    static NDArray unary(UnaryOp op, NDArray src) {
        NDArray out = NDArray.empty(op.resultType(src.dtype), src.shape.clone());
        if (src.dtype == DType.FLOAT64 && src.isContiguous()) {
            double[] a = (double[]) src.data;
            double[] r = (double[]) out.data;
            for (int i = 0, n = r.length; i < n; i++) r[i] = op.apply(a[src.offset + i]);
            return out;
        }
        int is = StridedLoop.innerStride(src.strides);
        int os = StridedLoop.innerStride(out.strides);
        StridedLoop.rows(src.shape, new int[][] {src.strides, out.strides}, new int[] {src.offset, 0}, (o, n) -> {
            for (int j = 0; j < n; j++) out.dtype.set(out.data, o[1] + j * os, op.apply(src.dtype.get(src.data, o[0] + j * is)));
        });
        return out;
    }

    /** A bool array of the broadcast shape. */
    static NDArray compare(CompareOp op, NDArray a, NDArray b) {
        NDArray out = NDArray.empty(DType.BOOL, Shapes.broadcast(op.numpyName, a.shape, b.shape));
        boolean[] r = (boolean[]) out.data;
        int[] sa = Shapes.broadcastStrides(a.shape, a.strides, out.shape);
        int[] sb = Shapes.broadcastStrides(b.shape, b.strides, out.shape);
        int ia = StridedLoop.innerStride(sa);
        int ib = StridedLoop.innerStride(sb);
        int[] k = {0};
        StridedLoop.rows(out.shape, new int[][] {sa, sb}, new int[] {a.offset, b.offset}, (o, n) -> {
            for (int j = 0; j < n; j++) {
                r[k[0]++] = op.test(a.dtype.get(a.data, o[0] + j * ia), b.dtype.get(b.data, o[1] + j * ib));
            }
        });
        return out;
    }

    /** Copies src, which has out's shape, into out, converting the dtype on the way. */
    static void copy(NDArray src, NDArray out) {
        int is = StridedLoop.innerStride(src.strides);
        int os = StridedLoop.innerStride(out.strides);
        StridedLoop.rows(out.shape, new int[][] {src.strides, out.strides}, new int[] {src.offset, out.offset}, (o, n) -> {
            for (int j = 0; j < n; j++) out.dtype.set(out.data, o[1] + j * os, src.dtype.get(src.data, o[0] + j * is));
        });
    }

    /** A reduction over every element, as a 0-d array (NumPy's {@code np.add.reduce(a, axis=None)}). */
    static NDArray reduceAll(Reduction r, NDArray a) {
        int n = a.size();
        r.checkNotEmpty(n);
        NDArray flat = a.isContiguous() ? a.view(new int[] {n}, new int[] {1}, a.offset) : a.copy().reshape(n);
        NDArray out = NDArray.empty(r.resultType(a.dtype), new int[0]);
        out.dtype.set(out.data, 0, r.reduce(a.dtype, flat.data, flat.offset, 1, n));
        return out;
    }

    /** A reduction along one axis; {@code keepdims} leaves it in place with size 1. */
    static NDArray reduce(Reduction r, NDArray a, int axis, boolean keepdims) {
        int ax = Shapes.normalizeAxis(r.numpyName, axis, a.shape.length);
        int n = a.shape[ax];
        int stride = a.strides[ax];
        r.checkNotEmpty(n);
        int[] outShape = Shapes.remove(a.shape, ax);
        int[] inStrides = Shapes.remove(a.strides, ax);
        NDArray out = NDArray.empty(r.resultType(a.dtype), outShape);
        int is = StridedLoop.innerStride(inStrides);
        int[] k = {0};
        StridedLoop.rows(outShape, new int[][] {inStrides}, new int[] {a.offset}, (o, len) -> {
            for (int j = 0; j < len; j++) out.dtype.set(out.data, k[0]++, r.reduce(a.dtype, a.data, o[0] + j * is, stride, n));
        });
        return keepdims ? out.reshape(Shapes.insert(outShape, ax, 1)) : out;
    }
}
