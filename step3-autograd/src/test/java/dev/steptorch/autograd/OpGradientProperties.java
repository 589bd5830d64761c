package dev.steptorch.autograd;

import static dev.steptorch.autograd.NumericalCheck.awayFromZero;
import static dev.steptorch.autograd.NumericalCheck.check;
import static dev.steptorch.autograd.NumericalCheck.distinct;
import static dev.steptorch.autograd.NumericalCheck.lattice;
import static dev.steptorch.autograd.NumericalCheck.maskTensor;
import static dev.steptorch.autograd.NumericalCheck.numel;
import static dev.steptorch.autograd.NumericalCheck.partner;
import static dev.steptorch.autograd.NumericalCheck.shape;
import static dev.steptorch.autograd.NumericalCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steptorch.autograd.NumericalCheck.Arg;
import dev.steptorch.autograd.NumericalCheck.Fn;
import dev.steptorch.tensor.BinaryOp;
import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Device;
import dev.steptorch.tensor.OpCatalog;
import dev.steptorch.tensor.ReduceOp;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every differentiable op's backward formula against central differences in float64 (see
 * {@link NumericalCheck}): elementwise ops on broadcast pairs of different ranks, reductions,
 * products, copies, views, and in-place ops recorded on non-leaves. Inputs stay away from the
 * points where an op has no derivative (0 for abs, bounds for clamp, ties for max and maximum).
 */
class OpGradientProperties {

    /** Drawn from the op's domain in the catalog. */
    static Arg arg(OpCatalog.Domain domain, Random r, int[] shape) {
        return new Arg(shape, domain.draw(r, numel(shape)));
    }

    @Provide
    Arbitrary<OpCatalog.Unary> unaryRows() {
        return Arbitraries.of(OpCatalog.UNARY);
    }

    @Provide
    Arbitrary<OpCatalog.Binary> binaryRows() {
        return Arbitraries.of(OpCatalog.BINARY.stream().filter(OpCatalog.Binary::differentiable).toList());
    }

    @Provide
    Arbitrary<OpCatalog.Reduce> reduceRows() {
        return Arbitraries.of(OpCatalog.REDUCE);
    }

    /** The ops outside the families. */
    enum Unary {
        CLAMP_MIN, CLAMP_MAX, CLAMP, NORM, CLONE;

        Arg input(Random r, int[] shape) {
            return switch (this) {
                case NORM -> awayFromZero(r, shape, 0.3, 2);
                case CLAMP_MIN, CLAMP_MAX, CLAMP -> awayFromBounds(r, shape);
                case CLONE -> uniform(r, shape, -2, 2);
            };
        }

        Tensor apply(Tensor x) {
            return switch (this) {
                case CLAMP_MIN -> x.clamp(-0.5);
                case CLAMP_MAX -> x.clampMax(0.5);
                case CLAMP -> x.clamp(-0.5, 0.5);
                case NORM -> x.norm();
                case CLONE -> x.clone();
            };
        }
    }

    /** In-place ops on a non-leaf {@code y = x * 1}, with a second operand that broadcasts into y. */
    enum InPlace {
        ADD_, SUB_, MUL_, DIV_, ADD_SCALAR, MUL_SCALAR, DIV_SCALAR, CLAMP_, MASKED_FILL_;

        boolean takesTensor() {
            return this == ADD_ || this == SUB_ || this == MUL_ || this == DIV_;
        }

        void apply(Tensor y, Tensor w, Tensor mask) {
            switch (this) {
                case ADD_ -> y.add_(w);
                case SUB_ -> y.sub_(w);
                case MUL_ -> y.mul_(w);
                case DIV_ -> y.div_(w);
                case ADD_SCALAR -> y.add_(0.75);
                case MUL_SCALAR -> y.mul_(-1.5);
                case DIV_SCALAR -> y.div_(4.0);
                case CLAMP_ -> y.clamp_(-0.5, 0.5);
                case MASKED_FILL_ -> y.maskedFill_(mask, 0.25);
            }
        }
    }

