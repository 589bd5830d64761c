package dev.steptorch.autograd;

import dev.steptorch.autograd.Derivatives.Recipe;
import dev.steptorch.tensor.BinaryOp;
import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Device;
import dev.steptorch.tensor.ReduceOp;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.TensorOps;
import dev.steptorch.tensor.UnaryOp;
import java.util.function.Supplier;

/**
 * The autograd layer: the same ops as the kernels below it, plus a graph node for every result
 * that needs a gradient. Each op runs the kernel, then (when grad mode is on and an input requires
 * grad) records a {@link FormulaNode} built from the op's row in {@link Derivatives}. This class is
 * only the recording machinery; the formulas are all in the table.
 */
final class AutogradOps implements TensorOps {
    private final TensorOps below;

    AutogradOps(TensorOps below) {
        this.below = below;
    }

    @Override
    public Device device() {
        return below.device();
    }

    // =====================================================================================
    // Recording
    // =====================================================================================

    private static boolean recording(Tensor... inputs) {
        if (!GradMode.isEnabled()) {
            return false;
        }
        for (Tensor t : inputs) {
            if (AutogradMeta.requiresGrad(t)) {
                return true;
            }
        }
        return false;
    }

    /** An op with an {@code out} parameter: null allocates, {@code in[0]} is the in-place form, anything else is out=. */
    private Tensor op(String opName, Tensor out, Supplier<Tensor> kernel, Recipe recipe, Tensor... in) {
        if (!recording(in)) {
            return kernel.get();
        }
        if (out == null) {
            Tensor r = kernel.get();
            return attach(r, in, recipe);
        }
        if (out != in[0]) {
            throw new IllegalArgumentException(opName + "(): functions with out=... arguments don't support automatic "
                    + "differentiation, but one of the arguments requires grad.");
        }
        return inPlace(opName + "_", in, kernel, recipe);
    }

    private static Tensor attach(Tensor r, Tensor[] in, Recipe recipe) {
        for (Tensor t : in) {
            if (r == t) {
                return r; // the op handed back its input unchanged (contiguous of a contiguous tensor)
            }
        }
        if (!r.dtype().isFloatingPoint()) {
            return r; // integer and bool results carry no gradient
        }
        setHistory(r, recipe.make(in, r));
        return r;
    }

    private static void setHistory(Tensor t, Node node) {
        node.setOutput(t, 0);
    }

    /**
     * An in-place op under recording. The formula must see the value {@code self} had before the
     * write, so that value is cloned first (carrying self's history); then the kernel writes into
     * {@code self} and self's history moves to the new node. PyTorch avoids the clone for formulas
     * that do not need the old value; here clarity wins, and in-place ops under recording are rare.
     */
    private Tensor inPlace(String opName, Tensor[] in, Supplier<Tensor> kernel, Recipe recipe) {
        Tensor self = in[0];
        AutogradMeta m = AutogradMeta.of(self);
        if (m != null && m.gradFn == null && m.requiresGrad) {
            throw new IllegalStateException("a leaf Variable that requires grad is being used in an in-place operation ("
                    + opName + "). Update leaves inside GradMode.noGrad(), or work on a copy (x.clone()).");
        }
        if (m != null && m.viewBase != null) {
            throw new UnsupportedOperationException(opName + " writes into a view of another tensor while the graph is being "
                    + "recorded; StepTorch does not rewrite the base tensor's history (PyTorch's CopySlices). Use an "
                    + "out-of-place op, or write under GradMode.noGrad().");
        }
        Tensor old = below.clone(self);
        if (m != null && m.gradFn != null) {
            AutogradMeta om = AutogradMeta.getOrCreate(old);
            om.gradFn = m.gradFn;
            om.outputNr = m.outputNr;
        }
        Tensor[] before = in.clone();
        for (int i = 0; i < before.length; i++) {
            if (before[i] == self) {
                before[i] = old; // y.mul_(y): the other operand is self too, and must also be seen before the write
            }
        }
        Node previous = m == null ? null : m.gradFn;
        int previousNr = m == null ? 0 : m.outputNr;
        kernel.get();
        if (self.dtype().isFloatingPoint()) {
            Node node = recipe.make(before, self);
            setHistory(self, node);
            // retainGrad() follows the tensor, as in PyTorch: y.grad is the gradient of y's newest value
            if (previous != null && previous.retained(previousNr).remove(AutogradMeta.of(self))) {
                node.retain(0, AutogradMeta.of(self));
            }
        }
        return self;
    }

