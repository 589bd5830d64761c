package dev.steptorch.tensor;

import dev.steptorch.ndarray.NDArray;
import dev.steptorch.ndarray.Parallel;
import dev.steptorch.tensor.cpu.CpuStorage;

/**
 * The {@code torch.*} functions: creating tensors, seeding, and the functional forms of ops that
 * take several tensors ({@code cat}, {@code where}) or an {@code out=} tensor. Methods of one
 * tensor live on {@link Tensor}, as in PyTorch.
 */
public final class Torch {
    private Torch() {
    }

    // =====================================================================================
    // Creation
    // =====================================================================================

    public static void manualSeed(long seed) {
        TensorRandom.manualSeed(seed);
    }

    /** PyTorch's {@code torch.set_num_threads}: the threads a CPU op may use, the caller's included (default: the cores). */
    public static void setNumThreads(int threads) {
        Parallel.setThreads(threads);
    }

    /** PyTorch's {@code torch.get_num_threads}. */
    public static int getNumThreads() {
        return Parallel.threads();
    }

    /** Uninitialised memory: whatever the allocator hands out (zeros on the CPU, as Java arrays are). */
    public static Tensor empty(int... shape) {
        return empty(Options.DEFAULT, shape);
    }

    public static Tensor empty(Options options, int... shape) {
        return finishCreation(Dispatcher.ops(options.device()).empty(shape, options.dtype()), options);
    }

    public static Tensor zeros(int... shape) {
        return zeros(Options.DEFAULT, shape);
    }

    public static Tensor zeros(Options options, int... shape) {
        return full(options, 0, shape);
    }

    public static Tensor ones(int... shape) {
        return ones(Options.DEFAULT, shape);
    }

    public static Tensor ones(Options options, int... shape) {
        return full(options, 1, shape);
    }

    public static Tensor full(Options options, double value, int... shape) {
        Tensor t = Dispatcher.ops(options.device()).empty(shape, options.dtype());
        Dispatcher.ops(options.device()).fill_(t, value);
        return finishCreation(t, options);
    }

    /** Uniform numbers in [0, 1). */
    public static Tensor rand(int... shape) {
        return rand(Options.DEFAULT, shape);
    }

    public static Tensor rand(Options options, int... shape) {
        Tensor t = Dispatcher.ops(options.device()).empty(shape, requireFloat(options.dtype(), "rand"));
        Dispatcher.ops(options.device()).uniform_(t, 0, 1);
        return finishCreation(t, options);
    }

    /** Standard normal numbers. */
    public static Tensor randn(int... shape) {
        return randn(Options.DEFAULT, shape);
    }

    public static Tensor randn(Options options, int... shape) {
        Tensor t = Dispatcher.ops(options.device()).empty(shape, requireFloat(options.dtype(), "randn"));
        Dispatcher.ops(options.device()).normal_(t, 0, 1);
        return finishCreation(t, options);
    }