    /** Values in [-2, -0.6], [-0.4, 0.4] or [0.6, 2]: at least 0.1 from the clamp bounds -0.5 and 0.5. */
    static Arg awayFromBounds(Random r, int[] shape) {
        Arg a = uniform(r, shape, -0.4, 0.4);
        for (int i = 0; i < a.values().length; i++) {
            int band = r.nextInt(3);
            if (band != 1) {
                a.values()[i] = (band == 0 ? -1 : 1) * (0.6 + 1.4 * r.nextDouble());
            }
        }
        return a;
    }

    /** maximum(x, x) and minimum(x, x) are all ties, where the derivative does not exist. */
    @Provide
    Arbitrary<BinaryOp> withoutTies() {
        return Arbitraries.of(BinaryOp.ADD, BinaryOp.SUB, BinaryOp.MUL, BinaryOp.DIV, BinaryOp.POW);
    }

    @Provide
    Arbitrary<InPlace> takingATensor() {
        return Arbitraries.of(InPlace.values()).filter(InPlace::takesTensor);
    }

    @Provide
    Arbitrary<Double> exponents() {
        return Arbitraries.of(0.0, 1.0, 2.0, 3.0, 0.5, -1.5, -1.0);
    }

    // =====================================================================================
    // Elementwise
    // =====================================================================================

    @Property(tries = 120)
    void binaryOpsOfTheCatalogOnBroadcastPairs(@ForAll("binaryRows") OpCatalog.Binary row, @ForAll long seed) {
        Random r = new Random(seed);
        int[] full = shape(r, 3);
        int[] other = partner(r, full);
        boolean swap = r.nextBoolean();
        int[] sa = swap ? other : full;
        int[] sb = swap ? full : other;
        check(row + " " + Arrays.toString(sa) + " " + Arrays.toString(sb), r,
                x -> Torch.binary(row.op(), x[0], x[1], null), arg(row.a(), r, sa), arg(row.b(), r, sb));
    }

    @Property(tries = 40)
    void binaryOpsWithTheSameTensorTwice(@ForAll("withoutTies") BinaryOp op, @ForAll long seed) {
        Random r = new Random(seed);
        Arg a = op == BinaryOp.POW ? uniform(r, shape(r, 2), 0.5, 2) : awayFromZero(r, shape(r, 2), 0.5, 2);
        check(op + " of x with itself", r, x -> Torch.binary(op, x[0], x[0], null), a);
    }

    @Property(tries = 100)
    void unaryOpsOfTheCatalog(@ForAll("unaryRows") OpCatalog.Unary row, @ForAll long seed) {
        Random r = new Random(seed);
        check(row.toString(), r, x -> Torch.unary(row.op(), x[0], null), arg(row.domain(), r, shape(r, 3)));
    }

    @Property(tries = 60)
    void reductionsOfTheCatalog(@ForAll("reduceRows") OpCatalog.Reduce row, @ForAll boolean keepdim, @ForAll long seed) {
        Random r = new Random(seed);
        int[] s = shape(r, 3);
        int[] dims = s.length == 0 || r.nextBoolean() ? new int[0] : new int[] {r.nextInt(s.length) - (r.nextBoolean() ? s.length : 0)};
        check(row + " over " + Arrays.toString(dims) + " of " + Arrays.toString(s), r,
                x -> reduce(row.op(), x[0], dims, keepdim), arg(row.domain(), r, s));
    }

    private static Tensor reduce(ReduceOp op, Tensor x, int[] dims, boolean keepdim) {
        return switch (op) {
            case SUM -> x.sum(dims, keepdim);
            case MEAN -> dims.length == 0 ? x.mean() : x.mean(dims[0], keepdim);
            case PROD -> dims.length == 0 ? x.prod() : x.prod(dims[0], keepdim);
            case MAX -> dims.length == 0 ? x.max() : x.amax(dims, keepdim);
            case MIN -> dims.length == 0 ? x.min() : x.amin(dims, keepdim);
        };
    }

    @Property(tries = 40)
    void powWithAScalarExponent(@ForAll("exponents") double p, @ForAll long seed) {
        Random r = new Random(seed);
        check("pow " + p, r, x -> x[0].pow(p), uniform(r, shape(r, 3), 0.5, 2));
    }