    /** A view op: remembers the base (for the in-place check) and records a node if needed. */
    private static Tensor view(Tensor a, Tensor r, Recipe recipe) {
        if (r == a) {
            return r;
        }
        if (recording(a)) {
            setHistory(r, recipe.make(new Tensor[] {a}, r));
        }
        AutogradMeta.getOrCreate(r).viewBase = a;
        return r;
    }

    // =====================================================================================
    // Creation and movement
    // =====================================================================================

    @Override
    public Tensor empty(int[] shape, DType dtype) {
        return below.empty(shape, dtype);
    }

    @Override
    public Tensor toDevice(Tensor t) {
        Tensor r = below.toDevice(t);
        return recording(t) ? attach(r, new Tensor[] {t}, Derivatives.identity("ToCopyBackward0")) : r;
    }

    @Override
    public Tensor uniform_(Tensor dst, double from, double to) {
        return op("uniform", dst, () -> below.uniform_(dst, from, to), Derivatives.overwrite("UniformBackward0"), dst);
    }

    @Override
    public Tensor normal_(Tensor dst, double mean, double std) {
        return op("normal", dst, () -> below.normal_(dst, mean, std), Derivatives.overwrite("NormalBackward0"), dst);
    }

    // =====================================================================================
    // Op families: the op's row gives the node
    // =====================================================================================

    @Override
    public Tensor unary(UnaryOp op, Tensor a, Tensor out) {
        return op(op.torchName(), out, () -> below.unary(op, a, out), Derivatives.unary(op), a);
    }

    @Override
    public Tensor binary(BinaryOp op, Tensor a, Tensor b, double alpha, Tensor out) {
        Supplier<Tensor> kernel = () -> below.binary(op, a, b, alpha, out);
        if (op == BinaryOp.POW && b.isWrappedNumber()) {
            // pow(Tensor, Scalar) is an overload of its own in PyTorch, with its own row
            return op("pow", out, kernel, Derivatives.powScalar(b.item()), a);
        }
        Recipe row = Derivatives.binary(op, alpha);
        return row == null ? kernel.get() : op(op.torchName(), out, kernel, row, a, b);
    }

    @Override
    public Tensor reduce(ReduceOp op, Tensor a, int[] dims, boolean keepdim, Tensor out) {
        return op(op.torchName(), out, () -> below.reduce(op, a, dims, keepdim, out),
                Derivatives.reduce(op, a.shape(), dims.clone(), keepdim), a);
    }

    // =====================================================================================
    // More ops outside the families: statistics, indexing, products
    // =====================================================================================

    private static Tensor record(Tensor r, Recipe recipe, Tensor... in) {
        return recording(in) ? attach(r, in, recipe) : r;
    }

    @Override
    public Tensor[] min(Tensor a, int dim, boolean keepdim) {
        Tensor[] r = below.min(a, dim, keepdim);
        if (recording(a)) {
            attach(r[0], new Tensor[] {a}, Derivatives.minDim(a.shape(), dim, keepdim, r[1]));
        }
        return r;
    }

    @Override
    public Tensor var(Tensor a, int[] dims, boolean unbiased, boolean keepdim) {
        return record(below.var(a, dims, unbiased, keepdim), Derivatives.var(a.shape(), dims.clone(), unbiased, keepdim), a);
    }

    @Override
    public Tensor std(Tensor a, int[] dims, boolean unbiased, boolean keepdim) {
        return record(below.std(a, dims, unbiased, keepdim), Derivatives.std(a.shape(), dims.clone(), unbiased, keepdim), a);
    }

    @Override
    public Tensor logsumexp(Tensor a, int[] dims, boolean keepdim) {
        return record(below.logsumexp(a, dims, keepdim), Derivatives.logsumexp(a.shape(), dims.clone(), keepdim), a);
    }

    @Override
    public Tensor cumsum(Tensor a, int dim) {
        return record(below.cumsum(a, dim), Derivatives.cumsum(dim), a);
    }

    @Override
    public Tensor gather(Tensor a, int dim, Tensor index) {
        return record(below.gather(a, dim, index), Derivatives.gather(a.shape(), dim), a, index);
    }

    @Override
    public Tensor scatterAdd(Tensor a, int dim, Tensor index, Tensor src) {
        return record(below.scatterAdd(a, dim, index, src), Derivatives.scatterAdd(dim), a, index, src);
    }

    @Override
    public Tensor indexSelect(Tensor a, int dim, Tensor index) {
        return record(below.indexSelect(a, dim, index), Derivatives.indexSelect(a.shape(), dim), a, index);
    }

    @Override
    public Tensor flip(Tensor a, int[] dims) {
        return record(below.flip(a, dims), Derivatives.flip(dims.clone()), a);
    }

