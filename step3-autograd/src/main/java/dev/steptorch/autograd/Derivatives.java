package dev.steptorch.autograd;

import dev.steptorch.tensor.BinaryOp;
import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.ReduceOp;
import dev.steptorch.tensor.Shapes;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import dev.steptorch.tensor.UnaryOp;
import java.util.Arrays;

/**
 * Every backward formula of the autograd layer, one row per op, as PyTorch lists them in
 * {@code derivatives.yaml}. A row names the graph node PyTorch records and gives, for each input
 * in order, the formula of its gradient from the output's gradient {@code g}, and which tensors
 * that formula reads ({@link #SELF}, {@link #OTHER}, an input position, or {@link #RESULT}): only
 * those are saved, and only when that input needs a gradient. Formulas may return a gradient in
 * the broadcast shape; the engine sums it back to the input's shape.
 *
 * <p>The switches over the op enums have no default: an op without a row does not compile.
 */
final class Derivatives {
    private Derivatives() {
    }

    /** Positions of the inputs a formula reads; RESULT is the op's output. */
    static final int SELF = 0, OTHER = 1, RESULT = -1;

    /** The gradient of one input. */
    interface Formula {
        Tensor apply(Tensor g, Saved s);
    }

    /** The gradient added into {@code sum} in place, never made on its own: see {@link #product}. */
    interface Into {
        void add(Tensor sum, Tensor g, Saved s);
    }

    /** A formula, the tensors it reads, and (or null) how to add its gradient into a tensor in place. */
    record Grad(Formula formula, Into into, int... uses) {
    }

    static Grad grad(Formula formula, int... uses) {
        return new Grad(formula, null, uses);
    }

    /**
     * A gradient that is the matrix product {@code left @ right}. When the engine offers a leaf's
     * {@code .grad} (see {@link Node#apply(Tensor[], Tensor[])}), it is summed straight into it with
     * {@code addmm_}, and the course's 400 KB gradient of w1 is never made: PyTorch makes it and
     * frees it, and its allocator hands the same warm memory back at the next step, while a fresh
     * Java array is cold memory.
     */
    static Grad product(Formula left, Formula right, int... uses) {
        return new Grad((g, s) -> left.apply(g, s).mm(right.apply(g, s)),
                (sum, g, s) -> sum.addmm_(left.apply(g, s), right.apply(g, s)), uses);
    }

    /** The input gets no gradient (an index, a mask, a condition). */
    static final Grad NOT_DIFFERENTIABLE = null;

    // =====================================================================================
    // Elementwise families
    // =====================================================================================

    static Row unary(UnaryOp op) {
        return switch (op) {
            case NEG -> row("NegBackward0", grad((g, s) -> g.neg()));
            case EXP -> row("ExpBackward0", grad((g, s) -> g.mul(s.result()), RESULT));
            case LOG -> row("LogBackward0", grad((g, s) -> g.div(s.self()), SELF));
            case SQRT -> row("SqrtBackward0", grad((g, s) -> g.div(s.result().mul(2.0)), RESULT));
            // sign(x), so the gradient at the kink x = 0 is 0, PyTorch's convention
            case ABS -> row("AbsBackward0", grad((g, s) -> g.mul(sign(s.self(), g.dtype())), SELF));
            case SIN -> row("SinBackward0", grad((g, s) -> g.mul(s.self().cos()), SELF));
            case COS -> row("CosBackward0", grad((g, s) -> g.mul(s.self().sin()).neg(), SELF));
            case TAN -> row("TanBackward0", grad((g, s) -> g.mul(s.result().mul(s.result()).add(1.0)), RESULT));
            case RSQRT -> row("RsqrtBackward0", grad((g, s) -> g.mul(s.result().pow(3L)).mul(-0.5), RESULT));
            case RECIPROCAL -> row("ReciprocalBackward0", grad((g, s) -> g.mul(s.result().mul(s.result())).neg(), RESULT));
            case LOG1P -> row("Log1PBackward0", grad((g, s) -> g.div(s.self().add(1.0)), SELF));
            case EXPM1 -> row("Expm1Backward0", grad((g, s) -> g.mul(s.result().add(1.0)), RESULT));
            // piecewise constant: zero wherever the derivative exists, and zero at the jumps too
            case SIGN -> row("SignBackward0", grad((g, s) -> Torch.zerosLike(g)));
            case FLOOR -> row("FloorBackward0", grad((g, s) -> Torch.zerosLike(g)));
            case CEIL -> row("CeilBackward0", grad((g, s) -> Torch.zerosLike(g)));
            case ROUND -> row("RoundBackward0", grad((g, s) -> Torch.zerosLike(g)));
            case ERF -> row("ErfBackward0", grad((g, s) -> g.mul(s.self().mul(s.self()).neg().exp().mul(2 / Math.sqrt(Math.PI))), SELF));
        };
    }

