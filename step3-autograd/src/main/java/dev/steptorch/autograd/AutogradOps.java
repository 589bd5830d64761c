package dev.steptorch.autograd;

import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Device;
import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.Shapes;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.TensorOps;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * The autograd layer: the same ops as the kernels below it, plus a graph node for every result
 * that needs a gradient. Each op runs the kernel, then (when grad mode is on and an input requires
 * grad) records a {@link FormulaNode} whose formula turns the output's gradient into the inputs'
 * gradients. Formulas may return gradients in the broadcast shape; the engine sums them back down.
 */
final class AutogradOps implements TensorOps {
    private final TensorOps below;

    AutogradOps(TensorOps below) {
        this.below = below;
    }

    /** Builds the node of one op from its inputs and its result (both as the formula should see them). */
    private interface Recipe {
        FormulaNode make(Tensor[] in, Tensor result);
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

    private static Tensor[] grads(Tensor... g) {
        return g;
    }

    private static FormulaNode node(String name, Tensor... in) {
        return new FormulaNode(name, in);
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
        return recording(t) ? attach(r, new Tensor[] {t}, (in, res) -> node("ToCopyBackward0", in).formula(g -> grads(g))) : r;
    }

    @Override
    public Tensor uniform_(Tensor dst, double from, double to) {
        return op("uniform", dst, () -> below.uniform_(dst, from, to),
                (in, r) -> node("UniformBackward0", in).formula(g -> grads((Tensor) null)), dst);
    }

    @Override
    public Tensor normal_(Tensor dst, double mean, double std) {
        return op("normal", dst, () -> below.normal_(dst, mean, std),
                (in, r) -> node("NormalBackward0", in).formula(g -> grads((Tensor) null)), dst);
    }

    // =====================================================================================
    // Elementwise
    // =====================================================================================

    @Override
    public Tensor add(Tensor a, Tensor b, Tensor out) {
        return op("add", out, () -> below.add(a, b, out), (in, r) -> node("AddBackward0", in).formula(g -> grads(g, g)), a, b);
    }

    @Override
    public Tensor sub(Tensor a, Tensor b, Tensor out) {
        return op("sub", out, () -> below.sub(a, b, out),
                (in, r) -> node("SubBackward0", in).formula(g -> grads(g, g.neg())), a, b);
    }

    @Override
    public Tensor mul(Tensor a, Tensor b, Tensor out) {
        return op("mul", out, () -> below.mul(a, b, out), (in, r) -> {
            FormulaNode n = node("MulBackward0", in);
            SavedTensor x = n.needsInputGrad(1) ? n.save(in[0]) : null;
            SavedTensor y = n.needsInputGrad(0) ? n.save(in[1]) : null;
            return n.formula(g -> grads(y == null ? null : g.mul(y.get()), x == null ? null : g.mul(x.get())));
        }, a, b);
    }

    @Override
    public Tensor div(Tensor a, Tensor b, Tensor out) {
        return op("div", out, () -> below.div(a, b, out), (in, r) -> {
            FormulaNode n = node("DivBackward0", in);
            SavedTensor x = n.needsInputGrad(1) ? n.save(in[0]) : null;
            SavedTensor y = n.save(in[1]);
            return n.formula(g -> grads(g.div(y.get()),
                    x == null ? null : g.neg().mul(x.get()).div(y.get().mul(y.get()))));
        }, a, b);
    }