    @Property(tries = 15)
    void powWithAWholeExponent(@ForAll long seed) {
        Random r = new Random(seed);
        check("pow 3L", r, x -> x[0].pow(3L), uniform(r, shape(r, 3), -2, 2));
    }

    @Property(tries = 50)
    void unaryOpsOutsideTheFamilies(@ForAll Unary op, @ForAll long seed) {
        Random r = new Random(seed);
        check(op.name(), r, x -> op.apply(x[0]), op.input(r, shape(r, 3)));
    }

    @Property(tries = 30)
    void whereOnBroadcastInputs(@ForAll long seed) {
        Random r = new Random(seed);
        int[] full = shape(r, 3);
        Tensor cond = maskTensor(r, partner(r, full));
        check("where", r, x -> Torch.where(cond, x[0], x[1]),
                uniform(r, partner(r, full), -2, 2), uniform(r, partner(r, full), -2, 2));
    }

    @Property(tries = 30)
    void maskedFillWithABroadcastMask(@ForAll long seed) {
        Random r = new Random(seed);
        int[] full = shape(r, 3);
        Tensor mask = maskTensor(r, partner(r, full));
        check("maskedFill", r, x -> x[0].maskedFill(mask, 0.5), uniform(r, full, -2, 2));
    }

    // =====================================================================================
    // Reductions and products
    // =====================================================================================

    @Property(tries = 25)
    void sumOfAll(@ForAll long seed) {
        Random r = new Random(seed);
        check("sum", r, x -> x[0].sum(), uniform(r, shape(r, 3), -2, 2));
    }

    @Property(tries = 40)
    void sumOverDims(@ForAll boolean keepdim, @ForAll long seed) {
        Random r = new Random(seed);
        int[] s = shape(r, 4);
        int[] dims = someDims(r, s.length);
        check("sum " + Arrays.toString(dims) + " keepdim " + keepdim + " of " + Arrays.toString(s), r,
                x -> x[0].sum(dims, keepdim), uniform(r, s, -2, 2));
    }

    @Property(tries = 25)
    void meanOfAll(@ForAll long seed) {
        Random r = new Random(seed);
        check("mean", r, x -> x[0].mean(), uniform(r, shape(r, 3), -2, 2));
    }

    @Property(tries = 40)
    void meanOverADim(@ForAll boolean keepdim, @ForAll long seed) {
        Random r = new Random(seed);
        int[] s = shape(r, 3);
        if (s.length == 0) {
            s = new int[] {3};
        }
        int dim = r.nextInt(s.length) - (r.nextBoolean() ? s.length : 0);
        check("mean " + dim + " keepdim " + keepdim, r, x -> x[0].mean(dim, keepdim), uniform(r, s, -2, 2));
    }

    @Property(tries = 30)
    void maxOfAllWithAUniqueMaximum(@ForAll long seed) {
        Random r = new Random(seed);
        check("max", r, x -> x[0].max(), distinct(r, shape(r, 3)));
    }

    @Property(tries = 40)
    void maxAlongADimValues(@ForAll boolean keepdim, @ForAll long seed) {
        Random r = new Random(seed);
        int[] s = shape(r, 3);
        if (s.length == 0) {
            s = new int[] {4};
        }
        int dim = r.nextInt(s.length);
        check("max " + dim + " keepdim " + keepdim, r, x -> x[0].max(dim, keepdim).values(), distinct(r, s));
    }

    @Property(tries = 30)
    void mm(@ForAll long seed) {
        Random r = new Random(seed);
        int n = 1 + r.nextInt(4);
        int k = 1 + r.nextInt(4);
        int m = 1 + r.nextInt(4);
        check("mm", r, x -> x[0].mm(x[1]), uniform(r, new int[] {n, k}, -2, 2), uniform(r, new int[] {k, m}, -2, 2));
    }