    /**
     * Null for the comparisons, whose bool results carry no gradient. add's and sub's alpha scales
     * the gradient of {@code other}; every other op has alpha 1.
     */
    static Row binary(BinaryOp op, double alpha) {
        return switch (op) {
            case ADD -> row("AddBackward0", grad((g, s) -> g), grad((g, s) -> alpha == 1 ? g : g.mul(alpha)));
            case SUB -> row("SubBackward0", grad((g, s) -> g), grad((g, s) -> alpha == 1 ? g.neg() : g.mul(-alpha)));
            // BEGIN SOLUTION step3.mul-backward
            case MUL -> row("MulBackward0",
                    grad((g, s) -> g.mul(s.other()), OTHER),
                    grad((g, s) -> g.mul(s.self()), SELF));
            // END SOLUTION
            case DIV -> row("DivBackward0",
                    grad((g, s) -> g.div(s.other()), OTHER),
                    grad((g, s) -> g.neg().mul(s.self()).div(s.other().mul(s.other())), SELF, OTHER));
            // a zero exponent gives 0, also where base^-1 is infinite; a zero base gives log 0 = -inf, masked to 0
            case POW -> row("PowBackward1",
                    grad((g, s) -> g.mul(s.other()).mul(s.self().pow(s.other().sub(1)))
                            .maskedFill(s.other().eq(0).expandTo(g.shape()), 0), SELF, OTHER),
                    grad((g, s) -> g.mul(s.result()).mul(s.self().log())
                            .maskedFill(s.self().eq(0).mul(s.other().ge(0)).expandTo(g.shape()), 0), SELF, OTHER, RESULT));
            case MAXIMUM -> pick("MaximumBackward0", true);
            case MINIMUM -> pick("MinimumBackward0", false);
            // linear in grad, through the same mask; flat in the output, as derivatives.yaml has it
            case THRESHOLD_BACKWARD -> row("ThresholdBackwardBackward0",
                    grad((g, s) -> Torch.thresholdBackward(g, s.other(), 0), OTHER),
                    grad((g, s) -> Torch.zerosLike(g)));
            case EQ, NE, LT, LE, GT, GE -> null;
        };
    }

    /** {@code pow(Tensor, Scalar)}: the number is no input of the graph. */
    static Row powScalar(double p) {
        return row("PowBackward0", grad((g, s) -> p == 0 ? Torch.zerosLike(g) : g.mul(p).mul(s.self().pow(p - 1)), SELF));
    }

    /** maximum/minimum: the gradient goes to the chosen input; ties split it in half, as PyTorch 1.13 does. */
    private static Row pick(String name, boolean max) {
        return row(name,
                grad((g, s) -> Torch.where(s.self().eq(s.other()), g.div(2.0), g)
                        .maskedFill(max ? s.self().lt(s.other()) : s.self().gt(s.other()), 0), SELF, OTHER),
                grad((g, s) -> Torch.where(s.self().eq(s.other()), g.div(2.0), g)
                        .maskedFill(max ? s.self().gt(s.other()) : s.self().lt(s.other()), 0), SELF, OTHER));
    }

    private static Tensor sign(Tensor x, DType dtype) {
        return x.gt(0).to(dtype).sub(x.lt(0).to(dtype));
    }

    // =====================================================================================
    // The ops outside the families
    // =====================================================================================