    @Override
    public Tensor roll(Tensor a, int[] shifts, int[] dims) {
        return record(below.roll(a, shifts, dims), Derivatives.roll(shifts.clone(), dims.clone()), a);
    }

    @Override
    public Tensor tril(Tensor a, int diagonal) {
        return record(below.tril(a, diagonal), Derivatives.triangle(diagonal, true), a);
    }

    @Override
    public Tensor triu(Tensor a, int diagonal) {
        return record(below.triu(a, diagonal), Derivatives.triangle(diagonal, false), a);
    }

    @Override
    public Tensor diag(Tensor a, int diagonal) {
        return record(below.diag(a, diagonal), Derivatives.diag(a.shape(), diagonal), a);
    }

    @Override
    public Tensor bmm(Tensor a, Tensor b) {
        return record(below.bmm(a, b), Derivatives.bmm(), a, b);
    }

    @Override
    public Tensor dot(Tensor a, Tensor b) {
        return record(below.dot(a, b), Derivatives.dot(), a, b);
    }

    @Override
    public Tensor mv(Tensor a, Tensor v) {
        return record(below.mv(a, v), Derivatives.mv(), a, v);
    }

    // =====================================================================================
    // The ops outside the families
    // =====================================================================================

    @Override
    public Tensor clamp(Tensor a, Double min, Double max, Tensor out) {
        return op("clamp", out, () -> below.clamp(a, min, max, out), Derivatives.clamp(min, max), a);
    }

    @Override
    public Tensor where(Tensor cond, Tensor a, Tensor b) {
        Tensor r = below.where(cond, a, b);
        return recording(a, b) ? attach(r, new Tensor[] {cond, a, b}, Derivatives.where()) : r;
    }

    @Override
    public Tensor maskedFill(Tensor a, Tensor mask, Tensor value, Tensor out) {
        return op("masked_fill", out, () -> below.maskedFill(a, mask, value, out), Derivatives.maskedFill(), a, mask, value);
    }

    @Override
    public Tensor[] max(Tensor a, int dim, boolean keepdim) {
        Tensor[] r = below.max(a, dim, keepdim);
        if (recording(a)) {
            attach(r[0], new Tensor[] {a}, Derivatives.maxDim(a.shape(), dim, keepdim, r[1]));
        }
        return r;
    }

    @Override
    public Tensor argmax(Tensor a) {
        return below.argmax(a);
    }

    @Override
    public Tensor argmax(Tensor a, int dim, boolean keepdim) {
        return below.argmax(a, dim, keepdim);
    }

    @Override
    public Tensor mm(Tensor a, Tensor b, Tensor out) {
        return op("mm", out, () -> below.mm(a, b, out), Derivatives.mm(), a, b);
    }

    @Override
    public Tensor addmm(Tensor input, Tensor a, Tensor b, Tensor out) {
        return op("addmm", out, () -> below.addmm(input, a, b, out), Derivatives.addmm(), input, a, b);
    }

    // =====================================================================================
    // Sliding windows
    // =====================================================================================

    @Override
    public Tensor unfold(Tensor input, int kh, int kw, int sh, int sw, int ph, int pw) {
        return op("im2col", null, () -> below.unfold(input, kh, kw, sh, sw, ph, pw),
                WindowDerivatives.unfold(input.shape(), kh, kw, sh, sw, ph, pw), input);
    }

    @Override
    public Tensor fold(Tensor cols, int[] outputShape, int kh, int kw, int sh, int sw, int ph, int pw) {
        return op("col2im", null, () -> below.fold(cols, outputShape, kh, kw, sh, sw, ph, pw),
                WindowDerivatives.fold(kh, kw, sh, sw, ph, pw), cols);
    }

    @Override
    public Tensor correlate2d(Tensor input, Tensor weight) {
        return op("conv2d", null, () -> below.correlate2d(input, weight),
                WindowDerivatives.correlate2d(weight.size(2), weight.size(3)), input, weight);
    }

    @Override
    public Tensor correlate2dWeight(Tensor input, Tensor grad, int kh, int kw) {
        return op("conv2d weight gradient", null, () -> below.correlate2dWeight(input, grad, kh, kw),
                WindowDerivatives.correlate2dWeight(kh, kw), input, grad);
    }

    @Override
    public Tensor correlate2dInput(Tensor weight, Tensor grad) {
        return op("conv2d input gradient", null, () -> below.correlate2dInput(weight, grad),
                WindowDerivatives.correlate2dInput(weight.size(2), weight.size(3)), weight, grad);
    }