    @Property(tries = 40)
    void matmulOfVectorsAndMatrices(@ForAll long seed) {
        Random r = new Random(seed);
        int n = 1 + r.nextInt(4);
        int k = 1 + r.nextInt(4);
        int m = 1 + r.nextInt(4);
        int[] sa = r.nextBoolean() ? new int[] {k} : new int[] {n, k};
        int[] sb = r.nextBoolean() ? new int[] {k} : new int[] {k, m};
        check("matmul " + Arrays.toString(sa) + " " + Arrays.toString(sb), r, x -> x[0].matmul(x[1]),
                uniform(r, sa, -2, 2), uniform(r, sb, -2, 2));
    }

    // =====================================================================================
    // Copies and conversions
    // =====================================================================================

    @Property(tries = 30)
    void copyIntoANonLeafDropsItsOldHistory(@ForAll long seed) {
        Random r = new Random(seed);
        int[] full = shape(r, 3);
        check("copy_", r, x -> {
            Tensor dst = x[0].mul(2.0);
            dst.copy_(x[1]);
            return dst.mul(x[0]);
        }, uniform(r, full, -2, 2), uniform(r, partner(r, full), -2, 2));
    }

    @Property(tries = 20)
    void contiguousOfATransposedTensor(@ForAll long seed) {
        Random r = new Random(seed);
        int[] s = {1 + r.nextInt(4), 1 + r.nextInt(4), 1 + r.nextInt(3)};
        check("contiguous", r, x -> x[0].transpose(0, 2).contiguous(), uniform(r, s, -2, 2));
    }

    /** The float32 round trip rounds, so the step is larger and the bound looser; f is linear in x, so no curvature error. */
    @Property(tries = 20)
    void toFloat32AndBack(@ForAll long seed) {
        Random r = new Random(seed);
        check("to float32 and back", r, 1e-1, 1e-4, 1e-5, x -> x[0].to(DType.FLOAT32).to(DType.FLOAT64),
                uniform(r, shape(r, 3), -2, 2));
    }

    @Property(tries = 20)
    void toConvertsTheGradientBackToTheInputDtype(@ForAll boolean fromFloat32, @ForAll long seed) {
        Random r = new Random(seed);
        DType from = fromFloat32 ? DType.FLOAT32 : DType.FLOAT64;
        DType to = fromFloat32 ? DType.FLOAT64 : DType.FLOAT32;
        Arg a = uniform(r, shape(r, 3), -2, 2);
        Tensor leaf = a.tensor(from, Device.CPU).requiresGrad_(true);
        double[] w = NumericalCheck.normal(r, a.values().length);
        double[] grad = NumericalCheck.gradients(leaf.to(to), new Tensor[] {leaf}, w)[0];
        // d(sum(x * W))/dx = W, rounded once to float32 on whichever side of the conversion float32 is
        for (int i = 0; i < w.length; i++) {
            assertThat(grad[i]).isEqualTo((double) (float) w[i]);
        }
    }

    @Property(tries = 40)
    void catAlongADim(@ForAll long seed) {
        Random r = new Random(seed);
        int[] s = shape(r, 3);
        if (s.length == 0) {
            s = new int[] {2};
        }
        int dim = r.nextInt(s.length);
        int parts = 1 + r.nextInt(3);
        Arg[] args = new Arg[parts];
        for (int i = 0; i < parts; i++) {
            int[] si = s.clone();
            si[dim] = 1 + r.nextInt(3);
            args[i] = uniform(r, si, -2, 2);
        }
        int d = r.nextBoolean() ? dim : dim - s.length;
        check("cat " + d, r, x -> Torch.cat(d, x).mul(Torch.cat(d, x)), args);
    }

    // =====================================================================================
    // Views
    // =====================================================================================

    @Property(tries = 30)
    void viewToAnotherFactorisation(@ForAll long seed) {
        Random r = new Random(seed);
        int[] s = shape(r, 3);
        int[] target = refactor(r, numel(s));
        check("view " + Arrays.toString(target), r, x -> x[0].view(target), uniform(r, s, -2, 2));
    }