    /** {@code clamp(min=...)} is recorded as ClampBackward1 in PyTorch 1.13; {@code clamp_max} as ClampMaxBackward0. */
    static Row clamp(Double min, Double max) {
        return row(min == null ? "ClampMaxBackward0" : "ClampBackward1", grad((g, s) -> {
            // BEGIN SOLUTION step3.relu-backward
            Tensor x = s.self();
            // an infinite bound excludes nothing (ReLU(inplace=True) is clamp_(0, inf)): one test fewer per
            // element; with neither bound only a NaN is outside, which x.eq(x) tells
            boolean noMin = min == null || min == Double.NEGATIVE_INFINITY, noMax = max == null || max == Double.POSITIVE_INFINITY;
            Tensor inside = noMin && noMax ? x.eq(x) : noMin ? x.le(max) : noMax ? x.ge(min) : x.ge(min).mul(x.le(max));
            // the mask made a factor and multiplied in place: g.mul(inside) would make one more tensor of g's size
            return inside.to(g.dtype()).mul_(g);
            // END SOLUTION
        }, SELF));
    }

    /** where(condition, self, other). */
    static Row where() {
        int condition = 0;
        return row("WhereBackward0", NOT_DIFFERENTIABLE,
                grad((g, s) -> Torch.where(s.input(condition), g, Torch.zerosLike(g)), condition),
                grad((g, s) -> Torch.where(s.input(condition), Torch.zerosLike(g), g), condition));
    }

    /** masked_fill(self, mask, value). */
    static Row maskedFill() {
        int mask = 1;
        return row("MaskedFillBackward0",
                grad((g, s) -> g.maskedFill(s.input(mask), 0), mask),
                NOT_DIFFERENTIABLE,
                grad((g, s) -> g.mul(s.input(mask)).sum(), mask));
    }

    /** {@code input + mat1 @ mat2}: mm's gradients for the matrices, and the gradient itself for input. */
    static Row addmm() {
        return row("AddmmBackward0",
                grad((g, s) -> g),
                product((g, s) -> g, (g, s) -> s.input(2).t(), 2),
                product((g, s) -> s.input(1).t(), (g, s) -> g, 1));
    }

    static Row mm() {
        // BEGIN SOLUTION step3.mm-backward
        return row("MmBackward0",
                product((g, s) -> g, (g, s) -> s.other().t(), OTHER),
                product((g, s) -> s.self().t(), (g, s) -> g, SELF));
        // END SOLUTION
    }

    /** Reductions; {@code shape} is the input's. A reduction over all dims has the node name ending in 0 (1 for max/min). */
    static Row reduce(ReduceOp op, int[] shape, int[] dims, boolean keepdim) {
        boolean all = dims.length == 0;
        return switch (op) {
            // BEGIN SOLUTION step3.sum-mean-backward
            case SUM -> row(all ? "SumBackward0" : "SumBackward1", grad((g, s) -> unreduce(g, shape, dims, keepdim)));
            case MEAN -> row(all ? "MeanBackward0" : "MeanBackward1",
                    grad((g, s) -> unreduce(g, shape, dims, keepdim).div((double) count(shape, dims))));
            // END SOLUTION
            case PROD -> row(all ? "ProdBackward0" : "ProdBackward1", productOfOthers(shape, dims, keepdim));
            case MAX -> row(all ? "MaxBackward1" : "AmaxBackward0", evenlyToWinners(shape, dims, keepdim));
            case MIN -> row(all ? "MinBackward1" : "AminBackward0", evenlyToWinners(shape, dims, keepdim));
        };
    }

    /** Every element equal to the extreme gets an equal share, as PyTorch does for max(), amax and amin. */
    private static Grad evenlyToWinners(int[] shape, int[] dims, boolean keepdim) {
        return grad((g, s) -> {
            Tensor winners = s.self().eq(unreduce(s.result(), shape, dims, keepdim)).to(g.dtype());
            Tensor ties = dims.length == 0 ? winners.sum() : winners.sum(dims, true);
            return winners.mul(unreduce(g, shape, dims, keepdim)).div(ties);
        }, SELF, RESULT);
    }

    /** max(dim): the gradient goes to the index the forward pass picked. */
    static Recipe maxDim(int[] shape, int dim, boolean keepdim, Tensor indices) {
        return picked("MaxBackward0", shape, dim, keepdim, indices);
    }

    static Recipe minDim(int[] shape, int dim, boolean keepdim, Tensor indices) {
        return picked("MinBackward0", shape, dim, keepdim, indices);
    }

