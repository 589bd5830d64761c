package dev.steptorch.tensor;

import java.util.Arrays;

/**
 * The part of every device backend that does not depend on the device: argument checks,
 * broadcasting, type promotion, {@code out=} handling, and the view ops (metadata only).
 * A device supplies only the protected kernels, which receive already checked, broadcast and
 * converted operands and just compute.
 */
public abstract class Backend implements TensorOps {
    private final Device device;

    protected Backend(Device device) {
        this.device = device;
    }

    @Override
    public final Device device() {
        return device;
    }

    // =====================================================================================
    // Kernels a device implements
    // =====================================================================================

    /** A new uninitialised storage of {@code size} elements. */
    protected abstract Storage allocate(DType dtype, int size);

    /**
     * {@code out = a op b}. a and b have out's shape (possibly with 0 strides from expand) and the
     * same dtype, the computation dtype; out has that dtype too, or BOOL for comparisons. out never
     * overlaps a or b except by being exactly one of them.
     */
    protected abstract void binaryKernel(BinaryOp op, Tensor a, Tensor b, Tensor out);

    /** {@code out = op(a)}; same shape and dtype, floating point for EXP/LOG/SQRT. */
    protected abstract void unaryKernel(UnaryOp op, Tensor a, Tensor out);

    /** Bounds are -inf/+inf when absent; NaN stays NaN. */
    protected abstract void clampKernel(Tensor a, double min, double max, Tensor out);

    /** {@code out = cond ? a : b}; all of out's shape, a, b and out of one dtype, cond BOOL. */
    protected abstract void whereKernel(Tensor cond, Tensor a, Tensor b, Tensor out);

    /** Sums a along {@code dim} into out (a's shape with that dim 1); out's dtype may be wider than a's. */
    protected abstract void sumKernel(Tensor a, int dim, Tensor out);

    /** Max along {@code dim}; values and indices (INT64) have a's shape with that dim 1. First index wins ties; NaN wins. */
    protected abstract void maxKernel(Tensor a, int dim, Tensor values, Tensor indices);

    /** {@code out = a @ b}, all of one dtype, a and b 2-D with any strides, out contiguous and fresh. */
    protected abstract void mmKernel(Tensor a, Tensor b, Tensor out);

    /** Copies src (out's shape, maybe expanded, any dtype, this device) into dst, converting. */
    protected abstract void copyKernel(Tensor src, Tensor dst);

    protected abstract void fillKernel(Tensor dst, double value);

    /** A copy on this device of a contiguous CPU tensor. */
    protected abstract Tensor fromCpu(Tensor cpuTensor);

    /** A contiguous CPU copy of a tensor of this device. */
    protected abstract Tensor toCpu(Tensor t);

    // =====================================================================================
    // Creation and movement
    // =====================================================================================

