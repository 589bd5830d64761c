package dev.steptorch.tensor;

import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;

/**
 * Every op of the families once, with what a test needs to know about it: a scalar oracle, the
 * inputs it is well-behaved on, how exact it must be, the dtypes it takes. The kernel properties,
 * the GPU-vs-CPU properties, step 3's gradient checks and the PyTorch reference test iterate these
 * rows, so a new op is tested everywhere by adding one row (and {@link OpCatalogTest} fails until
 * it is added), as PyTorch's OpInfo database does for its tests.
 */
public final class OpCatalog {
    private OpCatalog() {
    }

    /** Where inputs are drawn from. */
    public interface Domain {
        double[] draw(Random r, int n);
    }

    /** Uniform in [lo, hi]. */
    public static Domain uniform(double lo, double hi) {
        return (r, n) -> {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = lo + (hi - lo) * r.nextDouble();
            }
            return v;
        };
    }

    /** Magnitudes in [lo, hi] with random signs: away from a kink or a pole at 0. */
    public static Domain awayFromZero(double lo, double hi) {
        return (r, n) -> {
            double[] v = uniform(lo, hi).draw(r, n);
            for (int i = 0; i < n; i++) {
                v[i] = r.nextBoolean() ? v[i] : -v[i];
            }
            return v;
        };
    }

    /**
     * Values near {@code 0.2 k + shift}, at most 0.02 off: two tensors with shifts 0 and 0.1 never
     * tie, whatever broadcasting pairs up (the kinks of maximum and minimum).
     */
    public static Domain lattice(double shift) {
        return (r, n) -> {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = 0.2 * (r.nextInt(11) - 5) + shift + 0.04 * (r.nextDouble() - 0.5);
            }
            return v;
        };
    }

    /** Pairwise different values, at least 0.08 apart: a unique maximum and minimum along every dim. */
    public static Domain distinct() {
        return (r, n) -> {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = 0.1 * i + 0.02 * (r.nextDouble() - 0.5) - 0.05 * n;
            }
            for (int i = n - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                double tmp = v[i];
                v[i] = v[j];
                v[j] = tmp;
            }
            return v;
        };
    }

    public static final Domain SIGNED = uniform(-2, 2);
    public static final Domain POSITIVE = uniform(0.5, 3);

    public static final Set<DType> ALL = EnumSet.allOf(DType.class);
    public static final Set<DType> NUMBERS = EnumSet.of(DType.FLOAT32, DType.FLOAT64, DType.INT64);

    /**
     * A unary op: {@code ulps} is how far a result may be from the oracle's (rounded to the
     * result's dtype) in units in the last place: 0 for ops IEEE rounds exactly.
     */
    public record Unary(UnaryOp op, DoubleUnaryOperator oracle, Domain domain, int ulps, Set<DType> dtypes) {
        @Override
        public String toString() {
            return op.torchName();
        }
    }

    /** A binary op; comparisons are not differentiable. */
    public record Binary(BinaryOp op, DoubleBinaryOperator oracle, Domain a, Domain b, int ulps) {
        public boolean differentiable() {
            return !op.isComparison();
        }

        @Override
        public String toString() {
            return op.torchName();
        }
    }

    /** A reduction, and inputs on which its gradient exists. */
    public record Reduce(ReduceOp op, Domain domain) {
        @Override
        public String toString() {
            return op.torchName();
        }
    }

    //  op                 oracle                   inputs                           ulps  dtypes
    public static final List<Unary> UNARY = List.of(
            new Unary(UnaryOp.NEG,  x -> -x,       SIGNED,                          0,    NUMBERS),
            new Unary(UnaryOp.EXP,  Math::exp,     SIGNED,                          2,    ALL),
            new Unary(UnaryOp.LOG,  Math::log,     POSITIVE,                        2,    ALL),
            new Unary(UnaryOp.SQRT, Math::sqrt,    POSITIVE,                        0,    ALL),
            new Unary(UnaryOp.ABS,  Math::abs,     awayFromZero(0.3, 2),            0,    NUMBERS),
            new Unary(UnaryOp.SIN,  Math::sin,     SIGNED,                          2,    ALL),
            new Unary(UnaryOp.COS,  Math::cos,     SIGNED,                          2,    ALL),
            new Unary(UnaryOp.TAN,  Math::tan,     uniform(-1.2, 1.2),              2,    ALL),
            new Unary(UnaryOp.RSQRT, x -> 1 / Math.sqrt(x), POSITIVE,               1,    ALL),
            new Unary(UnaryOp.RECIPROCAL, x -> 1 / x, awayFromZero(0.5, 2),         0,    ALL),
            new Unary(UnaryOp.LOG1P, Math::log1p,  uniform(-0.5, 2),                2,    ALL),
            new Unary(UnaryOp.EXPM1, Math::expm1,  SIGNED,                          2,    ALL),
            new Unary(UnaryOp.SIGN, Math::signum,  awayFromZero(0.3, 2),            0,    ALL),
            new Unary(UnaryOp.FLOOR, Math::floor,  SIGNED,                          0,    NUMBERS),
            new Unary(UnaryOp.CEIL, Math::ceil,    SIGNED,                          0,    NUMBERS),
            new Unary(UnaryOp.ROUND, Math::rint,   SIGNED,                          0,    NUMBERS),
            new Unary(UnaryOp.ERF,  OpCatalog::erfSeries, uniform(-1.5, 1.5),       16,   ALL));

    /** erf by its Taylor series, an oracle independent of the kernel's; cancellation costs a few ulps below 1.5. */
    static double erfSeries(double x) {
        double term = x;
        double sum = x;
        for (int n = 1; n < 100; n++) {
            term *= -x * x / n;
            sum += term / (2 * n + 1);
        }
        return 2 / Math.sqrt(Math.PI) * sum;
    }

    //  op                     oracle                       a                  b                      ulps
    public static final List<Binary> BINARY = List.of(
            new Binary(BinaryOp.ADD,     (a, b) -> a + b,       SIGNED,            SIGNED,                 0),
            new Binary(BinaryOp.SUB,     (a, b) -> a - b,       SIGNED,            SIGNED,                 0),
            new Binary(BinaryOp.MUL,     (a, b) -> a * b,       SIGNED,            SIGNED,                 0),
            new Binary(BinaryOp.DIV,     (a, b) -> a / b,       SIGNED,            awayFromZero(0.5, 2),   0),
            new Binary(BinaryOp.POW,     Math::pow,             uniform(0.5, 2),   SIGNED,                 2),
            new Binary(BinaryOp.MAXIMUM, Math::max,             lattice(0),        lattice(0.1),           0),
            new Binary(BinaryOp.MINIMUM, Math::min,             lattice(0),        lattice(0.1),           0),
            new Binary(BinaryOp.THRESHOLD_BACKWARD, (g, y) -> y <= 0 ? 0 : g, SIGNED, awayFromZero(0.1, 2), 0),
            new Binary(BinaryOp.EQ,      (a, b) -> bit(a == b), lattice(0),        lattice(0),             0),
            new Binary(BinaryOp.NE,      (a, b) -> bit(a != b), lattice(0),        lattice(0),             0),
            new Binary(BinaryOp.LT,      (a, b) -> bit(a < b),  lattice(0),        lattice(0),             0),
            new Binary(BinaryOp.LE,      (a, b) -> bit(a <= b), lattice(0),        lattice(0),             0),
            new Binary(BinaryOp.GT,      (a, b) -> bit(a > b),  lattice(0),        lattice(0),             0),
            new Binary(BinaryOp.GE,      (a, b) -> bit(a >= b), lattice(0),        lattice(0),             0));

    public static final List<Reduce> REDUCE = List.of(
            new Reduce(ReduceOp.SUM, SIGNED),
            new Reduce(ReduceOp.PROD, awayFromZero(0.5, 1.5)),
            new Reduce(ReduceOp.MEAN, SIGNED),
            new Reduce(ReduceOp.MAX, distinct()),
            new Reduce(ReduceOp.MIN, distinct()));

    /**
     * An op outside the families, as a function of float tensors of {@code shapes} drawn from
     * {@code domain}. The name is also its case in the PyTorch reference files (step 2's values,
     * step 3's gradients), where make_reference.py spells the same op in Python; index tensors
     * are built inside the function, on the inputs' device.
     */
    public record Other(String name, Function<Tensor[], Tensor> op, Domain domain, int[]... shapes) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static int[] s(int... shape) {
        return shape;
    }

    /** An int64 index tensor on x's device. */
    public static Tensor index(Tensor x, Object values) {
        return Torch.tensor(values, Options.of(DType.INT64, x.device()));
    }

    //  PyTorch spelling           the op                                                    inputs
    public static final List<Other> OTHER = List.of(
            new Other("add alpha -0.5", x -> x[0].add(x[1], -0.5),                             SIGNED, s(3, 4), s(4)),
            new Other("sub alpha 3",    x -> x[0].sub(x[1], 3),                                  SIGNED, s(3, 4), s(3, 1)),
            new Other("min dim",        x -> x[0].min(1, false).values(),                        distinct(), s(3, 4)),
            new Other("prod dim",       x -> x[0].prod(1, true),                                 awayFromZero(0.5, 1.5), s(3, 4)),
            new Other("var",            x -> x[0].var(),                                         SIGNED, s(3, 4)),
            new Other("var dim 1 biased keepdim", x -> x[0].var(new int[] {1}, false, true),     SIGNED, s(3, 4)),
            new Other("var dims 0 2",   x -> x[0].var(new int[] {0, 2}, true, false),            SIGNED, s(2, 3, 4)),
            new Other("std",            x -> x[0].std(),                                         SIGNED, s(3, 4)),
            new Other("std dim 0",      x -> x[0].std(new int[] {0}, true, false),               SIGNED, s(3, 4)),
            new Other("logsumexp dim 1", x -> x[0].logsumexp(new int[] {1}, false),              SIGNED, s(3, 4)),
            new Other("logsumexp dims 0 1 keepdim", x -> x[0].logsumexp(new int[] {0, 1}, true), SIGNED, s(3, 4)),
            new Other("cumsum dim 1",   x -> x[0].cumsum(1),                                     SIGNED, s(3, 4)),
            new Other("cumsum dim 0",   x -> x[0].cumsum(0),                                     SIGNED, s(3, 4)),
            new Other("gather dim 1",   x -> x[0].gather(1, index(x[0], new long[][] {{0, 2}, {1, 1}, {3, 0}})), SIGNED, s(3, 4)),
            new Other("gather dim 0",   x -> x[0].gather(0, index(x[0], new long[][] {{2, 0, 1, 1}})), SIGNED, s(3, 4)),
            new Other("scatter_add dim 1", x -> x[0].scatterAdd(1, index(x[0], new long[][] {{0, 0}, {3, 1}, {2, 2}}), x[1]),
                    SIGNED, s(3, 4), s(3, 2)),
            new Other("index_select dim 0", x -> x[0].indexSelect(0, index(x[0], new long[] {2, 0, 2})), SIGNED, s(3, 4)),
            new Other("index_select dim 1", x -> x[0].indexSelect(1, index(x[0], new long[] {3, 1})), SIGNED, s(3, 4)),
            // slabs of 40 elements: copied slab by slab rather than element by element
            new Other("index_select slabs dim 1", x -> x[0].indexSelect(1, index(x[0], new long[] {2, 0, 2})), SIGNED,
                    s(2, 3, 40)),
            new Other("flip 0 1",       x -> x[0].flip(0, 1),                                    SIGNED, s(3, 4)),
            new Other("flip 2",         x -> x[0].flip(2),                                       SIGNED, s(2, 3, 4)),
            new Other("roll 1 -2",      x -> x[0].roll(new int[] {1, -2}, new int[] {0, 1}),     SIGNED, s(3, 4)),
            new Other("roll flat 5",    x -> x[0].roll(new int[] {5}, new int[0]),               SIGNED, s(3, 4)),
            new Other("tril",           x -> x[0].tril(),                                        SIGNED, s(3, 4)),
            new Other("tril -1 batched", x -> x[0].tril(-1),                                     SIGNED, s(2, 3, 4)),
            new Other("triu 1",         x -> x[0].triu(1),                                       SIGNED, s(4, 3)),
            new Other("diag of vector 1", x -> x[0].diag(1),                                     SIGNED, s(3)),
            new Other("diag of matrix -1", x -> x[0].diag(-1),                                   SIGNED, s(3, 4)),
            new Other("diag of matrix 2", x -> x[0].diag(2),                                     SIGNED, s(3, 4)),
            new Other("trace",          x -> x[0].trace(),                                       SIGNED, s(3, 4)),
            new Other("slice step 2",   x -> x[0].slice(1, 0, 4, 2),                             SIGNED, s(3, 4)),
            new Other("slice 1:5:3",    x -> x[0].slice(0, 1, 5, 3),                             SIGNED, s(6, 2)),
            new Other("repeat 2 1 2",   x -> x[0].repeat(2, 1, 2),                               SIGNED, s(3, 4)),
            new Other("stack dim 1",    x -> Torch.stack(1, x[0], x[1]),                         SIGNED, s(3, 4), s(3, 4)),
            new Other("split 3 dim 1 second", x -> x[0].split(3, 1)[1],                          SIGNED, s(3, 4)),
            new Other("chunk 2 dim 0 last", x -> x[0].chunk(2, 0)[1],                            SIGNED, s(3, 4)),
            new Other("dot",            x -> x[0].dot(x[1]),                                     SIGNED, s(5), s(5)),
            new Other("mv",             x -> x[0].mv(x[1]),                                      SIGNED, s(3, 4), s(4)),
            new Other("outer",          x -> x[0].outer(x[1]),                                   SIGNED, s(3), s(4)),
            new Other("bmm",            x -> x[0].bmm(x[1]),                                     SIGNED, s(2, 3, 4), s(2, 4, 5)),
            new Other("addmm",          x -> x[0].addmm(x[1], x[2]),                             SIGNED, s(3, 5), s(3, 4), s(4, 5)),
            new Other("addmm row input", x -> x[0].addmm(x[1], x[2]),                            SIGNED, s(5), s(3, 4), s(4, 5)),
            new Other("matmul broadcast batch", x -> x[0].matmul(x[1]),                          SIGNED, s(2, 1, 3, 4), s(3, 4, 2)),
            new Other("matmul 3d by 2d", x -> x[0].matmul(x[1]),                                 SIGNED, s(2, 3, 4), s(4, 5)),
            new Other("matmul 1d by 3d", x -> x[0].matmul(x[1]),                                 SIGNED, s(4), s(2, 4, 3)),
            new Other("matmul 3d by 1d", x -> x[0].matmul(x[1]),                                 SIGNED, s(2, 3, 4), s(4)),
            new Other("einsum ij,jk->ik", x -> Torch.einsum("ij,jk->ik", x[0], x[1]),            SIGNED, s(3, 4), s(4, 5)),
            new Other("einsum bij,bjk->bik", x -> Torch.einsum("bij,bjk->bik", x[0], x[1]),      SIGNED, s(2, 3, 4), s(2, 4, 5)),
            new Other("einsum i,i->",   x -> Torch.einsum("i,i->", x[0], x[1]),                  SIGNED, s(5), s(5)),
            new Other("einsum i,j->ij", x -> Torch.einsum("i,j->ij", x[0], x[1]),                SIGNED, s(3), s(4)),
            new Other("einsum ij->ji",  x -> Torch.einsum("ij->ji", x[0]),                       SIGNED, s(3, 4)),
            new Other("einsum ii->i",   x -> Torch.einsum("ii->i", x[0]),                        SIGNED, s(4, 4)),
            new Other("einsum ij->",    x -> Torch.einsum("ij->", x[0]),                         SIGNED, s(3, 4)),
            new Other("einsum bij,bkj->bki", x -> Torch.einsum("bij,bkj->bki", x[0], x[1]),      SIGNED, s(2, 3, 4), s(2, 5, 4)),
            new Other("einsum ij,ij->i", x -> Torch.einsum("ij,ij->i", x[0], x[1]),              SIGNED, s(3, 4), s(1, 4)),
            new Other("einsum implicit ij,jk", x -> Torch.einsum("ij,jk", x[0], x[1]),           SIGNED, s(3, 4), s(4, 5)),
            new Other("einsum ik,jkl->ijl", x -> Torch.einsum("ik,jkl->ijl", x[0], x[1]),        SIGNED, s(2, 3), s(4, 3, 5)));

    private static double bit(boolean b) {
        return b ? 1 : 0;
    }

    public static Unary of(UnaryOp op) {
        return UNARY.stream().filter(u -> u.op() == op).findFirst().orElseThrow();
    }

    public static Binary of(BinaryOp op) {
        return BINARY.stream().filter(b -> b.op() == op).findFirst().orElseThrow();
    }

    /** A contiguous CPU tensor of {@code shape} and {@code dtype} with values from the domain (rounded for integers). */
    public static Tensor draw(Domain domain, Random r, int[] shape, DType dtype) {
        double[] v = domain.draw(r, Shapes.numel(shape));
        Tensor t = Torch.tensor(v, Options.dtype(DType.FLOAT64)).reshape(shape);
        if (dtype == DType.INT64 || dtype == DType.BOOL) {
            for (int i = 0; i < v.length; i++) {
                v[i] = Math.round(v[i]);
            }
            t = Torch.tensor(v, Options.dtype(DType.FLOAT64)).reshape(shape);
        }
        return t.to(dtype);
    }
}