    @Property(tries = 30)
    void reshapeThatIsAView(@ForAll long seed) {
        Random r = new Random(seed);
        int[] s = shape(r, 3);
        int[] target = refactor(r, numel(s));
        check("reshape (view) " + Arrays.toString(target), r, x -> {
            Tensor y = x[0].reshape(target);
            assertThat(y.storage()).isSameAs(x[0].storage());
            return y;
        }, uniform(r, s, -2, 2));
    }

    @Property(tries = 30)
    void reshapeThatCopies(@ForAll long seed) {
        Random r = new Random(seed);
        int[] s = {2 + r.nextInt(3), 2 + r.nextInt(3)};
        int n = numel(s);
        // flattening a transposed matrix (both sizes > 1) cannot be expressed with strides
        int[][] flat = {{n}, {-1}, {1, n}, {n, 1}};
        int[] target = flat[r.nextInt(flat.length)];
        check("reshape (copy) " + Arrays.toString(target), r, x -> {
            Tensor y = x[0].t().reshape(target);
            assertThat(y.storage()).isNotSameAs(x[0].storage());
            return y;
        }, uniform(r, s, -2, 2));
    }

    @Property(tries = 30)
    void transposeOfTwoDims(@ForAll long seed) {
        Random r = new Random(seed);
        int[] s = shape(r, 4);
        if (s.length < 2) {
            s = new int[] {2, 3};
        }
        int d0 = r.nextInt(s.length);
        int d1 = r.nextInt(s.length) - s.length;
        check("transpose " + d0 + " " + d1, r, x -> x[0].transpose(d0, d1), uniform(r, s, -2, 2));
    }

    @Property(tries = 30)
    void permuteOfAllDims(@ForAll long seed) {
        Random r = new Random(seed);
        int[] s = shape(r, 4);
        int[] perm = permutation(r, s.length);
        check("permute " + Arrays.toString(perm), r, x -> x[0].permute(perm), uniform(r, s, -2, 2));
    }

    @Property(tries = 30)
    void selectAnIndex(@ForAll long seed) {
        Random r = new Random(seed);
        int[] s = nonScalar(shape(r, 3));
        int dim = r.nextInt(s.length);
        int index = r.nextInt(s[dim]);
        check("select " + dim + " " + index, r, x -> x[0].select(dim, index), uniform(r, s, -2, 2));
    }

    @Property(tries = 30)
    void narrowARange(@ForAll long seed) {
        Random r = new Random(seed);
        int[] s = nonScalar(shape(r, 3));
        int dim = r.nextInt(s.length);
        int start = r.nextInt(s[dim]);
        int length = 1 + r.nextInt(s[dim] - start);
        check("narrow " + dim + " " + start + " " + length, r, x -> x[0].narrow(dim, start, length), uniform(r, s, -2, 2));
    }

    @Property(tries = 30)
    void expandToABroadcastShape(@ForAll long seed) {
        Random r = new Random(seed);
        int[] full = shape(r, 3);
        int[] small = partner(r, full);
        check("expand " + Arrays.toString(small) + " to " + Arrays.toString(full), r, x -> x[0].expand(full),
                uniform(r, small, -2, 2));
    }

    @Property(tries = 30)
    void unsqueezeAndSqueeze(@ForAll long seed) {
        Random r = new Random(seed);
        int[] s = shape(r, 3);
        int dim = r.nextInt(s.length + 1);
        check("unsqueeze " + dim, r, x -> x[0].unsqueeze(dim), uniform(r, s, -2, 2));
        int[] withOnes = new int[s.length + 2];
        withOnes[0] = 1;
        System.arraycopy(s, 0, withOnes, 1, s.length);
        withOnes[withOnes.length - 1] = 1;
        check("squeeze", r, x -> x[0].squeeze(), uniform(r, withOnes, -2, 2));
        check("squeeze -1", r, x -> x[0].squeeze(-1), uniform(r, withOnes, -2, 2));
    }

    @Property(tries = 20)
    void tOfVectorsAndMatrices(@ForAll long seed) {
        Random r = new Random(seed);
        int[] s = r.nextBoolean() ? new int[] {1 + r.nextInt(4)} : new int[] {1 + r.nextInt(4), 1 + r.nextInt(4)};
        check("t", r, x -> x[0].t(), uniform(r, s, -2, 2));
    }

