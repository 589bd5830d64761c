package dev.steptorch.tensor;

import dev.steptorch.ndarray.NDArray;
import dev.steptorch.tensor.cpu.CpuStorage;
import java.util.Arrays;
import java.util.ServiceLoader;

/**
 * An n-dimensional array with a dtype, living on a device: PyTorch's {@code torch.Tensor}.
 *
 * <p>A tensor is a view (shape, strides, offset, all in elements) onto a {@link Storage}. View ops
 * ({@code view}, {@code t}, {@code select}, {@code expand}, ...) make new tensors over the same
 * storage; everything else goes through the {@link Dispatcher} to the kernels of the tensor's
 * device, with any dispatch layer (step3's autograd) in front. Method names follow PyTorch in
 * camelCase; in-place forms end in {@code _}. The {@code torch.*} functions, creation among them,
 * are in {@link Torch}.
 */
public final class Tensor {
    private static final AutogradHook AUTOGRAD = ServiceLoader.load(AutogradHook.class).findFirst().orElse(null);

    private final Storage storage;
    private final int[] shape;
    private final int[] strides;
    private final int offset;
    private final boolean wrappedNumber;
    /** Step3's per-tensor autograd record (requires_grad, grad, grad_fn); opaque here. */
    private Object autogradMeta;

    private Tensor(Storage storage, int[] shape, int[] strides, int offset, boolean wrappedNumber) {
        this.storage = storage;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
        this.wrappedNumber = wrappedNumber;
    }

    /** A tensor over {@code storage}; backends use it to build their results. Arrays are not copied. */
    public static Tensor wrap(Storage storage, int[] shape, int[] strides, int offset) {
        return new Tensor(storage, shape, strides, offset, false);
    }

    /**
     * Another view of the same storage, PyTorch's {@code as_strided}: any shape and strides whose
     * elements all lie inside the storage.
     */
    public Tensor viewWith(int[] shape, int[] strides, int offset) {
        Views.checkStrided(shape, strides, offset, storage.size());
        return new Tensor(storage, shape.clone(), strides.clone(), offset, false);
    }

    // =====================================================================================
    // Java numbers as operands (creation functions are in Torch)
    // =====================================================================================

    /** A Java number as an operand, which PyTorch's promotion treats as "weak". */
    static Tensor scalar(double value, Device device) {
        return wrapNumber(JavaData.toCpuTensor(value, Options.dtype(DType.FLOAT64)), device);
    }

    static Tensor scalar(long value, Device device) {
        return wrapNumber(JavaData.toCpuTensor(value, Options.dtype(DType.INT64)), device);
    }

    private static Tensor wrapNumber(Tensor cpu, Device device) {
        Tensor t = device == Device.CPU ? cpu : Dispatcher.belowAutograd(device).toDevice(cpu);
        return new Tensor(t.storage, t.shape, t.strides, t.offset, true);
    }

    // =====================================================================================
    // NumPy bridge
    // =====================================================================================

    /** An NDArray sharing this CPU tensor's memory: writes through either show in both. */
    public NDArray numpy() {
        if (device() != Device.CPU) {
            throw new IllegalStateException("can't convert " + device() + " tensor to numpy. Use tensor.cpu() to copy the tensor to host memory first.");
        }
        if (requiresGrad()) {
            throw new IllegalStateException("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.");
        }
        return NDArray.wrap(((CpuStorage) storage).array(), shape.clone(), strides.clone(), offset);
    }

    // =====================================================================================
    // Metadata
    // =====================================================================================

    public DType dtype() { return storage.dtype(); }

    public Device device() { return storage.device(); }

    public Storage storage() { return storage; }

    /** The shape as a fresh array. */
    public int[] shape() { return shape.clone(); }

    /** The shape as PyTorch prints it, {@code torch.Size([5, 3])}. */
    public Size size() { return new Size(shape); }

    public int size(int dim) { return shape[Shapes.wrapDim(dim, shape.length)]; }

    public int[] strides() { return strides.clone(); }

    public int stride(int dim) { return strides[Shapes.wrapDim(dim, shape.length)]; }