    @Override
    public Tensor pow(Tensor a, Tensor exponent, Tensor out) {
        return op("pow", out, () -> below.pow(a, exponent, out), (in, r) -> {
            Tensor e = in[1];
            if (e.isWrappedNumber()) {
                double p = e.item();
                FormulaNode n = node("PowBackward0", in[0]); // a number exponent is no input of the graph
                SavedTensor x = n.save(in[0]);
                // d/dx x^0 is 0 everywhere, also where x^-1 would be infinite
                return n.formula(g -> grads(p == 0 ? Tensor.zerosLike(g) : g.mul(p).mul(x.get().pow(p - 1))));
            }
            FormulaNode n = node("PowBackward1", in);
            SavedTensor x = n.save(in[0]);
            SavedTensor y = n.save(e);
            SavedTensor res = n.needsInputGrad(1) ? n.save(r) : null;
            return n.formula(g -> {
                Tensor base = x.get();
                Tensor exp = y.get();
                Tensor ga = null;
                if (n.needsInputGrad(0)) {
                    ga = g.mul(exp).mul(base.pow(exp.sub(1))).maskedFill(exp.eq(0).expandTo(g.shape()), 0);
                }
                Tensor ge = null;
                if (res != null) {
                    Tensor zeroBase = base.eq(0).mul(exp.ge(0)); // bool * bool is "and"
                    ge = g.mul(res.get()).mul(base.log()).maskedFill(zeroBase.expandTo(g.shape()), 0);
                }
                return grads(ga, ge);
            });
        }, a, exponent);
    }

    @Override
    public Tensor maximum(Tensor a, Tensor b, Tensor out) {
        return op("maximum", out, () -> below.maximum(a, b, out), (in, r) -> pick("MaximumBackward0", in, true), a, b);
    }

    @Override
    public Tensor minimum(Tensor a, Tensor b, Tensor out) {
        return op("minimum", out, () -> below.minimum(a, b, out), (in, r) -> pick("MinimumBackward0", in, false), a, b);
    }

    /** maximum/minimum: the gradient goes to the chosen input; ties split it in half, as PyTorch 1.13 does. */
    private static FormulaNode pick(String name, Tensor[] in, boolean max) {
        FormulaNode n = node(name, in);
        SavedTensor x = n.save(in[0]);
        SavedTensor y = n.save(in[1]);
        return n.formula(g -> {
            Tensor a = x.get();
            Tensor b = y.get();
            Tensor shared = Tensor.where(a.eq(b), g.div(2.0), g);
            Tensor aLoses = max ? a.lt(b) : a.gt(b);
            Tensor bLoses = max ? a.gt(b) : a.lt(b);
            return grads(shared.maskedFill(aLoses, 0), shared.maskedFill(bLoses, 0));
        });
    }

    @Override
    public Tensor eq(Tensor a, Tensor b, Tensor out) {
        return below.eq(a, b, out);
    }

    @Override
    public Tensor ne(Tensor a, Tensor b, Tensor out) {
        return below.ne(a, b, out);
    }

    @Override
    public Tensor lt(Tensor a, Tensor b, Tensor out) {
        return below.lt(a, b, out);
    }

    @Override
    public Tensor le(Tensor a, Tensor b, Tensor out) {
        return below.le(a, b, out);
    }

    @Override
    public Tensor gt(Tensor a, Tensor b, Tensor out) {
        return below.gt(a, b, out);
    }

    @Override
    public Tensor ge(Tensor a, Tensor b, Tensor out) {
        return below.ge(a, b, out);
    }

    @Override
    public Tensor neg(Tensor a, Tensor out) {
        return op("neg", out, () -> below.neg(a, out), (in, r) -> node("NegBackward0", in).formula(g -> grads(g.neg())), a);
    }

    @Override
    public Tensor exp(Tensor a, Tensor out) {
        return op("exp", out, () -> below.exp(a, out), (in, r) -> {
            FormulaNode n = node("ExpBackward0", in);
            SavedTensor res = n.save(r);
            return n.formula(g -> grads(g.mul(res.get())));
        }, a);
    }

    @Override
    public Tensor log(Tensor a, Tensor out) {
        return op("log", out, () -> below.log(a, out), (in, r) -> {
            FormulaNode n = node("LogBackward0", in);
            SavedTensor x = n.save(in[0]);
            return n.formula(g -> grads(g.div(x.get())));
        }, a);
    }

    @Override
    public Tensor sqrt(Tensor a, Tensor out) {
        return op("sqrt", out, () -> below.sqrt(a, out), (in, r) -> {
            FormulaNode n = node("SqrtBackward0", in);
            SavedTensor res = n.save(r);
            return n.formula(g -> grads(g.div(res.get().mul(2.0))));
        }, a);
    }