    @Override
    public Tensor empty(int[] shape, DType dtype) {
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("Trying to create tensor with negative dimension " + d
                        + ": " + Arrays.toString(shape));
            }
        }
        int[] s = shape.clone();
        return Tensor.wrap(allocate(dtype, Shapes.numel(s)), s, Shapes.contiguousStrides(s), 0);
    }

    @Override
    public Tensor toDevice(Tensor t) {
        if (t.device() == device) {
            return clone(t);
        }
        Tensor cpu = t.device() == Device.CPU ? t : Dispatcher.backend(t.device()).toCpu(t);
        if (device == Device.CPU) {
            return cpu;
        }
        return fromCpu(cpu.isContiguous() && cpu.storageOffset() == 0 ? cpu : Dispatcher.backend(Device.CPU).contiguousCopy(cpu));
    }

    private Tensor contiguousCopy(Tensor t) {
        Tensor out = empty(t.shape(), t.dtype());
        copyKernel(t, out);
        return out;
    }

    @Override
    public Tensor uniform_(Tensor dst, double from, double to) {
        return copy_(dst, TensorRandom.uniform(dst.shape(), dst.dtype(), from, to));
    }

    @Override
    public Tensor normal_(Tensor dst, double mean, double std) {
        if (!dst.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("\"normal_\" not implemented for '" + dst.dtype().scalarName() + "'");
        }
        return copy_(dst, TensorRandom.normal(dst.shape(), dst.dtype(), mean, std));
    }

    // =====================================================================================
    // Elementwise
    // =====================================================================================

    @Override
    public Tensor add(Tensor a, Tensor b, Tensor out) {
        return binary(BinaryOp.ADD, "add", a, b, out);
    }

    @Override
    public Tensor sub(Tensor a, Tensor b, Tensor out) {
        if (a.dtype() == DType.BOOL && b.dtype() == DType.BOOL) {
            throw new IllegalArgumentException("Subtraction, the `-` operator, with two bool tensors is not supported. "
                    + "Use the `^` or `logical_xor()` operator instead.");
        }
        return binary(BinaryOp.SUB, "sub", a, b, out);
    }

    @Override
    public Tensor mul(Tensor a, Tensor b, Tensor out) {
        return binary(BinaryOp.MUL, "mul", a, b, out);
    }

    @Override
    public Tensor div(Tensor a, Tensor b, Tensor out) {
        return binary(BinaryOp.DIV, "div", a, b, out);
    }

    @Override
    public Tensor pow(Tensor a, Tensor exponent, Tensor out) {
        if (!DType.resultType(a, exponent).isFloatingPoint() && exponent.dtype() == DType.INT64
                && exponent.dim() == 0 && exponent.item() < 0) {
            throw new IllegalArgumentException("Integers to negative integer powers are not allowed.");
        }
        return binary(BinaryOp.POW, "pow", a, exponent, out);
    }

    @Override
    public Tensor maximum(Tensor a, Tensor b, Tensor out) {
        return binary(BinaryOp.MAXIMUM, "maximum", a, b, out);
    }

    @Override
    public Tensor minimum(Tensor a, Tensor b, Tensor out) {
        return binary(BinaryOp.MINIMUM, "minimum", a, b, out);
    }

    @Override
    public Tensor eq(Tensor a, Tensor b, Tensor out) {
        return binary(BinaryOp.EQ, "eq", a, b, out);
    }

    @Override
    public Tensor ne(Tensor a, Tensor b, Tensor out) {
        return binary(BinaryOp.NE, "ne", a, b, out);
    }

    @Override
    public Tensor lt(Tensor a, Tensor b, Tensor out) {
        return binary(BinaryOp.LT, "lt", a, b, out);
    }

    @Override
    public Tensor le(Tensor a, Tensor b, Tensor out) {
        return binary(BinaryOp.LE, "le", a, b, out);
    }

    @Override
    public Tensor gt(Tensor a, Tensor b, Tensor out) {
        return binary(BinaryOp.GT, "gt", a, b, out);
    }

    @Override
    public Tensor ge(Tensor a, Tensor b, Tensor out) {
        return binary(BinaryOp.GE, "ge", a, b, out);
    }

    private Tensor binary(BinaryOp op, String name, Tensor a, Tensor b, Tensor out) {
        checkDevices(name, a, b, out);
        DType compute = DType.resultType(a, b);
        if (op == BinaryOp.DIV && !compute.isFloatingPoint()) {
            compute = DType.defaultFloat();
        }
        if (op == BinaryOp.POW && compute == DType.BOOL) {
            throw new IllegalArgumentException("\"pow\" not implemented for 'Bool'");
        }
        DType result = op.isComparison() ? DType.BOOL : compute;
        int[] shape = Shapes.broadcast(a.shape(), b.shape());
        Tensor target = prepareOut(name, out, shape, result);
        Tensor x = convert(a, compute).expandTo(shape);
        Tensor y = convert(b, compute).expandTo(shape);
        if (target == out && (overlapsDifferently(out, x) || overlapsDifferently(out, y))) {
            target = empty(shape, result);
        }
        binaryKernel(op, x, y, target);
        return finish(target, out);
    }

    @Override
    public Tensor neg(Tensor a, Tensor out) {
        if (a.dtype() == DType.BOOL) {
            throw new IllegalArgumentException("Negation, the `-` operator, on a bool tensor is not supported. "
                    + "If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.");
        }
        return unary(UnaryOp.NEG, "neg", a, out, a.dtype());
    }

    @Override
    public Tensor exp(Tensor a, Tensor out) {
        return unary(UnaryOp.EXP, "exp", a, out, floatOf(a.dtype()));
    }

    @Override
    public Tensor log(Tensor a, Tensor out) {
        return unary(UnaryOp.LOG, "log", a, out, floatOf(a.dtype()));
    }

    @Override
    public Tensor sqrt(Tensor a, Tensor out) {
        return unary(UnaryOp.SQRT, "sqrt", a, out, floatOf(a.dtype()));
    }

    @Override
    public Tensor abs(Tensor a, Tensor out) {
        if (a.dtype() == DType.BOOL) {
            throw new IllegalArgumentException("\"abs_cpu\" not implemented for 'Bool'");
        }
        return unary(UnaryOp.ABS, "abs", a, out, a.dtype());
    }

    private static DType floatOf(DType d) {
        return d.isFloatingPoint() ? d : DType.defaultFloat();
    }

    private Tensor unary(UnaryOp op, String name, Tensor a, Tensor out, DType compute) {
        checkDevices(name, a, out);
        Tensor target = prepareOut(name, out, a.shape(), compute);
        unaryKernel(op, convert(a, compute), target);
        return finish(target, out);
    }

    @Override
    public Tensor clamp(Tensor a, Double min, Double max, Tensor out) {
        if (min == null && max == null) {
            throw new IllegalArgumentException("torch.clamp: At least one of 'min' or 'max' must not be None");
        }
        checkDevices("clamp", a, out);
        DType compute = a.dtype();
        if (!compute.isFloatingPoint() && ((min != null && !isIntegral(min)) || (max != null && !isIntegral(max)))) {
            compute = DType.defaultFloat();
        }
        if (compute == DType.BOOL) {
            compute = DType.INT64;
        }
        Tensor target = prepareOut("clamp", out, a.shape(), compute);
        clampKernel(convert(a, compute), min == null ? Double.NEGATIVE_INFINITY : min,
                max == null ? Double.POSITIVE_INFINITY : max, target);
        return finish(target, out);
    }

    private static boolean isIntegral(double v) {
        return v == Math.rint(v) && !Double.isInfinite(v);
    }

    @Override
    public Tensor where(Tensor cond, Tensor a, Tensor b) {
        checkDevices("where", cond, a, b);
        if (cond.dtype() != DType.BOOL) {
            throw new IllegalArgumentException("where expected condition to be a boolean tensor, but got a tensor with dtype "
                    + cond.dtype().scalarName());
        }
        DType compute = DType.resultType(a, b);
        int[] shape = Shapes.broadcast(Shapes.broadcast(cond.shape(), a.shape()), b.shape());
        Tensor out = empty(shape, compute);
        whereKernel(cond.expandTo(shape), convert(a, compute).expandTo(shape), convert(b, compute).expandTo(shape), out);
        return out;
    }

    @Override
    public Tensor maskedFill(Tensor a, Tensor mask, Tensor value, Tensor out) {
        checkDevices("masked_fill", a, mask, out);
        if (mask.dtype() != DType.BOOL) {
            throw new IllegalArgumentException("masked_fill_ only supports boolean masks, but got mask with dtype "
                    + mask.dtype().scalarName());
        }
        if (value.dim() != 0) {
            throw new IllegalArgumentException("masked_fill_ only supports a 0-dimensional value tensor, but got tensor with "
                    + value.dim() + " dimension(s).");
        }
        if (!a.dtype().isFloatingPoint() && value.dtype().isFloatingPoint() && !isIntegral(value.item())) {
            // PyTorch truncates silently; we refuse, since a mask fill that changes the value is a bug.
            throw new IllegalArgumentException("masked_fill: value " + value.item() + " cannot be stored in a tensor of dtype "
                    + a.dtype());
        }
        int[] shape = out == a ? a.shape() : Shapes.broadcast(a.shape(), mask.shape());
        if (out == a && !Arrays.equals(Shapes.broadcast(a.shape(), mask.shape()), a.shape())) {
            throw new IllegalArgumentException("output with shape " + Shapes.str(a.shape())
                    + " doesn't match the broadcast shape " + Shapes.str(Shapes.broadcast(a.shape(), mask.shape())));
        }
        Tensor target = prepareOut("masked_fill", out, shape, a.dtype());
        Tensor fill = toDevice0d(value, a.dtype()).expandTo(shape);
        whereKernel(mask.expandTo(shape), fill, a.expandTo(shape), target);
        return finish(target, out);
    }

    private Tensor toDevice0d(Tensor value, DType dtype) {
        Tensor v = value.device() == device ? value : toDevice(value);
        return convert(v, dtype);
    }

    // =====================================================================================
    // Reductions and mm
    // =====================================================================================

    @Override
    public Tensor sum(Tensor a, int[] dims, boolean keepdim) {
        DType outType = a.dtype().isFloatingPoint() ? a.dtype() : DType.INT64;
        if (dims.length == 0) {
            Tensor flat = reshape(a, new int[] {-1});
            Tensor out = empty(new int[] {1}, outType);
            if (flat.numel() == 0) {
                fillKernel(out, 0);
            } else {
                sumKernel(flat, 0, out);
            }
            if (keepdim) {
                int[] ones = new int[a.dim()];
                Arrays.fill(ones, 1);
                return view(out, ones);
            }
            return view(out, new int[0]);
        }
        boolean[] reduce = dimMask(dims, a.dim(), "sum");
        Tensor cur = a;
        for (int d = 0; d < a.dim(); d++) {
            if (reduce[d]) {
                int[] shape = a.dim() == 0 ? new int[0] : cur.shape();
                if (shape.length > 0) {
                    shape[d] = 1;
                }
                Tensor out = empty(shape, outType);
                if (cur.numel() == 0) {
                    fillKernel(out, 0);
                } else {
                    sumKernel(cur, d, out);
                }
                cur = out;
            }
        }
        if (cur == a) {
            cur = to(a, outType);
        }
        return keepdim ? cur : dropDims(cur, reduce);
    }

    @Override
    public Tensor mean(Tensor a, int[] dims, boolean keepdim) {
        if (!a.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("mean(): could not infer output dtype. Input dtype must be either a floating point "
                    + "or complex dtype. Got: " + a.dtype().scalarName());
        }
        long count = 1;
        if (dims.length == 0) {
            count = a.numel();
        } else if (a.dim() > 0) {
            for (int d : dims) {
                count *= a.size(Shapes.wrapDim(d, a.dim()));
            }
        }
        return div(sum(a, dims, keepdim), Tensor.scalar((double) count, device()), null);
    }

    private static boolean[] dimMask(int[] dims, int rank, String op) {
        boolean[] mask = new boolean[Math.max(rank, 1)];
        for (int d : dims) {
            int w = Shapes.wrapDim(d, rank);
            if (mask[w]) {
                throw new IllegalArgumentException("dim " + w + " appears multiple times in the list of dims");
            }
            mask[w] = true;
        }
        return rank == 0 ? new boolean[0] : mask;
    }

    private Tensor dropDims(Tensor t, boolean[] drop) {
        int kept = 0;
        for (boolean d : drop) {
            kept += d ? 0 : 1;
        }
        int[] shape = new int[kept];
        int[] strides = new int[kept];
        for (int d = 0, j = 0; d < drop.length; d++) {
            if (!drop[d]) {
                shape[j] = t.shape()[d];
                strides[j++] = t.strides()[d];
            }
        }
        return t.viewWith(shape, strides, t.storageOffset());
    }

    @Override
    public Tensor max(Tensor a) {
        requireNonEmpty(a, "max");
        Tensor[] r = max(reshape(a, new int[] {-1}), 0, false);
        return r[0];
    }

    @Override
    public Tensor argmax(Tensor a) {
        requireNonEmpty(a, "argmax");
        return argmax(reshape(a, new int[] {-1}), 0, false);
    }

    private static void requireNonEmpty(Tensor a, String op) {
        if (a.numel() == 0) {
            throw new IllegalArgumentException(op + "(): Expected reduction dim to be specified for input.numel() == 0. "
                    + "Specify the reduction dim with the 'dim' argument.");
        }
    }

    @Override
    public Tensor[] max(Tensor a, int dim, boolean keepdim) {
        boolean bool = a.dtype() == DType.BOOL;
        if (bool) {
            a = to(a, DType.INT64);
        }
        int d = Shapes.wrapDim(dim, a.dim());
        Tensor src = a.dim() == 0 ? view(a, new int[] {1}) : a;
        if (src.shape()[d] == 0) {
            throw new IndexOutOfBoundsException("max(): Expected reduction dim " + d + " to have non-zero size.");
        }
        int[] shape = src.shape();
        shape[d] = 1;
        Tensor values = empty(shape, a.dtype());
        Tensor indices = empty(shape, DType.INT64);
        maxKernel(src, d, values, indices);
        if (bool) {
            // the kernel works on int64; the values keep the input's dtype, as in PyTorch
            values = to(values, DType.BOOL);
        }
        if (keepdim && a.dim() > 0) {
            return new Tensor[] {values, indices};
        }
        boolean[] drop = new boolean[shape.length];
        drop[d] = true;
        return new Tensor[] {dropDims(values, drop), dropDims(indices, drop)};
    }

    @Override
    public Tensor argmax(Tensor a, int dim, boolean keepdim) {
        return max(a, dim, keepdim)[1];
    }

    @Override
    public Tensor mm(Tensor a, Tensor b, Tensor out) {
        checkDevices("mm", a, b, out);
        if (a.dim() != 2) {
            throw new IllegalArgumentException("self must be a matrix");
        }
        if (b.dim() != 2) {
            throw new IllegalArgumentException("mat2 must be a matrix");
        }
        if (a.shape()[1] != b.shape()[0]) {
            throw new IllegalArgumentException("mat1 and mat2 shapes cannot be multiplied (" + a.shape()[0] + "x"
                    + a.shape()[1] + " and " + b.shape()[0] + "x" + b.shape()[1] + ")");
        }
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException("expected scalar type " + a.dtype().scalarName() + " but found "
                    + b.dtype().scalarName());
        }
        if (a.dtype() == DType.BOOL) {
            throw new IllegalArgumentException("\"addmm_impl_cpu_\" not implemented for 'Bool'");
        }
        int[] shape = {a.shape()[0], b.shape()[1]};
        Tensor result = empty(shape, a.dtype());
        if (a.shape()[1] == 0) {
            fillKernel(result, 0);
        } else {
            mmKernel(a, b, result);
        }
        if (out == null) {
            return result;
        }
        if (out.dtype() != a.dtype()) {
            throw new IllegalArgumentException("Expected out tensor to have dtype " + a.dtype().scalarName().toLowerCase()
                    + ", but got " + out.dtype().scalarName().toLowerCase() + " instead");
        }
        checkOutShape(out, shape);
        copyKernel(result, out);
        out.storage().bumpVersion();
        return out;
    }

    // =====================================================================================
    // Copies and conversions
    // =====================================================================================

    @Override
    public Tensor copy_(Tensor dst, Tensor src) {
        if (dst.device() != device) {
            return Dispatcher.backend(dst.device()).copy_(dst, src);
        }
        Tensor s = src.device() == device ? src : toDevice(src);
        int[] shape = Shapes.broadcast(dst.shape(), s.shape());
        if (!Arrays.equals(shape, dst.shape())) {
            throw new IllegalArgumentException("output with shape " + Shapes.str(dst.shape())
                    + " doesn't match the broadcast shape " + Shapes.str(shape));
        }
        if (overlapsDifferently(dst, s)) {
            s = contiguousCopy(s);
        }
        copyKernel(s.expandTo(shape), dst);
        dst.storage().bumpVersion();
        return dst;
    }

    @Override
    public Tensor fill_(Tensor dst, double value) {
        checkDevices("fill_", dst);
        fillKernel(dst, value);
        dst.storage().bumpVersion();
        return dst;
    }

    @Override
    public Tensor contiguous(Tensor a) {
        return a.isContiguous() ? a : contiguousCopy(a);
    }

    @Override
    public Tensor clone(Tensor a) {
        return contiguousCopy(a);
    }

    @Override
    public Tensor to(Tensor a, DType dtype) {
        if (a.dtype() == dtype) {
            return a;
        }
        Tensor out = empty(a.shape(), dtype);
        copyKernel(a, out);
        return out;
    }

    @Override
    public Tensor cat(Tensor[] tensors, int dim) {
        if (tensors.length == 0) {
            throw new IllegalArgumentException("torch.cat(): expected a non-empty list of Tensors");
        }
        checkDevices("cat", tensors);
        Tensor first = tensors[0];
        int d = Shapes.wrapDim(dim, first.dim());
        if (first.dim() == 0) {
            throw new IllegalArgumentException("zero-dimensional tensor (at position 0) cannot be concatenated");
        }
        int[] shape = first.shape();
        int total = 0;
        DType dtype = tensors[0].dtype();
        for (int i = 0; i < tensors.length; i++) {
            Tensor t = tensors[i];
            if (t.dim() != first.dim()) {
                throw new IllegalArgumentException("Tensors must have same number of dimensions: got " + first.dim()
                        + " and " + t.dim());
            }
            for (int k = 0; k < shape.length; k++) {
                if (k != d && t.shape()[k] != shape[k]) {
                    throw new IllegalArgumentException("Sizes of tensors must match except in dimension " + d
                            + ". Expected size " + shape[k] + " but got size " + t.shape()[k] + " for tensor number "
                            + i + " in the list.");
                }
            }
            total += t.shape()[d];
            dtype = DType.promote(dtype, t.dtype());
        }
        shape[d] = total;
        Tensor out = empty(shape, dtype);
        int at = 0;
        for (Tensor t : tensors) {
            int n = t.shape()[d];
            copyKernel(convert(t, dtype), narrow(out, d, at, n));
            at += n;
        }
        return out;
    }

    // =====================================================================================
    // Views
    // =====================================================================================

    @Override
    public Tensor view(Tensor a, int[] shape) {
        int[] s = inferShape(shape, a.numel());
        int[] strides = viewStrides(a.shape(), a.strides(), s);
        if (strides == null) {
            throw new IllegalArgumentException("view size is not compatible with input tensor's size and stride (at least one"
                    + " dimension spans across two contiguous subspaces). Use .reshape(...) instead.");
        }
        return a.viewWith(s, strides, a.storageOffset());
    }

    @Override
    public Tensor reshape(Tensor a, int[] shape) {
        int[] s = inferShape(shape, a.numel());
        int[] strides = viewStrides(a.shape(), a.strides(), s);
        if (strides != null) {
            return a.viewWith(s, strides, a.storageOffset());
        }
        return view(contiguousCopy(a), s);
    }

    private static int[] inferShape(int[] shape, int numel) {
        int[] s = shape.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException("only one dimension can be inferred");
                }
                infer = i;
            } else if (s[i] < 0) {
                throw new IllegalArgumentException("invalid shape dimension " + s[i]);
            } else {
                known *= s[i];
            }
        }
        if (infer >= 0 && known != 0 && numel % known == 0) {
            s[infer] = (int) (numel / known);
        } else if (infer >= 0 || known != numel) {
            throw new IllegalArgumentException("shape '" + Shapes.str(shape) + "' is invalid for input of size " + numel);
        }
        return s;
    }

    /** ATen's computeStride: the strides of the view, or null when the layout cannot express it. */
    private static int[] viewStrides(int[] oldShape, int[] oldStrides, int[] newShape) {
        int[] newStrides = new int[newShape.length];
        if (oldShape.length == 0) {
            Arrays.fill(newStrides, 1);
            return newStrides;
        }
        if (Shapes.numel(oldShape) == 0) {
            return Shapes.contiguousStrides(newShape);
        }
        int viewD = newShape.length - 1;
        long chunkBase = oldStrides[oldStrides.length - 1];
        long tensorNumel = 1;
        long viewNumel = 1;
        for (int tensorD = oldShape.length - 1; tensorD >= 0; tensorD--) {
            tensorNumel *= oldShape[tensorD];
            if (tensorD == 0 || (oldShape[tensorD - 1] != 1 && oldStrides[tensorD - 1] != tensorNumel * chunkBase)) {
                while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] == 1)) {
                    newStrides[viewD] = (int) (viewNumel * chunkBase);
                    viewNumel *= newShape[viewD];
                    viewD--;
                }
                if (viewNumel != tensorNumel) {
                    return null;
                }
                if (tensorD > 0) {
                    chunkBase = oldStrides[tensorD - 1];
                    tensorNumel = 1;
                    viewNumel = 1;
                }
            }
        }
        return viewD == -1 ? newStrides : null;
    }

    @Override
    public Tensor transpose(Tensor a, int dim0, int dim1) {
        if (a.dim() == 0) {
            Shapes.wrapDim(dim0, 0);
            Shapes.wrapDim(dim1, 0);
            return a.viewWith(a.shape(), a.strides(), a.storageOffset());
        }
        int d0 = Shapes.wrapDim(dim0, a.dim());
        int d1 = Shapes.wrapDim(dim1, a.dim());
        int[] shape = a.shape();
        int[] strides = a.strides();
        swap(shape, d0, d1);
        swap(strides, d0, d1);
        return a.viewWith(shape, strides, a.storageOffset());
    }

    private static void swap(int[] x, int i, int j) {
        int t = x[i];
        x[i] = x[j];
        x[j] = t;
    }

    @Override
    public Tensor permute(Tensor a, int[] dims) {
        if (dims.length != a.dim()) {
            throw new IllegalArgumentException("permute(sparse_coo): number of dimensions in the tensor input does not match "
                    + "the length of the desired ordering of dimensions i.e. input.dim() = " + a.dim()
                    + " is not equal to len(dims) = " + dims.length);
        }
        int[] shape = new int[dims.length];
        int[] strides = new int[dims.length];
        boolean[] seen = new boolean[dims.length];
        for (int i = 0; i < dims.length; i++) {
            int d = Shapes.wrapDim(dims[i], a.dim());
            if (seen[d]) {
                throw new IllegalArgumentException("permute(): duplicate dims are not allowed.");
            }
            seen[d] = true;
            shape[i] = a.shape()[d];
            strides[i] = a.strides()[d];
        }
        return a.viewWith(shape, strides, a.storageOffset());
    }

    @Override
    public Tensor select(Tensor a, int dim, int index) {
        if (a.dim() == 0) {
            throw new IndexOutOfBoundsException("select() cannot be applied to a 0-dim tensor.");
        }
        int d = Shapes.wrapDim(dim, a.dim());
        int size = a.shape()[d];
        if (index < -size || index >= size) {
            throw new IndexOutOfBoundsException("select(): index " + index + " out of range for tensor of size "
                    + Shapes.str(a.shape()) + " at dimension " + d);
        }
        int i = index < 0 ? index + size : index;
        int[] shape = remove(a.shape(), d);
        int[] strides = remove(a.strides(), d);
        return a.viewWith(shape, strides, a.storageOffset() + i * a.strides()[d]);
    }

    private static int[] remove(int[] x, int at) {
        int[] r = new int[x.length - 1];
        System.arraycopy(x, 0, r, 0, at);
        System.arraycopy(x, at + 1, r, at, x.length - at - 1);
        return r;
    }

    private static int[] insert(int[] x, int at, int v) {
        int[] r = new int[x.length + 1];
        System.arraycopy(x, 0, r, 0, at);
        r[at] = v;
        System.arraycopy(x, at, r, at + 1, x.length - at);
        return r;
    }

    @Override
    public Tensor narrow(Tensor a, int dim, int start, int length) {
        if (a.dim() == 0) {
            throw new IndexOutOfBoundsException("narrow() cannot be applied to a 0-dim tensor.");
        }
        int d = Shapes.wrapDim(dim, a.dim());
        int size = a.shape()[d];
        if (start < -size || start > size) {
            throw new IndexOutOfBoundsException("start out of range (expected to be in range of [" + (-size) + ", " + size
                    + "], but got " + start + ")");
        }
        int s = start < 0 ? start + size : start;
        if (length < 0 || s + length > size) {
            throw new IndexOutOfBoundsException("start (" + s + ") + length (" + length + ") exceeds dimension size (" + size + ").");
        }
        int[] shape = a.shape();
        shape[d] = length;
        return a.viewWith(shape, a.strides(), a.storageOffset() + (length == 0 ? 0 : s * a.strides()[d]));
    }

    @Override
    public Tensor expand(Tensor a, int[] shape) {
        if (shape.length < a.dim()) {
            throw new IllegalArgumentException("expand(" + a.typeName() + "{" + Shapes.str(a.shape())
                    + "}, size=" + Shapes.str(shape) + "): the number of sizes provided (" + shape.length
                    + ") must be greater or equal to the number of dimensions in the tensor (" + a.dim() + ")");
        }
        int lead = shape.length - a.dim();
        int[] outShape = new int[shape.length];
        int[] strides = new int[shape.length];
        for (int i = 0; i < shape.length; i++) {
            int want = shape[i];
            if (i < lead) {
                if (want < 0) {
                    throw new IllegalArgumentException("The expanded size of the tensor (" + want
                            + ") isn't allowed in a leading, non-existing dimension " + i);
                }
                outShape[i] = want;
                strides[i] = 0;
                continue;
            }
            int have = a.shape()[i - lead];
            if (want == -1) {
                want = have;
            } else if (want < 0) {
                // PyTorch 1.13 lets this through and fails later with "numel: integer multiplication overflow"
                throw new IllegalArgumentException("The expanded size of the tensor (" + want
                        + ") must be -1 or non-negative at dimension " + i + ".  Target sizes: " + Shapes.str(shape)
                        + ".  Tensor sizes: " + Shapes.str(a.shape()));
            }
            if (have == want) {
                outShape[i] = have;
                strides[i] = a.strides()[i - lead];
            } else if (have == 1) {
                outShape[i] = want;
                strides[i] = 0;
            } else {
                throw new IllegalArgumentException("The expanded size of the tensor (" + want
                        + ") must match the existing size (" + have + ") at non-singleton dimension " + i
                        + ".  Target sizes: " + Shapes.str(shape) + ".  Tensor sizes: " + Shapes.str(a.shape()));
            }
        }
        return a.viewWith(outShape, strides, a.storageOffset());
    }

    @Override
    public Tensor unsqueeze(Tensor a, int dim) {
        int d = Shapes.wrapDim(dim, a.dim() + 1);
        int stride = d < a.dim() ? a.shape()[d] * a.strides()[d] : 1;
        return a.viewWith(insert(a.shape(), d, 1), insert(a.strides(), d, stride), a.storageOffset());
    }

    @Override
    public Tensor squeeze(Tensor a) {
        boolean[] drop = new boolean[a.dim()];
        for (int d = 0; d < a.dim(); d++) {
            drop[d] = a.shape()[d] == 1;
        }
        return dropDims(a, drop);
    }

    @Override
    public Tensor squeeze(Tensor a, int dim) {
        int d = Shapes.wrapDim(dim, a.dim());
        if (a.dim() == 0 || a.shape()[d] != 1) {
            return a.viewWith(a.shape(), a.strides(), a.storageOffset());
        }
        boolean[] drop = new boolean[a.dim()];
        drop[d] = true;
        return dropDims(a, drop);
    }

    @Override
    public Tensor alias(Tensor a) {
        return a.viewWith(a.shape(), a.strides(), a.storageOffset());
    }

    // =====================================================================================
    // Shared helpers
    // =====================================================================================

    private Tensor convert(Tensor t, DType dtype) {
        return t.dtype() == dtype ? t : to(t, dtype);
    }

    private void checkDevices(String op, Tensor... tensors) {
        for (Tensor t : tensors) {
            if (t != null && t.device() != device) {
                throw new IllegalArgumentException("Expected all tensors to be on the same device, but found at least two devices, "
                        + t.device() + " and " + device + "! (in " + op + ")");
            }
        }
    }

    /** The tensor the kernel writes: out itself when it fits exactly, otherwise a fresh one. */
    private Tensor prepareOut(String op, Tensor out, int[] shape, DType result) {
        if (out == null) {
            return empty(shape, result);
        }
        if (!canCast(result, out.dtype())) {
            throw new IllegalArgumentException("result type " + result.scalarName()
                    + " can't be cast to the desired output type " + out.dtype().scalarName());
        }
        checkOutShape(out, shape);
        return out.dtype() == result ? out : empty(shape, result);
    }

    private static void checkOutShape(Tensor out, int[] shape) {
        if (!Arrays.equals(out.shape(), shape)) {
            throw new IllegalArgumentException("output with shape " + Shapes.str(out.shape())
                    + " doesn't match the broadcast shape " + Shapes.str(shape));
        }
    }

    private static boolean canCast(DType from, DType to) {
        return from.category() <= to.category();
    }

    private Tensor finish(Tensor computed, Tensor out) {
        if (out == null) {
            return computed;
        }
        if (computed != out) {
            copyKernel(computed, out);
        }
        out.storage().bumpVersion();
        return out;
    }

    /** True when dst and src share storage but not element-for-element, so a direct copy could read what it wrote. */
    private static boolean overlapsDifferently(Tensor dst, Tensor src) {
        return dst.storage() == src.storage()
                && !(dst.storageOffset() == src.storageOffset() && Arrays.equals(dst.strides(), src.strides()));
    }
}