    private static DType requireFloat(DType dtype, String op) {
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("\"" + op + "\" is only defined for floating-point dtypes, got " + dtype);
        }
        return dtype;
    }

    /** 0, 1, ..., end-1 as int64 ({@code torch.arange(end)}). */
    public static Tensor arange(long end) {
        return arange(0, end, 1, Options.dtype(DType.INT64));
    }

    /** {@code start, start+step, ...} below {@code end}; int64 unless options give a dtype. */
    public static Tensor arange(double start, double end, double step, Options options) {
        if (step == 0) {
            throw new IllegalArgumentException("arange: step must be nonzero");
        }
        if ((end - start) / step < 0) {
            throw new IllegalArgumentException("arange: upper bound and larger bound inconsistent with step sign");
        }
        int n = (int) Math.ceil((end - start) / step);
        DType dtype = options.dtypeOr(isWhole(start) && isWhole(step) && isWhole(end) ? DType.INT64 : DType.defaultFloat());
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = start + i * step;
        }
        return tensor(values, options.withDtype(dtype));
    }

    private static boolean isWhole(double v) {
        return v == Math.rint(v);
    }

    public static Tensor zerosLike(Tensor t) {
        return zeros(options(t), t.shape());
    }

    public static Tensor onesLike(Tensor t) {
        return ones(options(t), t.shape());
    }

    public static Tensor emptyLike(Tensor t) {
        return empty(options(t), t.shape());
    }

    public static Tensor randLike(Tensor t) {
        return rand(options(t), t.shape());
    }

    public static Tensor randnLike(Tensor t) {
        return randn(options(t), t.shape());
    }

    /** Same device as {@code t}, with another dtype ({@code torch.randn_like(x, dtype=torch.float)}). */
    public static Tensor randnLike(Tensor t, DType dtype) {
        return randn(options(t).withDtype(dtype), t.shape());
    }

    public static Tensor zerosLike(Tensor t, DType dtype) {
        return zeros(options(t).withDtype(dtype), t.shape());
    }

    /**
     * A tensor holding a copy of Java data: a number, or a (nested) array of double, float, long,
     * int or boolean. As with Python literals, doubles become float32 (the default dtype), whole
     * numbers int64 and booleans bool, unless the options name a dtype.
     */
    public static Tensor tensor(Object data) {
        return tensor(data, Options.DEFAULT);
    }

    public static Tensor tensor(Object data, Options options) {
        Tensor cpu = JavaData.toCpuTensor(data, options);
        Tensor t = options.device() == Device.CPU ? cpu : Dispatcher.ops(options.device()).toDevice(cpu);
        return finishCreation(t, options);
    }

    private static Options options(Tensor t) {
        return Options.of(t.dtype(), t.device());
    }

    private static Tensor finishCreation(Tensor t, Options options) {
        return options.requiresGrad() ? t.requiresGrad_(true) : t;
    }

    // =====================================================================================
    // Java arrays and NumPy arrays
    // =====================================================================================

    /**
     * A CPU tensor over a Java array, without copying ({@code torch.from_numpy} for a plain array):
     * writes through either show in both. The array's type gives the dtype (float[], double[],
     * long[] or boolean[]) and its length must be the shape's element count.
     */
    public static Tensor fromArray(Object array, int... shape) {
        CpuStorage storage = CpuStorage.over(array);
        if (storage.size() != Shapes.numel(shape)) {
            throw new IllegalArgumentException("an array of " + storage.size() + " elements cannot have shape "
                    + Shapes.str(shape));
        }
        return Tensor.wrap(storage, shape.clone(), Shapes.contiguousStrides(shape), 0);
    }

    /** A CPU tensor sharing the NDArray's memory ({@code torch.from_numpy}). */
    public static Tensor fromNumpy(NDArray array) {
        for (int s : array.strides()) {
            if (s < 0) {
                throw new IllegalArgumentException("At least one stride in the given numpy array is negative, and tensors with "
                        + "negative strides are not currently supported. (You can probably work around this by making a copy of "
                        + "your array with array.copy().)");
            }
        }
        return Tensor.wrap(CpuStorage.over(array.data()), array.shape(), array.strides(), array.offset());
    }

    // =====================================================================================
    // Functions of several tensors, and out= forms
    // =====================================================================================

    /** Concatenates along {@code dim}; all tensors on one device. */
    public static Tensor cat(int dim, Tensor... tensors) {
        return Dispatcher.opsFor(tensors).cat(tensors, dim);
    }

    /** Joins tensors of one shape along a new dim ({@code torch.stack}): a cat of unsqueezed views. */
    public static Tensor stack(int dim, Tensor... tensors) {
        return Composites.stack(dim, tensors);
    }

    /** {@code torch.einsum} for one or two operands: "ij,jk->ik", "bij,bjk->bik", "i,i->", "ii->i", ... (see Einsum). */
    public static Tensor einsum(String equation, Tensor... operands) {
        return Einsum.einsum(equation, operands);
    }

    public static Tensor matmul(Tensor a, Tensor b) {
        return a.matmul(b);
    }

    public static Tensor bmm(Tensor a, Tensor b) {
        return a.bmm(b);
    }

    public static Tensor outer(Tensor a, Tensor b) {
        return a.outer(b);
    }

    /** {@code cond ? a : b} elementwise. */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        return Dispatcher.opsFor(cond, a, b).where(cond, a, b);
    }

    /** {@code torch.add(a, b, out=out)}, and the same for every binary op. */
    public static Tensor binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        return Dispatcher.opsFor(a, b, out).binary(op, a, b, out);
    }

    /**
     * {@code torch.ops.aten.threshold_backward(grad, self, threshold)}: grad where self is above the
     * threshold (or NaN), else 0. At 0, ReLU's case, it is one op of the binary family; another
     * threshold is the same mask written with le and masked_fill.
     */
    public static Tensor thresholdBackward(Tensor grad, Tensor self, double threshold) {
        return threshold == 0 ? binary(BinaryOp.THRESHOLD_BACKWARD, grad, self, null) : grad.maskedFill(self.le(threshold), 0);
    }

    public static Tensor add(Tensor a, Tensor b, Tensor out) {
        return binary(BinaryOp.ADD, a, b, out);
    }

    public static Tensor sub(Tensor a, Tensor b, Tensor out) {
        return binary(BinaryOp.SUB, a, b, out);
    }

    /** {@code torch.add(a, b, alpha=alpha, out=out)}: {@code a + alpha * b}; out may be null. */
    public static Tensor add(Tensor a, Tensor b, double alpha, Tensor out) {
        return Dispatcher.opsFor(a, b, out).binary(BinaryOp.ADD, a, b, alpha, out);
    }

    /** {@code torch.sub(a, b, alpha=alpha, out=out)}: {@code a - alpha * b}; out may be null. */
    public static Tensor sub(Tensor a, Tensor b, double alpha, Tensor out) {
        return Dispatcher.opsFor(a, b, out).binary(BinaryOp.SUB, a, b, alpha, out);
    }

    public static Tensor mul(Tensor a, Tensor b, Tensor out) {
        return binary(BinaryOp.MUL, a, b, out);
    }

    public static Tensor div(Tensor a, Tensor b, Tensor out) {
        return binary(BinaryOp.DIV, a, b, out);
    }

    /** {@code torch.mul(a, 0.5, out=out)}: the number promotes as in {@code a.mul(0.5)}. */
    public static Tensor mul(Tensor a, double b, Tensor out) {
        return binary(BinaryOp.MUL, a, Tensor.scalar(b, a.device()), out);
    }

    /** {@code torch.pow(a, 2.0, out=out)}. */
    public static Tensor pow(Tensor a, double exponent, Tensor out) {
        return binary(BinaryOp.POW, a, Tensor.scalar(exponent, a.device()), out);
    }

    /** {@code torch.sin(x, out=out)}, and the same for every unary op. */
    public static Tensor unary(UnaryOp op, Tensor a, Tensor out) {
        return Dispatcher.opsFor(a, out).unary(op, a, out);
    }

    public static Tensor mm(Tensor a, Tensor b, Tensor out) {
        return Dispatcher.opsFor(a, b, out).mm(a, b, out);
    }

    /** {@code torch.addmm(input, mat1, mat2, out=out)}: {@code input + mat1 @ mat2}; out may be null, or input itself. */
    public static Tensor addmm(Tensor input, Tensor mat1, Tensor mat2, Tensor out) {
        return Dispatcher.opsFor(input, mat1, mat2, out).addmm(input, mat1, mat2, out);
    }

    // =====================================================================================
    // Sliding windows, the primitives under convolution and pooling (see TensorOps)
    // =====================================================================================

    /** im2col: {@code [C * kh * kw, N * outH * outW]}, the batch in the columns (F.unfold's [N, C*kh*kw, L] transposed). */
    public static Tensor unfold(Tensor input, int kh, int kw, int sh, int sw, int ph, int pw) {
        return Dispatcher.opsFor(input).unfold(input, kh, kw, sh, sw, ph, pw);
    }

    /** col2im, the adjoint of {@link #unfold}: overlapping entries sum into {@code outputShape} [N, C, H, W]. */
    public static Tensor fold(Tensor cols, int[] outputShape, int kh, int kw, int sh, int sw, int ph, int pw) {
        return Dispatcher.opsFor(cols).fold(cols, outputShape, kh, kw, sh, sw, ph, pw);
    }

    /** {@code torch.max_pool2d_with_indices}: values and int64 indices within each (n, c) plane. */
    public static Tensor.ValuesIndices maxPool2dWithIndices(Tensor input, int kh, int kw, int sh, int sw, int ph, int pw) {
        Tensor[] r = Dispatcher.opsFor(input).maxPool2dWithIndices(input, kh, kw, sh, sw, ph, pw);
        return new Tensor.ValuesIndices(r[0], r[1]);
    }

    /** {@code max_pool2d_with_indices_backward}: the gradient of the input of a max pooling. */
    public static Tensor maxPool2dBackward(Tensor grad, Tensor indices, int[] inputShape) {
        return Dispatcher.opsFor(grad, indices).maxPool2dBackward(grad, indices, inputShape);
    }

    /** {@code torch.conv2d(input, weight)}: stride 1, no padding, no bias; [N, O, H - kh + 1, W - kw + 1]. */
    public static Tensor correlate2d(Tensor input, Tensor weight) {
        return Dispatcher.opsFor(input, weight).correlate2d(input, weight);
    }

    /** The gradient of {@link #correlate2d}'s weight [O, C, kh, kw], from its input and its output's gradient. */
    public static Tensor correlate2dWeight(Tensor input, Tensor grad, int kh, int kw) {
        return Dispatcher.opsFor(input, grad).correlate2dWeight(input, grad, kh, kw);
    }

    /** The gradient of {@link #correlate2d}'s input [N, C, H, W], from its weight and its output's gradient. */
    public static Tensor correlate2dInput(Tensor weight, Tensor grad) {
        return Dispatcher.opsFor(weight, grad).correlate2dInput(weight, grad);
    }
}