    @Override
    public Tensor abs(Tensor a, Tensor out) {
        return op("abs", out, () -> below.abs(a, out), (in, r) -> {
            FormulaNode n = node("AbsBackward0", in);
            SavedTensor x = n.save(in[0]);
            return n.formula(g -> {
                Tensor v = x.get();
                Tensor sign = v.gt(0).to(g.dtype()).sub(v.lt(0).to(g.dtype()));
                return grads(g.mul(sign));
            });
        }, a);
    }

    @Override
    public Tensor clamp(Tensor a, Double min, Double max, Tensor out) {
        // clamp(min) is Python's x.clamp(min=0), which PyTorch 1.13 records as ClampBackward1 (only
        // torch.clamp_min gives ClampMinBackward0); clampMax is torch.clamp_max
        String name = min == null ? "ClampMaxBackward0" : "ClampBackward1";
        return op("clamp", out, () -> below.clamp(a, min, max, out), (in, r) -> {
            FormulaNode n = node(name, in);
            SavedTensor x = n.save(in[0]);
            return n.formula(g -> {
                Tensor v = x.get();
                Tensor inside = min == null ? v.le(max) : max == null ? v.ge(min) : v.ge(min).mul(v.le(max));
                return grads(g.mul(inside));
            });
        }, a);
    }

    @Override
    public Tensor where(Tensor cond, Tensor a, Tensor b) {
        Tensor r = below.where(cond, a, b);
        if (!recording(a, b)) {
            return r;
        }
        return attach(r, new Tensor[] {cond, a, b}, (in, res) -> {
            FormulaNode n = node("WhereBackward0", in);
            SavedTensor c = n.save(in[0]);
            return n.formula(g -> {
                Tensor zero = Tensor.zerosLike(g);
                return grads(null, Tensor.where(c.get(), g, zero), Tensor.where(c.get(), zero, g));
            });
        });
    }

    @Override
    public Tensor maskedFill(Tensor a, Tensor mask, Tensor value, Tensor out) {
        return op("masked_fill", out, () -> below.maskedFill(a, mask, value, out), (in, r) -> {
            FormulaNode n = node("MaskedFillBackward0", in);
            SavedTensor m = n.save(in[1]);
            return n.formula(g -> grads(g.maskedFill(m.get(), 0), null,
                    n.needsInputGrad(2) ? g.mul(m.get()).sum() : null));
        }, a, mask, value);
    }

    // =====================================================================================
    // Reductions and mm
    // =====================================================================================

    @Override
    public Tensor sum(Tensor a, int[] dims, boolean keepdim) {
        Tensor r = below.sum(a, dims, keepdim);
        if (!recording(a)) {
            return r;
        }
        return attach(r, new Tensor[] {a}, (in, res) -> {
            int[] shape = a.shape();
            return node(dims.length == 0 ? "SumBackward0" : "SumBackward1", in)
                    .formula(g -> grads(unreduce(g, shape, dims, keepdim)));
        });
    }

    @Override
    public Tensor mean(Tensor a, int[] dims, boolean keepdim) {
        Tensor r = below.mean(a, dims, keepdim);
        if (!recording(a)) {
            return r;
        }
        long count = a.numel() == 0 ? 1 : a.numel() / Math.max(1, r.numel());
        return attach(r, new Tensor[] {a}, (in, res) -> {
            int[] shape = a.shape();
            return node(dims.length == 0 ? "MeanBackward0" : "MeanBackward1", in)
                    .formula(g -> grads(unreduce(g, shape, dims, keepdim).div((double) count)));
        });
    }

    /** Spreads the gradient of a reduction back over the reduced dims (a broadcast view, no copy). */
    private static Tensor unreduce(Tensor g, int[] shape, int[] dims, boolean keepdim) {
        Tensor k = g;
        if (!keepdim) {
            if (dims.length == 0) {
                int[] ones = new int[shape.length];
                Arrays.fill(ones, 1);
                k = g.reshape(ones);
            } else {
                int[] wrapped = new int[dims.length];
                for (int i = 0; i < dims.length; i++) {
                    wrapped[i] = Shapes.wrapDim(dims[i], shape.length);
                }
                Arrays.sort(wrapped);
                for (int d : wrapped) {
                    if (shape.length > 0) {
                        k = k.unsqueeze(d);
                    }
                }
            }
        }
        return k.expand(shape);
    }