    @Property(tries = 30)
    void aChainOfViewsThenANonlinearOp(@ForAll long seed) {
        Random r = new Random(seed);
        int[] s = {1 + r.nextInt(3), 1 + r.nextInt(3), 2 + r.nextInt(3)};
        check("chain of views", r, x -> x[0].permute(2, 0, 1).narrow(0, 1, s[2] - 1).unsqueeze(1).transpose(0, 3).exp(),
                uniform(r, s, -2, 2));
    }

    // =====================================================================================
    // In-place ops recorded on a non-leaf
    // =====================================================================================

    @Property(tries = 90)
    void inPlaceOpsOnANonLeaf(@ForAll InPlace op, @ForAll long seed) {
        Random r = new Random(seed);
        int[] full = shape(r, 3);
        int[] other = partner(r, full);
        Tensor mask = maskTensor(r, partner(r, full));
        Fn fn = x -> {
            Tensor y = x[0].mul(1.0);
            op.apply(y, x.length > 1 ? x[1] : null, mask);
            return y;
        };
        Arg a = op == InPlace.CLAMP_ ? awayFromBounds(r, full) : uniform(r, full, -2, 2);
        if (op.takesTensor()) {
            Arg b = op == InPlace.DIV_ ? awayFromZero(r, other, 0.5, 2) : uniform(r, other, -2, 2);
            check(op + " " + Arrays.toString(full) + " " + Arrays.toString(other), r, fn, a, b);
        } else {
            check(op.name(), r, fn, a);
        }
    }

    /** {@code y.mul_(y)}: the formula must see the old value for both operands, not the value just written. */
    @Property(tries = 40)
    void inPlaceOpsWithTheTensorItselfAsOperand(@ForAll("takingATensor") InPlace op, @ForAll long seed) {
        Random r = new Random(seed);
        check(op + " with itself", r, x -> {
            Tensor y = x[0].mul(1.0);
            op.apply(y, y, null);
            return y;
        }, awayFromZero(r, shape(r, 3), 0.5, 2));
    }

    @Property(tries = 30)
    void inPlaceOpsInSequenceKeepEarlierValuesForBackward(@ForAll long seed) {
        Random r = new Random(seed);
        int[] full = shape(r, 3);
        check("y = x*1; y *= w; y += x; y /= w; y * x", r, x -> {
            Tensor y = x[0].mul(1.0);
            y.mul_(x[1]);
            y.add_(x[0]);
            y.div_(x[1]);
            return y.mul(x[0]);
        }, uniform(r, full, -2, 2), awayFromZero(r, partner(r, full), 0.5, 2));
    }

    // =====================================================================================
    // Shapes for the view ops
    // =====================================================================================

    private static int[] nonScalar(int[] s) {
        return s.length == 0 ? new int[] {3} : s;
    }

    /** A random non-empty subset of {@code 0 .. rank-1}, some written as negative dims. */
    private static int[] someDims(Random r, int rank) {
        List<Integer> dims = new ArrayList<>();
        for (int d = 0; d < rank; d++) {
            if (r.nextBoolean()) {
                dims.add(r.nextBoolean() ? d : d - rank);
            }
        }
        if (dims.isEmpty() && rank > 0) {
            dims.add(r.nextInt(rank));
        }
        return dims.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int[] permutation(Random r, int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int tmp = p[i];
            p[i] = p[j];
            p[j] = tmp;
        }
        return p;
    }

    /** A random shape with {@code n} elements: n's prime factors dealt into 1 to 3 dims, sometimes one written -1. */
    private static int[] refactor(Random r, int n) {
        int[] s = new int[1 + r.nextInt(3)];
        Arrays.fill(s, 1);
        int rest = n;
        for (int p = 2; rest > 1; p++) {
            while (rest % p == 0) {
                s[r.nextInt(s.length)] *= p;
                rest /= p;
            }
        }
        if (r.nextInt(3) == 0) {
            s[r.nextInt(s.length)] = -1;
        }
        return s;
    }
}