    private static Recipe picked(String name, int[] shape, int dim, boolean keepdim, Tensor indices) {
        return (in, result) -> {
            FormulaNode n = new FormulaNode(name, in);
            SavedTensor idx = n.save(indices);
            return n.formula((g, into) -> new Tensor[] {scatterAlong(g, idx.get(), shape, dim, keepdim)});
        };
    }

    /**
     * prod: each element's gradient is the product of the others. Without zeros that is
     * {@code result / x}; with one zero, only the zero gets the product of the rest; with two or
     * more, every gradient is 0. Computed from the product of the nonzero elements and the count
     * of zeros, so no division by zero ever happens.
     */
    private static Grad productOfOthers(int[] shape, int[] dims, boolean keepdim) {
        return grad((g, s) -> {
            Tensor x = s.self();
            Tensor zero = x.eq(0);
            Tensor nonzero = x.maskedFill(zero, 1);
            boolean all = dims.length == 0;
            Tensor zeros = unreduce(all ? zero.sum() : zero.sum(dims, true), shape, dims, !all);
            Tensor p = unreduce(all ? nonzero.prod() : nonzero.prod(dims[0], true), shape, dims, !all);
            Tensor others = Torch.where(zero, p.mul(zeros.eq(1)), p.div(nonzero).mul(zeros.eq(0)));
            return others.mul(unreduce(g, shape, dims, keepdim));
        }, SELF);
    }

    // =====================================================================================
    // Statistics, indexing and products
    // =====================================================================================

    /** var: {@code 2 (x - mean) / (N - correction)} times the spread gradient. */
    static Row var(int[] shape, int[] dims, boolean unbiased, boolean keepdim) {
        return row("VarBackward0", grad((g, s) -> varGrad(unreduce(g, shape, dims, keepdim), s.self(), shape, dims, unbiased),
                SELF));
    }

    /** std: var's gradient of {@code g / (2 std)}, 0 where std is 0, as PyTorch masks it. */
    static Row std(int[] shape, int[] dims, boolean unbiased, boolean keepdim) {
        return row("StdBackward0", grad((g, s) -> {
            Tensor gv = g.div(s.result().mul(2.0)).maskedFill(s.result().eq(0), 0);
            return varGrad(unreduce(gv, shape, dims, keepdim), s.self(), shape, dims, unbiased);
        }, SELF, RESULT));
    }

    private static Tensor varGrad(Tensor g, Tensor x, int[] shape, int[] dims, boolean unbiased) {
        Tensor mean = dims.length == 0 ? x.mean() : x.mean(dims, true);
        long n = dims.length == 0 ? Shapes.numel(shape) : count(shape, dims);
        return x.sub(mean).mul(2.0 / Math.max(0, n - (unbiased ? 1 : 0))).mul(g);
    }

    /** logsumexp: the softmax of the input along the reduced dims, times the spread gradient. */
    static Row logsumexp(int[] shape, int[] dims, boolean keepdim) {
        return row("LogsumexpBackward0", grad((g, s) -> unreduce(g, shape, dims, keepdim)
                .mul(s.self().sub(unreduce(s.result(), shape, dims, keepdim)).exp()), SELF, RESULT));
    }

    /** cumsum: each input counts in every later sum, so its gradient is the reversed running sum. */
    static Row cumsum(int dim) {
        return row("CumsumBackward0", grad((g, s) -> g.flip(dim).cumsum(dim).flip(dim)));
    }

    /** gather(self, dim, index): the gradient is added back where each element was read from. */
    static Row gather(int[] shape, int dim) {
        int index = 1;
        return row("GatherBackward0", grad((g, s) -> zeros(g, shape).scatterAdd(dim, s.input(index), g), index),
                NOT_DIFFERENTIABLE);
    }

    /** scatter_add(self, dim, index, src). */
    static Row scatterAdd(int dim) {
        int index = 1;
        return row("ScatterAddBackward0", grad((g, s) -> g), NOT_DIFFERENTIABLE,
                grad((g, s) -> g.gather(dim, s.input(index)), index));
    }