    @Override
    public Tensor max(Tensor a) {
        Tensor r = below.max(a);
        if (!recording(a)) {
            return r;
        }
        return attach(r, new Tensor[] {a}, (in, res) -> {
            FormulaNode n = node("MaxBackward1", in);
            SavedTensor x = n.save(in[0]);
            SavedTensor m = n.save(res);
            return n.formula(g -> {
                // every element equal to the maximum gets an equal share, as PyTorch does
                Tensor winners = x.get().eq(m.get()).to(g.dtype());
                return grads(winners.mul(g.div(winners.sum())));
            });
        });
    }

    @Override
    public Tensor[] max(Tensor a, int dim, boolean keepdim) {
        Tensor[] r = below.max(a, dim, keepdim);
        if (!recording(a)) {
            return r;
        }
        Tensor indices = r[1];
        attach(r[0], new Tensor[] {a}, (in, res) -> {
            FormulaNode n = node("MaxBackward0", in);
            SavedTensor idx = n.save(indices);
            int[] shape = a.shape();
            return n.formula(g -> grads(scatterAlong(g, idx.get(), shape, dim, keepdim)));
        });
        return r;
    }

    /** Puts each gradient at the index the forward pass picked along {@code dim}, zeros elsewhere. */
    private static Tensor scatterAlong(Tensor g, Tensor indices, int[] shape, int dim, boolean keepdim) {
        if (shape.length == 0) {
            return g;
        }
        int d = Shapes.wrapDim(dim, shape.length);
        Tensor gk = keepdim ? g : g.unsqueeze(d);
        Tensor ik = keepdim ? indices : indices.unsqueeze(d);
        int[] along = new int[shape.length];
        Arrays.fill(along, 1);
        along[d] = shape[d];
        Tensor positions = Tensor.arange(0, shape[d], 1, Options.of(DType.INT64, g.device())).view(along);
        return positions.eq(ik).to(g.dtype()).mul(gk);
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
        return op("mm", out, () -> below.mm(a, b, out), (in, r) -> {
            FormulaNode n = node("MmBackward0", in);
            SavedTensor x = n.needsInputGrad(1) ? n.save(in[0]) : null;
            SavedTensor y = n.needsInputGrad(0) ? n.save(in[1]) : null;
            return n.formula(g -> grads(y == null ? null : g.mm(y.get().t()), x == null ? null : x.get().t().mm(g)));
        }, a, b);
    }

    // =====================================================================================
    // Copies and conversions
    // =====================================================================================

    @Override
    public Tensor copy_(Tensor dst, Tensor src) {
        return op("copy", dst, () -> below.copy_(dst, src),
                (in, r) -> node("CopyBackwards", in).formula(g -> grads(Tensor.zerosLike(g), g)), dst, src);
    }

    @Override
    public Tensor fill_(Tensor dst, double value) {
        return op("fill", dst, () -> below.fill_(dst, value),
                (in, r) -> node("FillBackward0", in).formula(g -> grads((Tensor) null)), dst);
    }

    @Override
    public Tensor contiguous(Tensor a) {
        Tensor r = below.contiguous(a);
        return recording(a) ? attach(r, new Tensor[] {a}, (in, res) -> node("CloneBackward0", in).formula(g -> grads(g))) : r;
    }

    @Override
    public Tensor clone(Tensor a) {
        Tensor r = below.clone(a);
        return recording(a) ? attach(r, new Tensor[] {a}, (in, res) -> node("CloneBackward0", in).formula(g -> grads(g))) : r;
    }

    @Override
    public Tensor to(Tensor a, DType dtype) {
        Tensor r = below.to(a, dtype);
        return recording(a) ? attach(r, new Tensor[] {a}, (in, res) -> node("ToCopyBackward0", in).formula(g -> grads(g))) : r;
    }

