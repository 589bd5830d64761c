package dev.steptorch.tensor;

import java.util.Arrays;

/**
 * The part of every device backend that does not depend on the device: argument checks,
 * broadcasting, type promotion and {@code out=} handling, once for every op family. A device
 * supplies only the protected kernels, which receive already checked, broadcast and converted
 * operands and just compute. View ops are metadata only and live in {@link Views}.
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
     * {@code out = a op b}, with {@code alpha * b} in place of b for ADD and SUB (alpha is 1 for
     * every other op). a and b have out's shape (possibly with 0 strides from expand) and the same
     * dtype, the computation dtype; out has that dtype too, or BOOL for comparisons. out never
     * overlaps a or b except by being exactly one of them.
     */
    protected abstract void binaryKernel(BinaryOp op, Tensor a, Tensor b, double alpha, Tensor out);

    /** {@code out = op(a)}; same shape and dtype (the op's result dtype). */
    protected abstract void unaryKernel(UnaryOp op, Tensor a, Tensor out);

    /** Bounds are -inf/+inf when absent; NaN stays NaN. */
    protected abstract void clampKernel(Tensor a, double min, double max, Tensor out);

    /** {@code out = cond ? a : b}; all of out's shape, a, b and out of one dtype, cond BOOL. */
    protected abstract void whereKernel(Tensor cond, Tensor a, Tensor b, Tensor out);

    /**
     * Reduces a along {@code dim} into values (a's shape with that dim 1). SUM may write a wider
     * dtype than a's and gets no indices; MAX and MIN write a's dtype and, into indices (INT64),
     * the position along dim of the value picked: the first on ties, a NaN over everything.
     */
    protected abstract void reduceKernel(ReduceOp op, Tensor a, int dim, Tensor values, Tensor indices);

    /** {@code out = a @ b}, all of one dtype, a and b 2-D with any strides, out contiguous at offset 0 (zeroed when the kernel adds into it). */
    protected abstract void mmKernel(Tensor a, Tensor b, Tensor out);

    /** Whether {@link #mmKernel} adds the product into what out holds (the CPU's) rather than overwriting it. */
    protected boolean mmKernelAddsIntoOut() {
        return false;
    }

    // Window kernels, after the checks of WindowOps: operands contiguous and of one float dtype.
    // unfold writes cols [C*kh*kw, N*outH*outW], fold sums the entries from each pixel into out
    // [N, C, H, W], max pooling writes values and int64 indices as TensorOps describes, its backward
    // adds each gradient at its index. Outputs are fresh from allocate: write them in full where
    // fresh memory is not zeroed.
    protected abstract void unfoldKernel(Tensor input, Window2d win, Tensor cols);
    protected abstract void foldKernel(Tensor cols, Window2d win, Tensor out);
    protected abstract void maxPool2dKernel(Tensor input, Window2d win, Tensor values, Tensor indices);
    protected abstract void maxPool2dBackwardKernel(Tensor grad, Tensor indices, Tensor out);

    /** correlate2d on contiguous operands of one float dtype; by default im2col and one product (WindowOps). */
    protected Tensor correlate2dKernel(Tensor input, Tensor weight) {
        return WindowOps.correlate2dByColumns(this, input, weight);
    }

    /** correlate2dWeight on contiguous operands of one float dtype; by default im2col and one product. */
    protected Tensor correlate2dWeightKernel(Tensor input, Tensor grad, int kh, int kw) {
        return WindowOps.correlate2dWeightByColumns(this, input, grad, kh, kw);
    }

    /** correlate2dInput on contiguous operands of one float dtype; by default one product and col2im. */
    protected Tensor correlate2dInputKernel(Tensor weight, Tensor grad) {
        return WindowOps.correlate2dInputByColumns(this, weight, grad);
    }

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
        Tensor cpu = t.device() == Device.CPU ? t : Dispatcher.belowAutograd(t.device()).toCpu(t);
        if (device == Device.CPU) {
            return cpu;
        }
        return fromCpu(cpu.isContiguous() && cpu.storageOffset() == 0 ? cpu : Dispatcher.belowAutograd(Device.CPU).contiguousCopy(cpu));
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
    // Elementwise families
    // =====================================================================================

    @Override
    public Tensor binary(BinaryOp op, Tensor a, Tensor b, double alpha, Tensor out) {
        checkDevices(op.torchName(), a, b, out);
        DType compute = op.computeType(DType.resultType(a, b));
        checkAlpha(op, alpha, compute);
        if (op == BinaryOp.POW && !compute.isFloatingPoint() && b.dtype() == DType.INT64 && b.dim() == 0 && b.item() < 0) {
            throw new IllegalArgumentException("Integers to negative integer powers are not allowed.");
        }
        DType result = op.resultType(compute);
        int[] shape = Shapes.broadcast(a.shape(), b.shape());
        Tensor target = prepareOut(op.torchName(), out, shape, result);
        Tensor x = convert(a, compute).expandTo(shape);
        Tensor y = convert(b, compute).expandTo(shape);
        if (target == out && (overlapsDifferently(out, x) || overlapsDifferently(out, y))) {
            target = empty(shape, result);
        }
        // bool: PyTorch makes alpha a bool first, so a + alpha * b is a or (alpha and b)
        binaryKernel(op, x, y, compute == DType.BOOL && alpha != 0 ? 1 : alpha, target);
        return finish(target, out);
    }

    /** PyTorch's checks on add's and sub's alpha, in its words. */
    private static void checkAlpha(BinaryOp op, double alpha, DType compute) {
        if (alpha == 1) {
            return;
        }
        if (op != BinaryOp.ADD && op != BinaryOp.SUB) {
            throw new IllegalArgumentException(op.torchName() + "() takes no alpha argument (got alpha=" + alpha + ")");
        }
        if (!compute.isFloatingPoint() && alpha != Math.rint(alpha)) {
            throw new IllegalArgumentException("For integral input tensors, argument alpha must not be a floating point number "
                    + "(got alpha=" + alpha + " for " + compute.scalarName() + ")");
        }
    }

    @Override
    public Tensor unary(UnaryOp op, Tensor a, Tensor out) {
        checkDevices(op.torchName(), a, out);
        DType compute = op.resultType(a.dtype());
        Tensor target = prepareOut(op.torchName(), out, a.shape(), compute);
        unaryKernel(op, convert(a, compute), target);
        return finish(target, out);
    }

    // =====================================================================================
    // More ops outside the families: written in Statistics, Indexing and Products
    // =====================================================================================

    @Override public Tensor[] min(Tensor a, int dim, boolean keepdim) { return Statistics.extremeDim(this, ReduceOp.MIN, a, dim, keepdim); }
    @Override public Tensor var(Tensor a, int[] dims, boolean unbiased, boolean keepdim) { return Statistics.var(this, a, dims, unbiased, keepdim); }
    @Override public Tensor std(Tensor a, int[] dims, boolean unbiased, boolean keepdim) { return Statistics.std(this, a, dims, unbiased, keepdim); }
    @Override public Tensor logsumexp(Tensor a, int[] dims, boolean keepdim) { return Statistics.logsumexp(this, a, dims, keepdim); }
    @Override public Tensor cumsum(Tensor a, int dim) { return Indexing.cumsum(this, a, dim); }
    @Override public Tensor gather(Tensor a, int dim, Tensor index) { return Indexing.gather(this, a, dim, index); }
    @Override public Tensor scatterAdd(Tensor a, int dim, Tensor index, Tensor src) { return Indexing.scatterAdd(this, a, dim, index, src); }
    @Override public Tensor indexSelect(Tensor a, int dim, Tensor index) { return Indexing.indexSelect(this, a, dim, index); }
    @Override public Tensor flip(Tensor a, int[] dims) { return Indexing.flip(this, a, dims); }
    @Override public Tensor roll(Tensor a, int[] shifts, int[] dims) { return Indexing.roll(this, a, shifts, dims); }
    @Override public Tensor tril(Tensor a, int diagonal) { return Indexing.triangle(this, a, diagonal, true); }
    @Override public Tensor triu(Tensor a, int diagonal) { return Indexing.triangle(this, a, diagonal, false); }
    @Override public Tensor diag(Tensor a, int diagonal) { return Indexing.diag(this, a, diagonal); }
    @Override public Tensor bmm(Tensor a, Tensor b) { return Products.bmm(this, a, b); }
    @Override public Tensor addmm(Tensor input, Tensor a, Tensor b, Tensor out) { return Products.addmm(this, input, a, b, out); }
    @Override public Tensor dot(Tensor a, Tensor b) { return Products.dot(this, a, b); }
    @Override public Tensor mv(Tensor a, Tensor v) { return Products.mv(this, a, v); }

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
    public Tensor reduce(ReduceOp op, Tensor a, int[] dims, boolean keepdim, Tensor out) {
        checkDevices(op.torchName(), a, out);
        DType result = op.resultType(a.dtype());
        boolean[] reduce = Shapes.dimMask(dims, a.dim());
        Tensor r = switch (op) {
            case SUM, PROD -> Statistics.reduceDims(this, op, a, reduce, result);
            case MEAN -> binary(BinaryOp.DIV, Statistics.reduceDims(this, ReduceOp.SUM, a, reduce, result),
                    Tensor.scalar((double) count(a, reduce), device), null);
            case MAX, MIN -> Statistics.pick(this, op, a, reduce, dims.length == 0);
        };
        if (!keepdim) {
            r = a.dim() == 0 ? r : Views.dropDims(r, reduce);
        }
        return out == null ? r : assign(op.torchName(), r, out);
    }

    private static long count(Tensor a, boolean[] reduce) {
        long n = 1;
        for (int d = 0; d < a.dim(); d++) {
            n *= reduce[d] ? a.size(d) : 1;
        }
        return n;
    }

    @Override
    public Tensor[] max(Tensor a, int dim, boolean keepdim) {
        return Statistics.extremeDim(this, ReduceOp.MAX, a, dim, keepdim);
    }

    @Override
    public Tensor argmax(Tensor a) {
        if (a.numel() == 0) {
            throw new IllegalArgumentException("argmax(): Expected reduction dim to be specified for input.numel() == 0. "
                    + "Specify the reduction dim with the 'dim' argument.");
        }
        return argmax(reshape(a, new int[] {-1}), 0, false);
    }

    @Override
    public Tensor argmax(Tensor a, int dim, boolean keepdim) {
        return max(a, dim, keepdim)[1];
    }

    @Override
    public Tensor mm(Tensor a, Tensor b, Tensor out) {
        checkDevices("mm", a, b, out);
        Products.checkMm(a, b);
        int[] shape = {a.shape()[0], b.shape()[1]};
        Products.checkOutDtype(out, a.dtype());
        if (out != null) {
            checkOutShape(out, shape);
        }
        // The CPU kernels add into C from its first number on, so an out= laid out as a fresh
        // tensor is zeroed, then written where it lies; any other out= gets the product copied in.
        boolean direct = out != null && Products.laidOutFresh(out, a, b);
        Tensor result = direct ? out : empty(shape, a.dtype());
        if (direct || a.shape()[1] == 0) {
            fillKernel(result, 0);
        }
        if (a.shape()[1] != 0) {
            mmKernel(a, b, result);
        }
        if (out == null) {
            return result;
        }
        if (!direct) {
            copyKernel(result, out);
        }
        out.storage().bumpVersion();
        return out;
    }

    // =====================================================================================
    // Sliding windows: the checks are in WindowOps
    // =====================================================================================

    @Override
    public Tensor unfold(Tensor x, int kh, int kw, int sh, int sw, int ph, int pw) {
        return WindowOps.unfold(this, x, kh, kw, sh, sw, ph, pw);
    }

    @Override
    public Tensor fold(Tensor cols, int[] shape, int kh, int kw, int sh, int sw, int ph, int pw) {
        return WindowOps.fold(this, cols, shape, kh, kw, sh, sw, ph, pw);
    }

    @Override
    public Tensor[] maxPool2dWithIndices(Tensor x, int kh, int kw, int sh, int sw, int ph, int pw) {
        return WindowOps.maxPool2dWithIndices(this, x, kh, kw, sh, sw, ph, pw);
    }

    @Override
    public Tensor maxPool2dBackward(Tensor grad, Tensor indices, int[] inputShape) {
        return WindowOps.maxPool2dBackward(this, grad, indices, inputShape);
    }

    @Override
    public Tensor correlate2d(Tensor input, Tensor weight) {
        return WindowOps.correlate2d(this, input, weight);
    }

    @Override
    public Tensor correlate2dWeight(Tensor input, Tensor grad, int kh, int kw) {
        return WindowOps.correlate2dWeight(this, input, grad, kh, kw);
    }

    @Override
    public Tensor correlate2dInput(Tensor weight, Tensor grad) {
        return WindowOps.correlate2dInput(this, weight, grad);
    }

    // =====================================================================================
    // Copies and conversions
    // =====================================================================================

    @Override
    public Tensor copy_(Tensor dst, Tensor src) {
        if (dst.device() != device) {
            return Dispatcher.belowAutograd(dst.device()).copy_(dst, src);
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
    // Views: metadata only, the same on every device (see Views)
    // =====================================================================================

    @Override public Tensor view(Tensor a, int[] shape) { return Views.view(a, shape); }
    @Override
    public Tensor reshape(Tensor a, int[] shape) {
        Tensor v = Views.viewIfPossible(a, shape);
        return v != null ? v : Views.view(contiguousCopy(a), Views.inferShape(shape, a.numel()));
    }

    @Override public Tensor transpose(Tensor a, int dim0, int dim1) { return Views.transpose(a, dim0, dim1); }
    @Override public Tensor permute(Tensor a, int[] dims) { return Views.permute(a, dims); }
    @Override public Tensor select(Tensor a, int dim, int index) { return Views.select(a, dim, index); }
    @Override public Tensor narrow(Tensor a, int dim, int start, int length) { return Views.narrow(a, dim, start, length); }
    @Override public Tensor slice(Tensor a, int dim, int start, int end, int step) { return Views.slice(a, dim, start, end, step); }
    @Override public Tensor expand(Tensor a, int[] shape) { return Views.expand(a, shape); }
    @Override public Tensor unsqueeze(Tensor a, int dim) { return Views.unsqueeze(a, dim); }
    @Override public Tensor squeeze(Tensor a) { return Views.squeeze(a); }
    @Override public Tensor squeeze(Tensor a, int dim) { return Views.squeeze(a, dim); }
    @Override public Tensor alias(Tensor a) { return Views.alias(a); }
    // =====================================================================================
    // Shared helpers
    // =====================================================================================

    private Tensor convert(Tensor t, DType dtype) {
        return t.dtype() == dtype ? t : to(t, dtype);
    }

    void checkDevices(String op, Tensor... tensors) {
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

    /** Writes a computed result into a user's {@code out=} tensor, after PyTorch's checks. */
    private Tensor assign(String op, Tensor computed, Tensor out) {
        prepareOut(op, out, computed.shape(), computed.dtype());
        return finish(computed, out);
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