    @Override
    public Tensor[] maxPool2dWithIndices(Tensor input, int kh, int kw, int sh, int sw, int ph, int pw) {
        Tensor[] r = below.maxPool2dWithIndices(input, kh, kw, sh, sw, ph, pw);
        if (recording(input)) {
            attach(r[0], new Tensor[] {input}, WindowDerivatives.maxPool2d(input.shape(), r[1]));
        }
        return r;
    }

    @Override
    public Tensor maxPool2dBackward(Tensor grad, Tensor indices, int[] inputShape) {
        return op("max_pool2d_with_indices_backward", null, () -> below.maxPool2dBackward(grad, indices, inputShape),
                WindowDerivatives.maxPool2dBackward(inputShape.clone()), grad, indices);
    }

    // =====================================================================================
    // Copies and conversions
    // =====================================================================================

    @Override
    public Tensor copy_(Tensor dst, Tensor src) {
        return op("copy", dst, () -> below.copy_(dst, src), Derivatives.copy(), dst, src);
    }

    @Override
    public Tensor fill_(Tensor dst, double value) {
        return op("fill", dst, () -> below.fill_(dst, value), Derivatives.overwrite("FillBackward0"), dst);
    }

    @Override
    public Tensor contiguous(Tensor a) {
        Tensor r = below.contiguous(a);
        return recording(a) ? attach(r, new Tensor[] {a}, Derivatives.identity("CloneBackward0")) : r;
    }

    @Override
    public Tensor clone(Tensor a) {
        Tensor r = below.clone(a);
        return recording(a) ? attach(r, new Tensor[] {a}, Derivatives.identity("CloneBackward0")) : r;
    }

    @Override
    public Tensor to(Tensor a, DType dtype) {
        Tensor r = below.to(a, dtype);
        return recording(a) ? attach(r, new Tensor[] {a}, Derivatives.identity("ToCopyBackward0")) : r;
    }

    @Override
    public Tensor cat(Tensor[] tensors, int dim) {
        Tensor r = below.cat(tensors, dim);
        if (!recording(tensors)) {
            return r;
        }
        int[][] shapes = new int[tensors.length][];
        for (int i = 0; i < tensors.length; i++) {
            shapes[i] = tensors[i].shape();
        }
        return attach(r, tensors, Derivatives.cat(shapes, dim));
    }

    // =====================================================================================
    // Views
    // =====================================================================================

    @Override
    public Tensor view(Tensor a, int[] shape) {
        return view(a, below.view(a, shape), Derivatives.reshapeBack("ViewBackward0", a.shape()));
    }

    @Override
    public Tensor reshape(Tensor a, int[] shape) {
        Tensor r = below.reshape(a, shape);
        if (r.storage() == a.storage()) {
            return view(a, r, Derivatives.reshapeBack("ReshapeAliasBackward0", a.shape()));
        }
        return recording(a) ? attach(r, new Tensor[] {a}, Derivatives.reshapeBack("UnsafeViewBackward0", a.shape())) : r;
    }

    @Override
    public Tensor transpose(Tensor a, int dim0, int dim1) {
        return view(a, below.transpose(a, dim0, dim1), Derivatives.transpose(dim0, dim1));
    }

    @Override
    public Tensor permute(Tensor a, int[] dims) {
        return view(a, below.permute(a, dims), Derivatives.permute(dims));
    }

    @Override
    public Tensor select(Tensor a, int dim, int index) {
        return view(a, below.select(a, dim, index), Derivatives.select(a.shape(), dim, index));
    }

    @Override
    public Tensor narrow(Tensor a, int dim, int start, int length) {
        return view(a, below.narrow(a, dim, start, length), Derivatives.narrow(a.shape(), dim, start, length));
    }

    @Override
    public Tensor slice(Tensor a, int dim, int start, int end, int step) {
        return view(a, below.slice(a, dim, start, end, step), Derivatives.slice(a.shape(), dim, start, end, step));
    }

    @Override
    public Tensor expand(Tensor a, int[] shape) {
        return view(a, below.expand(a, shape), Derivatives.expand());
    }

    @Override
    public Tensor unsqueeze(Tensor a, int dim) {
        return view(a, below.unsqueeze(a, dim), Derivatives.reshapeBack("UnsqueezeBackward0", a.shape()));
    }

    @Override
    public Tensor squeeze(Tensor a) {
        return view(a, below.squeeze(a), Derivatives.reshapeBack("SqueezeBackward0", a.shape()));
    }

    @Override
    public Tensor squeeze(Tensor a, int dim) {
        return view(a, below.squeeze(a, dim), Derivatives.reshapeBack("SqueezeBackward1", a.shape()));
    }

    @Override
    public Tensor alias(Tensor a) {
        return view(a, below.alias(a), Derivatives.identity("AliasBackward0"));
    }
}