    @Override
    public Tensor cat(Tensor[] tensors, int dim) {
        Tensor r = below.cat(tensors, dim);
        if (!recording(tensors)) {
            return r;
        }
        return attach(r, tensors, (in, res) -> {
            int d = Shapes.wrapDim(dim, res.dim());
            int[] lengths = new int[in.length];
            for (int i = 0; i < in.length; i++) {
                lengths[i] = in[i].dim() == 0 || in[i].numel() == 0 && in[i].dim() == 1 ? 0 : in[i].size(d);
            }
            return node("CatBackward0", in).formula(g -> {
                Tensor[] parts = new Tensor[lengths.length];
                int start = 0;
                for (int i = 0; i < lengths.length; i++) {
                    parts[i] = lengths[i] == 0 ? null : g.narrow(d, start, lengths[i]);
                    start += lengths[i];
                }
                return parts;
            });
        });
    }

    // =====================================================================================
    // Views
    // =====================================================================================

    private static Recipe reshapeBack(String name, int[] shape) {
        return (in, r) -> node(name, in).formula(g -> grads(g.reshape(shape)));
    }

    @Override
    public Tensor view(Tensor a, int[] shape) {
        return view(a, below.view(a, shape), reshapeBack("ViewBackward0", a.shape()));
    }

    @Override
    public Tensor reshape(Tensor a, int[] shape) {
        Tensor r = below.reshape(a, shape);
        if (r.storage() == a.storage()) {
            return view(a, r, reshapeBack("ReshapeAliasBackward0", a.shape()));
        }
        return recording(a) ? attach(r, new Tensor[] {a}, reshapeBack("UnsafeViewBackward0", a.shape())) : r;
    }

    @Override
    public Tensor transpose(Tensor a, int dim0, int dim1) {
        return view(a, below.transpose(a, dim0, dim1),
                (in, r) -> node("TransposeBackward0", in).formula(g -> grads(g.transpose(dim0, dim1))));
    }

    @Override
    public Tensor permute(Tensor a, int[] dims) {
        int[] inverse = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            inverse[Shapes.wrapDim(dims[i], dims.length)] = i;
        }
        return view(a, below.permute(a, dims), (in, r) -> node("PermuteBackward0", in).formula(g -> grads(g.permute(inverse))));
    }

    @Override
    public Tensor select(Tensor a, int dim, int index) {
        int[] shape = a.shape();
        return view(a, below.select(a, dim, index), (in, r) -> node("SelectBackward0", in).formula(g -> {
            Tensor z = Tensor.zeros(Options.of(g.dtype(), g.device()), shape);
            z.select(dim, index).copy_(g);
            return grads(z);
        }));
    }

    @Override
    public Tensor narrow(Tensor a, int dim, int start, int length) {
        int[] shape = a.shape();
        return view(a, below.narrow(a, dim, start, length), (in, r) -> node("SliceBackward0", in).formula(g -> {
            Tensor z = Tensor.zeros(Options.of(g.dtype(), g.device()), shape);
            z.narrow(dim, start, length).copy_(g);
            return grads(z);
        }));
    }

    @Override
    public Tensor expand(Tensor a, int[] shape) {
        // the engine sums the gradient back to a's shape, exactly as for broadcasting
        return view(a, below.expand(a, shape), (in, r) -> node("ExpandBackward0", in).formula(g -> grads(g)));
    }

    @Override
    public Tensor unsqueeze(Tensor a, int dim) {
        return view(a, below.unsqueeze(a, dim), reshapeBack("UnsqueezeBackward0", a.shape()));
    }

    @Override
    public Tensor squeeze(Tensor a) {
        return view(a, below.squeeze(a), reshapeBack("SqueezeBackward0", a.shape()));
    }

    @Override
    public Tensor squeeze(Tensor a, int dim) {
        return view(a, below.squeeze(a, dim), reshapeBack("SqueezeBackward1", a.shape()));
    }

    @Override
    public Tensor alias(Tensor a) {
        return view(a, below.alias(a), (in, r) -> node("AliasBackward0", in).formula(g -> grads(g)));
    }
}