    public int storageOffset() { return offset; }

    public int dim() { return shape.length; }

    public int numel() { return Shapes.numel(shape); }

    /** True for the tensor PyTorch makes of a Java number operand. */
    public boolean isWrappedNumber() { return wrappedNumber; }

    public boolean isContiguous() {
        int expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1) {
                if (strides[d] != expected) {
                    return numel() == 0;
                }
                expected *= shape[d];
            }
        }
        return true;
    }

    /** e.g. "torch.FloatTensor", as in PyTorch's messages. */
    public String typeName() { return "torch." + (device() == Device.GPU ? "gpu." : "") + dtype().scalarName() + "Tensor"; }

    /** Step3's per-tensor record; null until autograd touches the tensor. */
    public Object autogradMeta() { return autogradMeta; }

    public void setAutogradMeta(Object meta) {
        this.autogradMeta = meta;
    }

    TensorOps ops() {
        return Dispatcher.ops(device());
    }

    // =====================================================================================
    // Views
    // =====================================================================================

    /** Same data, new shape; one size may be -1. Fails when the strides cannot express it. */
    public Tensor view(int... shape) { return ops().view(this, shape); }

    /** A view when possible, otherwise a copy. */
    public Tensor reshape(int... shape) { return ops().reshape(this, shape); }

    public Tensor t() {
        if (dim() > 2) {
            throw new IllegalArgumentException("t() expects a tensor with <= 2 dimensions, but self is " + dim() + "D");
        }
        return dim() < 2 ? ops().alias(this) : transpose(0, 1);
    }

    /** Transposes in place: this tensor object itself gets the swapped shape and strides. */
    public Tensor t_() {
        if (dim() > 2) {
            throw new IllegalArgumentException("t_() expects a tensor with <= 2 dimensions, but self is " + dim() + "D");
        }
        if (requiresGrad()) {
            // t_ changes this object's own layout, which no recorded graph node could undo in backward
            throw new IllegalStateException("t_() on a tensor that requires grad is not supported; use t(), which returns a view");
        }
        if (dim() == 2) {
            swap(shape);
            swap(strides);
        }
        return this;
    }

    private static void swap(int[] x) {
        int tmp = x[0];
        x[0] = x[1];
        x[1] = tmp;
    }

    public Tensor transpose(int dim0, int dim1) { return ops().transpose(this, dim0, dim1); }

    public Tensor permute(int... dims) { return ops().permute(this, dims); }

    /** {@code x[..., index, ...]} with {@code index} at {@code dim}: one dimension fewer. */
    public Tensor select(int dim, int index) { return ops().select(this, dim, index); }

    /** {@code x[start:start+length]} along {@code dim}. */
    public Tensor narrow(int dim, int start, int length) { return ops().narrow(this, dim, start, length); }

    /** Python's {@code x[start:end]} along {@code dim}, with negative and out-of-range ends clipped as Python does. */
    public Tensor slice(int dim, int start, int end) {
        int size = size(dim);
        int s = Math.max(0, Math.min(size, start < 0 ? start + size : start));
        int e = Math.max(s, Math.min(size, end < 0 ? end + size : end));
        return narrow(dim, s, e - s);
    }

    /** Python's {@code x[start:end:step]} along {@code dim}, a view (strides times step). */
    public Tensor slice(int dim, int start, int end, int step) { return ops().slice(this, dim, start, end, step); }
    /** Views of {@code splitSize} along dim, the last maybe shorter ({@code torch.split}). */
    public Tensor[] split(int splitSize, int dim) { return Composites.split(this, splitSize, dim); }
    public Tensor[] chunk(int chunks, int dim) { return Composites.chunk(this, chunks, dim); }

    public Tensor expand(int... shape) { return ops().expand(this, shape); }

    /** Expands to a broadcast shape; for backends, which call it after checking the shapes. */
    public Tensor expandTo(int[] shape) {
        return Arrays.equals(shape, this.shape) ? this : Dispatcher.belowAutograd(device()).expand(this, shape);
    }

    public Tensor unsqueeze(int dim) { return ops().unsqueeze(this, dim); }

    public Tensor squeeze() { return ops().squeeze(this); }

    public Tensor squeeze(int dim) { return ops().squeeze(this, dim); }

    public Tensor contiguous() { return ops().contiguous(this); }

    // =====================================================================================
    // Elementwise math
    // =====================================================================================

    // Each op is one line: its row in UnaryOp or BinaryOp says what it computes; a Java number
    // becomes a wrapped-number operand, as in PyTorch, so promotion treats it as "weak".

    private Tensor unary(UnaryOp op) {
        return ops().unary(op, this, null);
    }

    private Tensor binary(BinaryOp op, Tensor other) {
        return binary(op, other, 1);
    }

    private Tensor binary(BinaryOp op, Tensor other, double alpha) {
        return Dispatcher.opsFor(this, given(other, op.toString().toLowerCase(java.util.Locale.ROOT)))
                .binary(op, this, other, alpha, null);
    }

    private Tensor binary_(BinaryOp op, Tensor other) {
        return binary_(op, other, 1);
    }

    private Tensor binary_(BinaryOp op, Tensor other, double alpha) {
        return Dispatcher.opsFor(this, given(other, op.toString().toLowerCase(java.util.Locale.ROOT) + "_"))
                .binary(op, this, other, alpha, this);
    }

    /** The tensor argument of {@code op}, or an error that says which op got null (PyTorch: a TypeError). */
    private static Tensor given(Tensor other, String op) {
        if (other == null) {
            throw new IllegalArgumentException(op + "(): argument 'other' must be a Tensor, not null");
        }
        return other;
    }

    private Tensor number(double value) {
        return scalar(value, device());
    }

    private Tensor number(long value) {
        return scalar(value, device());
    }

    public Tensor add(Tensor other) { return binary(BinaryOp.ADD, other); }
    public Tensor add(double other) { return binary(BinaryOp.ADD, number(other)); }
    public Tensor add(long other) { return binary(BinaryOp.ADD, number(other)); }
    public Tensor add_(Tensor other) { return binary_(BinaryOp.ADD, other); }
    public Tensor add_(double other) { return binary_(BinaryOp.ADD, number(other)); }
    /** {@code counter += 1} on an int64 tensor stays int64, as a Python int would. */
    public Tensor add_(long other) { return binary_(BinaryOp.ADD, number(other)); }
    /**
     * {@code this + alpha * other}, PyTorch's {@code x.add(y, alpha=alpha)}: one pass, and no tensor
     * for {@code alpha * other} (an optimizer's {@code p.add_(d, -lr)}). Integer tensors take a whole alpha.
     */
    public Tensor add(Tensor other, double alpha) { return binary(BinaryOp.ADD, other, alpha); }
    public Tensor add_(Tensor other, double alpha) { return binary_(BinaryOp.ADD, other, alpha); }

    public Tensor sub(Tensor other) { return binary(BinaryOp.SUB, other); }
    public Tensor sub(double other) { return binary(BinaryOp.SUB, number(other)); }
    public Tensor sub_(Tensor other) { return binary_(BinaryOp.SUB, other); }
    public Tensor sub_(double other) { return binary_(BinaryOp.SUB, number(other)); }
    /** {@code this - alpha * other}. */
    public Tensor sub(Tensor other, double alpha) { return binary(BinaryOp.SUB, other, alpha); }
    public Tensor sub_(Tensor other, double alpha) { return binary_(BinaryOp.SUB, other, alpha); }

    /** {@code other - this}, for Python's {@code 1 - x}. */
    public Tensor rsub(double other) { return ops().binary(BinaryOp.SUB, number(other), this, null); }

    public Tensor mul(Tensor other) { return binary(BinaryOp.MUL, other); }
    public Tensor mul(double other) { return binary(BinaryOp.MUL, number(other)); }
    public Tensor mul(long other) { return binary(BinaryOp.MUL, number(other)); }
    public Tensor mul_(Tensor other) { return binary_(BinaryOp.MUL, other); }
    public Tensor mul_(double other) { return binary_(BinaryOp.MUL, number(other)); }

    /** True division: integer tensors give a floating-point result. */
    public Tensor div(Tensor other) { return binary(BinaryOp.DIV, other); }
    public Tensor div(double other) { return binary(BinaryOp.DIV, number(other)); }
    public Tensor div_(Tensor other) { return binary_(BinaryOp.DIV, other); }
    public Tensor div_(double other) { return binary_(BinaryOp.DIV, number(other)); }

    public Tensor pow(Tensor exponent) { return binary(BinaryOp.POW, exponent); }
    public Tensor pow(double exponent) { return binary(BinaryOp.POW, number(exponent)); }
    /** {@code x.pow(2)}: a whole exponent keeps an integer tensor integer. */
    public Tensor pow(long exponent) { return binary(BinaryOp.POW, number(exponent)); }

    public Tensor maximum(Tensor other) { return binary(BinaryOp.MAXIMUM, other); }
    public Tensor minimum(Tensor other) { return binary(BinaryOp.MINIMUM, other); }

    public Tensor eq(Tensor other) { return binary(BinaryOp.EQ, other); }
    public Tensor eq(double other) { return binary(BinaryOp.EQ, number(other)); }
    public Tensor ne(Tensor other) { return binary(BinaryOp.NE, other); }
    public Tensor ne(double other) { return binary(BinaryOp.NE, number(other)); }
    public Tensor lt(Tensor other) { return binary(BinaryOp.LT, other); }
    /** {@code h < 0} as a bool mask. */
    public Tensor lt(double other) { return binary(BinaryOp.LT, number(other)); }
    public Tensor le(Tensor other) { return binary(BinaryOp.LE, other); }
    public Tensor le(double other) { return binary(BinaryOp.LE, number(other)); }
    public Tensor gt(Tensor other) { return binary(BinaryOp.GT, other); }
    public Tensor gt(double other) { return binary(BinaryOp.GT, number(other)); }
    public Tensor ge(Tensor other) { return binary(BinaryOp.GE, other); }
    public Tensor ge(double other) { return binary(BinaryOp.GE, number(other)); }

    public Tensor neg() { return unary(UnaryOp.NEG); }
    public Tensor exp() { return unary(UnaryOp.EXP); }
    public Tensor log() { return unary(UnaryOp.LOG); }
    public Tensor sqrt() { return unary(UnaryOp.SQRT); }
    public Tensor abs() { return unary(UnaryOp.ABS); }
    public Tensor sin() { return unary(UnaryOp.SIN); }
    public Tensor cos() { return unary(UnaryOp.COS); }
    public Tensor tan() { return unary(UnaryOp.TAN); }
    public Tensor rsqrt() { return unary(UnaryOp.RSQRT); }
    public Tensor reciprocal() { return unary(UnaryOp.RECIPROCAL); }
    public Tensor log1p() { return unary(UnaryOp.LOG1P); }
    public Tensor expm1() { return unary(UnaryOp.EXPM1); }
    public Tensor sign() { return unary(UnaryOp.SIGN); }
    public Tensor floor() { return unary(UnaryOp.FLOOR); }
    public Tensor ceil() { return unary(UnaryOp.CEIL); }
    /** Half to even, as {@code torch.round}: 0.5 and -0.5 round to 0, 2.5 to 2. */
    public Tensor round() { return unary(UnaryOp.ROUND); }
    public Tensor erf() { return unary(UnaryOp.ERF); }

    /** {@code clamp(min=min)}, the ReLU of the course: {@code h.clamp(0)}. */
    public Tensor clamp(double min) { return ops().clamp(this, min, null, null); }

    public Tensor clamp(double min, double max) { return ops().clamp(this, min, max, null); }

    public Tensor clampMax(double max) { return ops().clamp(this, null, max, null); }

    public Tensor clamp_(double min, double max) { return ops().clamp(this, min, max, this); }

    // Indexing and rearranging: copies, as in PyTorch

    public Tensor gather(int dim, Tensor index) { return Dispatcher.opsFor(this, index).gather(this, dim, index); }
    public Tensor scatterAdd(int dim, Tensor index, Tensor src) { return Dispatcher.opsFor(this, index, src).scatterAdd(this, dim, index, src); }
    public Tensor indexSelect(int dim, Tensor index) { return Dispatcher.opsFor(this, index).indexSelect(this, dim, index); }
    public Tensor flip(int... dims) { return ops().flip(this, dims); }
    public Tensor roll(int shift, int dim) { return roll(new int[] {shift}, new int[] {dim}); }
    public Tensor roll(int[] shifts, int[] dims) { return ops().roll(this, shifts, dims); }
    public Tensor repeat(int... repeats) { return Composites.repeat(this, repeats); }
    public Tensor tril() { return tril(0); }
    public Tensor tril(int diagonal) { return ops().tril(this, diagonal); }
    public Tensor triu() { return triu(0); }
    public Tensor triu(int diagonal) { return ops().triu(this, diagonal); }
    public Tensor diag() { return diag(0); }
    public Tensor diag(int diagonal) { return ops().diag(this, diagonal); }

    public Tensor maskedFill(Tensor mask, double value) {
        return Dispatcher.opsFor(this, mask).maskedFill(this, mask, number(value), null);
    }

    /** {@code masked_fill(mask, value)} with a 0-dim tensor as the value, which gets a gradient too. */
    public Tensor maskedFill(Tensor mask, Tensor value) {
        return Dispatcher.opsFor(this, mask).maskedFill(this, mask, value, null);
    }

    /** {@code x[mask] = value}, the course's {@code grad_h[h < 0] = 0}. */
    public Tensor maskedFill_(Tensor mask, double value) {
        return Dispatcher.opsFor(this, mask).maskedFill(this, mask, number(value), this);
    }

    // =====================================================================================
    // Reductions and products
    // =====================================================================================

    private Tensor reduce(ReduceOp op, int[] dims, boolean keepdim) {
        return ops().reduce(op, this, dims, keepdim, null);
    }

    public Tensor sum() { return reduce(ReduceOp.SUM, new int[0], false); }

    public Tensor sum(int dim) { return sum(dim, false); }

    public Tensor sum(int dim, boolean keepdim) { return reduce(ReduceOp.SUM, new int[] {dim}, keepdim); }

    public Tensor sum(int[] dims, boolean keepdim) { return reduce(ReduceOp.SUM, dims, keepdim); }

    /**
     * {@code sum_to_size(shape)}: the sum that undoes broadcasting to this tensor's shape, over the
     * leading dims {@code shape} lacks and the dims where it has 1; autograd uses it to bring a
     * gradient back to its input's shape.
     */
    public Tensor sumToSize(int... shape) { return Composites.sumToSize(this, shape); }

    public Tensor mean() { return reduce(ReduceOp.MEAN, new int[0], false); }

    public Tensor mean(int dim, boolean keepdim) { return reduce(ReduceOp.MEAN, new int[] {dim}, keepdim); }

    /** The largest element, as a 0-dim tensor. */
    public Tensor max() { return reduce(ReduceOp.MAX, new int[0], false); }

    /** The smallest element, as a 0-dim tensor. */
    public Tensor min() { return reduce(ReduceOp.MIN, new int[0], false); }

    /** The largest value over {@code dims}, without indices ({@code torch.amax}). */
    public Tensor amax(int[] dims, boolean keepdim) { return reduce(ReduceOp.MAX, dims, keepdim); }

    public Tensor amin(int[] dims, boolean keepdim) { return reduce(ReduceOp.MIN, dims, keepdim); }

    public Tensor mean(int[] dims, boolean keepdim) { return reduce(ReduceOp.MEAN, dims, keepdim); }
    public Tensor prod() { return reduce(ReduceOp.PROD, new int[0], false); }
    public Tensor prod(int dim, boolean keepdim) { return reduce(ReduceOp.PROD, new int[] {dim}, keepdim); }
    /** Unbiased (divided by N - 1) over all elements, as {@code x.var()}. */
    public Tensor var() { return var(new int[0], true, false); }
    public Tensor var(int[] dims, boolean unbiased, boolean keepdim) { return ops().var(this, dims, unbiased, keepdim); }
    public Tensor std() { return std(new int[0], true, false); }
    public Tensor std(int[] dims, boolean unbiased, boolean keepdim) { return ops().std(this, dims, unbiased, keepdim); }
    public Tensor logsumexp(int[] dims, boolean keepdim) { return ops().logsumexp(this, dims, keepdim); }
    public Tensor cumsum(int dim) { return ops().cumsum(this, dim); }

    /** The smallest element along {@code dim} and where it is (the first on ties), as {@code torch.min(x, dim)}. */
    public ValuesIndices min(int dim, boolean keepdim) {
        Tensor[] r = ops().min(this, dim, keepdim);
        return new ValuesIndices(r[0], r[1]);
    }

    /** The largest element along {@code dim} and where it is, as {@code torch.max(x, dim)}. */
    public ValuesIndices max(int dim, boolean keepdim) {
        Tensor[] r = ops().max(this, dim, keepdim);
        return new ValuesIndices(r[0], r[1]);
    }

    /** {@code torch.max(x, dim)}'s named pair. */
    public record ValuesIndices(Tensor values, Tensor indices) {
    }

    public Tensor argmax() { return ops().argmax(this); }

    public Tensor argmax(int dim, boolean keepdim) { return ops().argmax(this, dim, keepdim); }

    /** The 2-norm of all elements ({@code torch.norm(x)}). */
    public Tensor norm() { return Composites.norm(this); }

    public Tensor mm(Tensor other) { return Dispatcher.opsFor(this, given(other, "mm")).mm(this, other, null); }

    /** {@code @}: products of vectors and matrices, and batched from 3-D on with broadcast batch dims (see Composites). */
    public Tensor matmul(Tensor other) { return Composites.matmul(this, given(other, "matmul")); }
    /** {@code self + mat1 @ mat2} ({@code torch.addmm}, beta = alpha = 1); {@code addmm_} sums the product into self on the CPU. */
    public Tensor addmm(Tensor mat1, Tensor mat2) { return Torch.addmm(this, given(mat1, "addmm"), given(mat2, "addmm"), null); }
    public Tensor addmm_(Tensor mat1, Tensor mat2) { return Torch.addmm(this, given(mat1, "addmm_"), given(mat2, "addmm_"), this); }
    public Tensor bmm(Tensor other) { return Dispatcher.opsFor(this, given(other, "bmm")).bmm(this, other); }
    public Tensor dot(Tensor other) { return Dispatcher.opsFor(this, given(other, "dot")).dot(this, other); }
    public Tensor mv(Tensor vec) { return Dispatcher.opsFor(this, given(vec, "mv")).mv(this, vec); }
    public Tensor outer(Tensor other) { return Composites.outer(this, other); }
    public Tensor trace() { return Composites.trace(this); }

    // =====================================================================================
    // Copies, conversions, values
    // =====================================================================================

    /** The value of a one-element tensor as a Java number (a download from the GPU). */
    public double item() {
        if (numel() != 1) {
            throw new IllegalArgumentException("a Tensor with " + numel() + " elements cannot be converted to Scalar");
        }
        Tensor cpu = cpu();
        return ((CpuStorage) cpu.storage).getDouble(cpu.offset);
    }

    /** The exact value of a one-element int64 tensor. */
    public long itemLong() {
        if (numel() != 1) {
            throw new IllegalArgumentException("a Tensor with " + numel() + " elements cannot be converted to Scalar");
        }
        Tensor cpu = cpu();
        return ((CpuStorage) cpu.storage).getLong(cpu.offset);
    }

    public Tensor clone() { return ops().clone(this); }

    /** Copies {@code src} (broadcast, any dtype and device) into this tensor. */
    public Tensor copy_(Tensor src) { return ops().copy_(this, src); }

    public Tensor zero_() { return fill_(0); }

    public Tensor fill_(double value) { return ops().fill_(this, value); }

    /** Fills with uniform numbers in [from, to) from the seeded generator (how nn.init draws weights). */
    public Tensor uniform_(double from, double to) { return ops().uniform_(this, from, to); }

    /** Fills with normal(mean, std) numbers from the seeded generator. */
    public Tensor normal_(double mean, double std) { return ops().normal_(this, mean, std); }

    /** This tensor on {@code device}: itself when already there, otherwise a copy. */
    public Tensor to(Device device) { return device == device() ? this : Dispatcher.ops(device).toDevice(this); }

    /** This tensor with {@code dtype}: itself when it already has it, otherwise a converted copy. */
    public Tensor to(DType dtype) { return ops().to(this, dtype); }

    public Tensor to(Device device, DType dtype) { return to(device).to(dtype); }

    public Tensor cpu() { return to(Device.CPU); }

    /** The elements in row-major order, as doubles (int64 beyond 2^53 loses precision). */
    public double[] toDoubleArray() { return (double[]) ((CpuStorage) contiguousCpu(DType.FLOAT64).storage).array(); }

    public float[] toFloatArray() { return (float[]) ((CpuStorage) contiguousCpu(DType.FLOAT32).storage).array(); }

    public long[] toLongArray() { return (long[]) ((CpuStorage) contiguousCpu(DType.INT64).storage).array(); }

    public boolean[] toBooleanArray() { return (boolean[]) ((CpuStorage) contiguousCpu(DType.BOOL).storage).array(); }

    /** A fresh contiguous CPU copy with the given dtype, starting at offset 0. */
    private Tensor contiguousCpu(DType dtype) {
        Tensor out = Dispatcher.belowAutograd(Device.CPU).empty(shape, dtype);
        Dispatcher.belowAutograd(Device.CPU).copy_(out, this);
        return out;
    }

    /** Same shape and elements ({@code torch.equal}); dtypes may differ. */
    public boolean equal(Tensor other) { return Composites.equal(this, other); }

    /** {@code |a - b| <= atol + rtol * |b|} everywhere ({@code torch.allclose}). */
    public boolean allclose(Tensor other, double rtol, double atol) { return Composites.allclose(this, other, rtol, atol); }

    @Override
    public String toString() { return TensorPrinter.print(this); }

    // =====================================================================================
    // Autograd, implemented by step3 (see AutogradHook)
    // =====================================================================================

    public boolean requiresGrad() { return AUTOGRAD != null && AUTOGRAD.requiresGrad(this); }

    public Tensor requiresGrad_(boolean requiresGrad) {
        if (!requiresGrad) {
            if (AUTOGRAD != null) {
                AUTOGRAD.setRequiresGrad(this, false);
            }
            return this;
        }
        if (!dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("only Tensors of floating point dtype can require gradients, got " + dtype());
        }
        autograd("requires_grad_").setRequiresGrad(this, true);
        return this;
    }

    public Tensor grad() { return AUTOGRAD == null ? null : AUTOGRAD.grad(this); }

    public void setGrad(Tensor grad) {
        autograd("setGrad").setGrad(this, grad);
    }

    public GradFn gradFn() { return AUTOGRAD == null ? null : AUTOGRAD.gradFn(this); }

    public boolean isLeaf() { return AUTOGRAD == null || AUTOGRAD.isLeaf(this); }

    public void retainGrad() {
        autograd("retain_grad").retainGrad(this);
    }

    /** Backpropagates from a one-element tensor. */
    public void backward() {
        backward(null, false);
    }

    public void backward(Tensor gradient) {
        backward(gradient, false);
    }

    public void backward(Tensor gradient, boolean retainGraph) {
        autograd("backward").backward(this, gradient, retainGraph);
    }

    /** The same data, cut off from the graph. */
    public Tensor detach() { return AUTOGRAD == null ? ops().alias(this) : AUTOGRAD.detach(this); }

    /** {@code .data}: the same storage, without history. */
    public Tensor data() { return Dispatcher.belowAutograd(device()).alias(this); }

    private static AutogradHook autograd(String op) {
        if (AUTOGRAD == null) {
            throw new IllegalStateException(op + " needs autograd, which arrives in step3-autograd; put it on the class path");
        }
        return AUTOGRAD;
    }
}