    /** index_select(self, dim, index): index_add of the gradient, as a scatter_add of the broadcast index. */
    static Row indexSelect(int[] shape, int dim) {
        int index = 1;
        return row("IndexSelectBackward0", grad((g, s) -> {
            int d = Shapes.wrapDim(dim, g.dim());
            int[] along = new int[g.dim()];
            Arrays.fill(along, 1);
            along[d] = g.size(d);
            return zeros(g, shape).scatterAdd(d, s.input(index).reshape(along).expand(g.shape()), g);
        }, index), NOT_DIFFERENTIABLE);
    }

    static Row flip(int[] dims) {
        return row("FlipBackward0", grad((g, s) -> g.flip(dims)));
    }

    static Row roll(int[] shifts, int[] dims) {
        int[] back = new int[shifts.length];
        for (int i = 0; i < shifts.length; i++) {
            back[i] = -shifts[i];
        }
        return row("RollBackward0", grad((g, s) -> g.roll(back, dims)));
    }

    static Row triangle(int diagonal, boolean lower) {
        return row(lower ? "TrilBackward0" : "TriuBackward0", grad((g, s) -> lower ? g.tril(diagonal) : g.triu(diagonal)));
    }

    /** diag: of a vector, the gradient's diagonal; of a matrix, the gradient placed on its diagonal. */
    static Row diag(int[] shape, int diagonal) {
        return row("DiagBackward0", grad((g, s) -> {
            if (shape.length == 1) {
                return g.diag(diagonal);
            }
            Tensor z = zeros(g, shape);
            int k = Math.abs(diagonal);
            if (g.numel() > 0) {
                z.viewWith(g.shape(), new int[] {shape[1] + 1}, diagonal >= 0 ? k : k * shape[1]).copy_(g);
            }
            return z;
        }));
    }

    static Row slice(int[] shape, int dim, int start, int end, int step) {
        return row("SliceBackward0", grad((g, s) -> {
            Tensor z = zeros(g, shape);
            z.slice(dim, start, end, step).copy_(g);
            return z;
        }));
    }

    static Row bmm() {
        return row("BmmBackward0",
                grad((g, s) -> g.bmm(s.other().transpose(1, 2)), OTHER),
                grad((g, s) -> s.self().transpose(1, 2).bmm(g), SELF));
    }

    static Row dot() {
        return row("DotBackward0", grad((g, s) -> s.other().mul(g), OTHER), grad((g, s) -> s.self().mul(g), SELF));
    }

    static Row mv() {
        return row("MvBackward0", grad((g, s) -> g.outer(s.other()), OTHER), grad((g, s) -> s.self().t().mv(g), SELF));
    }

    private static Tensor zeros(Tensor like, int[] shape) {
        return Torch.zeros(Options.of(like.dtype(), like.device()), shape);
    }

    /**
     * cat: each input gets its slice of the gradient; an empty input gets an empty gradient, not
     * none, so that its leaf ends up with a zero gradient as in PyTorch.
     */
    static Row cat(int[][] shapes, int dim) {
        Grad[] grads = new Grad[shapes.length];
        int start = 0;
        for (int i = 0; i < shapes.length; i++) {
            int[] shape = shapes[i];
            int at = start;
            boolean empty = Shapes.numel(shape) == 0;
            grads[i] = grad((g, s) -> empty ? Torch.zeros(Options.of(g.dtype(), g.device()), shape)
                    : g.narrow(Shapes.wrapDim(dim, g.dim()), at, shape[Shapes.wrapDim(dim, shape.length)]));
            start += empty ? 0 : shape[Shapes.wrapDim(dim, shape.length)];
        }
        return row("CatBackward0", grads);
    }

    // =====================================================================================
    // Copies and conversions
    // =====================================================================================

    /** Ops whose gradient passes through unchanged: clone, contiguous, dtype and device copies. */
    static Row identity(String name) {
        return row(name, grad((g, s) -> g));
    }

    /** fill_, uniform_, normal_: the old values no longer matter, so they get a zero gradient (PyTorch's zeros_like(grad)). */
    static Row overwrite(String name) {
        return row(name, grad((g, s) -> Torch.zerosLike(g)));
    }

    /** copy_(self, src). */
    static Row copy() {
        return row("CopyBackwards", grad((g, s) -> Torch.zerosLike(g)), grad((g, s) -> g));
    }

    // =====================================================================================
    // Views
    // =====================================================================================

    /** view, reshape, unsqueeze, squeeze: the gradient takes the input's shape back. */
    static Row reshapeBack(String name, int[] shape) {
        return row(name, grad((g, s) -> g.reshape(shape)));
    }

    static Row transpose(int dim0, int dim1) {
        return row("TransposeBackward0", grad((g, s) -> g.transpose(dim0, dim1)));
    }

    static Row permute(int[] dims) {
        int[] inverse = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            inverse[Shapes.wrapDim(dims[i], dims.length)] = i;
        }
        return row("PermuteBackward0", grad((g, s) -> g.permute(inverse)));
    }

    static Row select(int[] shape, int dim, int index) {
        return row("SelectBackward0", grad((g, s) -> {
            Tensor z = Torch.zeros(Options.of(g.dtype(), g.device()), shape);
            z.select(dim, index).copy_(g);
            return z;
        }));
    }

    static Row narrow(int[] shape, int dim, int start, int length) {
        return row("SliceBackward0", grad((g, s) -> {
            Tensor z = Torch.zeros(Options.of(g.dtype(), g.device()), shape);
            z.narrow(dim, start, length).copy_(g);
            return z;
        }));
    }

    /** The engine sums the gradient back to the input's shape, exactly as for broadcasting. */
    static Row expand() {
        return identity("ExpandBackward0");
    }

    // =====================================================================================
    // Helpers of the formulas
    // =====================================================================================

    private static long count(int[] shape, int[] dims) {
        if (dims.length == 0) {
            return Math.max(1, Shapes.numel(shape));
        }
        long n = 1;
        for (int d : dims) {
            n *= shape.length == 0 ? 1 : shape[Shapes.wrapDim(d, shape.length)];
        }
        return n;
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
        Tensor positions = Torch.arange(0, shape[d], 1, Options.of(DType.INT64, g.device())).view(along);
        return positions.eq(ik).to(g.dtype()).mul(gk);
    }

    // =====================================================================================
    // Rows become nodes
    // =====================================================================================

    /** Builds the node of one op from its inputs and its result. */
    interface Recipe {
        FormulaNode make(Tensor[] in, Tensor result);
    }

    static Row row(String name, Grad... grads) {
        return new Row(name, grads);
    }

    /** One row: a node name and a gradient formula per input. */
    record Row(String name, Grad[] grads) implements Recipe {
        @Override
        public FormulaNode make(Tensor[] in, Tensor result) {
            FormulaNode n = new FormulaNode(name, in);
            SavedTensor[] saved = new SavedTensor[in.length + 1];
            for (int i = 0; i < grads.length; i++) {
                if (grads[i] != null && n.needsInputGrad(i)) {
                    for (int u : grads[i].uses()) {
                        int slot = u == RESULT ? in.length : u;
                        if (saved[slot] == null) {
                            saved[slot] = n.save(u == RESULT ? result : in[u]);
                        }
                    }
                }
            }
            Saved s = new Saved(name, saved);
            int inputs = in.length;
            return n.formula((g, accumulateInto) -> {
                Tensor[] out = new Tensor[inputs];
                for (int i = 0; i < grads.length; i++) {
                    if (grads[i] == null || !n.needsInputGrad(i)) {
                        continue;
                    }
                    if (grads[i].into() != null && accumulateInto[i] != null) {
                        grads[i].into().add(accumulateInto[i], g, s); // added where it lands: nothing to return
                    } else {
                        out[i] = grads[i].formula().apply(g, s);
                    }
                }
                return out;
            });
        }
    }

    /** What a node saved, read back with the version check of {@link SavedTensor}. */
    static final class Saved {
        private final String node;
        private final SavedTensor[] slots;

        Saved(String node, SavedTensor[] slots) {
            this.node = node;
            this.slots = slots;
        }

        Tensor self() {
            return input(SELF);
        }

        Tensor other() {
            return input(OTHER);
        }

        Tensor result() {
            return get(slots.length - 1, "the result");
        }

        Tensor input(int i) {
            return get(i, "input " + i);
        }

        private Tensor get(int slot, String what) {
            if (slots[slot] == null) {
                throw new IllegalStateException("the formula of " + node + " reads " + what
                        + ", which its row in Derivatives does not list among the tensors it uses");
            }
            return slots[slot].get();
        }
    }
}
