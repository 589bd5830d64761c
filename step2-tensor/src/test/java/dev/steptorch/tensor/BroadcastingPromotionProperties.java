package dev.steptorch.tensor;

import static dev.steptorch.tensor.IndexWalk.next;
import static dev.steptorch.tensor.IndexWalk.numel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every elementwise binary op, over random broadcast-compatible shapes and every dtype pair,
 * against an explicit index loop. The expected dtype comes from a re-statement of PyTorch's
 * {@code result_type} written here, not from {@link DType#resultType}, so the two can disagree.
 */
class BroadcastingPromotionProperties {

    /** Two operand shapes that broadcast to {@code out}, and a seed for their values. */
    record Pair(int[] out, int[] a, int[] b, long seed) {
        @Override
        public String toString() {
            return Arrays.toString(a) + " op " + Arrays.toString(b) + " -> " + Arrays.toString(out) + " seed " + seed;
        }
    }

    @Provide
    Arbitrary<Pair> pairs() {
        Arbitrary<int[]> outs = Arbitraries.integers().between(1, 4).array(int[].class).ofMinSize(0).ofMaxSize(4);
        return Combinators.combine(outs, Arbitraries.longs(), Arbitraries.longs()).as((out, shapeSeed, seed) -> {
            Random r = new Random(shapeSeed);
            int[] a = operandShape(out, r);
            int[] b = operandShape(out, r);
            return new Pair(broadcastOf(a, b), a, b, seed);
        });
    }

    /** Where both operands had a dim turned into 1, the result has 1 there too. */
    private static int[] broadcastOf(int[] a, int[] b) {
        int n = Math.max(a.length, b.length);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int da = i < n - a.length ? 1 : a[i - (n - a.length)];
            int db = i < n - b.length ? 1 : b[i - (n - b.length)];
            out[i] = Math.max(da, db);
        }
        return out;
    }

    /** Drops some leading dims and turns some of the rest into 1s, which is what broadcasting undoes. */
    private static int[] operandShape(int[] out, Random r) {
        int rank = r.nextInt(4) == 0 ? r.nextInt(out.length + 1) : out.length;
        int[] s = Arrays.copyOfRange(out, out.length - rank, out.length);
        for (int d = 0; d < s.length; d++) {
            if (r.nextInt(3) == 0) {
                s[d] = 1;
            }
        }
        return s;
    }

    @Provide
    Arbitrary<DType> dtypes() {
        return Arbitraries.of(DType.values());
    }

    @Provide
    Arbitrary<BinaryOp> ops() {
        return Arbitraries.of(BinaryOp.values());
    }

    // ---------------------------------------------------------------- the properties

    @Property(tries = 600)
    void tensorOpTensorMatchesIndexLoop(@ForAll("pairs") Pair p, @ForAll("ops") BinaryOp op,
                                        @ForAll("dtypes") DType da, @ForAll("dtypes") DType db) {
        Random r = new Random(p.seed());
        double[] va = values(r, p.a(), da, op == BinaryOp.POW);
        double[] vb = values(r, p.b(), db, op == BinaryOp.POW);
        Tensor a = make(va, p.a(), da);
        Tensor b = make(vb, p.b(), db);

        DType compute = expectedResultType(p.a().length == 0 ? null : da, p.a().length == 0 ? da : null,
                p.b().length == 0 ? null : db, p.b().length == 0 ? db : null, null);
        if (op == BinaryOp.SUB && da == DType.BOOL && db == DType.BOOL) {
            assertThatThrownBy(() -> apply(op, a, b)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("Subtraction, the `-` operator, with two bool tensors is not supported. "
                            + "Use the `^` or `logical_xor()` operator instead.");
            return;
        }
        if ((op == BinaryOp.POW || op == BinaryOp.THRESHOLD_BACKWARD) && compute == DType.BOOL) {
            assertThatThrownBy(() -> apply(op, a, b)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("\"" + (op == BinaryOp.POW ? "pow" : "threshold_cpu") + "\" not implemented for 'Bool'");
            return;
        }
        Tensor got = apply(op, a, b);
        checkAgainstLoop(op, compute, p.out(), va, p.a(), vb, p.b(), got);
    }

    /** Java numbers are "weak": they can lift the category (int to float) but never the size inside it. */
    @Property(tries = 300)
    void tensorOpJavaNumberMatchesLoop(@ForAll("pairs") Pair p, @ForAll("dtypes") DType da,
                                       @ForAll("scalarOps") BinaryOp op, @ForAll boolean longScalar) {
        Random r = new Random(p.seed());
        double[] va = values(r, p.a(), da, op == BinaryOp.POW);
        Tensor a = make(va, p.a(), da);
        // only add, mul and pow have long overloads; the other ops always take a double
        boolean isLong = longScalar && (op == BinaryOp.ADD || op == BinaryOp.MUL || op == BinaryOp.POW);
        double s = op == BinaryOp.POW ? r.nextInt(3) : isLong ? r.nextInt(9) - 4 : (r.nextInt(17) - 8) / 4.0;
        DType wrapped = isLong ? DType.INT64 : DType.FLOAT32;
        DType compute = expectedResultType(p.a().length == 0 ? null : da, p.a().length == 0 ? da : null, null, null, wrapped);
        Tensor got = applyScalar(op, a, s, isLong);
        double[] vb = {s};
        checkAgainstLoop(op, compute, p.a(), va, p.a(), vb, new int[0], got);
        if (!isLong && (op == BinaryOp.MUL || op == BinaryOp.POW)) {
            // torch.mul(a, s, out=out), torch.pow(a, s, out=out): the number promotes as in the method
            Tensor out = Torch.zeros(Options.dtype(got.dtype()), got.shape());
            assertThat(op == BinaryOp.MUL ? Torch.mul(a, s, out) : Torch.pow(a, s, out)).isSameAs(out);
            assertThat(out.toDoubleArray()).containsExactly(got.toDoubleArray());
        }
    }

    /**
     * add and sub with alpha: {@code a + alpha * b} ({@code a - alpha * b}), rounded once in floating
     * point as PyTorch's fused multiply-add loop rounds it, exact in int64; a bool alpha is "alpha
     * is not 0"; integer tensors refuse a fractional alpha.
     */
    @Property(tries = 400)
    void addAndSubWithAlphaMatchLoop(@ForAll("pairs") Pair p, @ForAll("dtypes") DType da, @ForAll("dtypes") DType db,
                                     @ForAll("alphas") double alpha, @ForAll boolean sub) {
        Random r = new Random(p.seed());
        double[] va = values(r, p.a(), da, false);
        double[] vb = values(r, p.b(), db, false);
        Tensor a = make(va, p.a(), da);
        Tensor b = make(vb, p.b(), db);
        DType c = expectedResultType(p.a().length == 0 ? null : da, p.a().length == 0 ? da : null,
                p.b().length == 0 ? null : db, p.b().length == 0 ? db : null, null);
        if (sub && c == DType.BOOL) {
            assertThatThrownBy(() -> a.sub(b, alpha)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("Subtraction, the `-` operator, with two bool tensors is not supported.");
            return;
        }
        if (category(c) < 2 && alpha != Math.rint(alpha)) {
            assertThatThrownBy(() -> withAlpha(a, b, alpha, sub)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("For integral input tensors, argument alpha must not be a floating point number");
            return;
        }
        Tensor got = withAlpha(a, b, alpha, sub);
        assertThat(got.shape()).as("shape").isEqualTo(p.out());
        assertThat(got.dtype()).as("dtype").isEqualTo(c);
        double[] g = got.toDoubleArray();
        double s = sub ? -alpha : alpha;
        int[] idx = new int[p.out().length];
        for (int flat = 0; flat < g.length; flat++) {
            double x = cast(va[at(idx, p.a())], c);
            double y = cast(vb[at(idx, p.b())], c);
            double want = switch (c) {
                case FLOAT32 -> Math.fma((float) s, (float) y, (float) x);
                case FLOAT64 -> Math.fma(s, y, x);
                case INT64 -> (long) x + (long) s * (long) y;
                case BOOL -> x != 0 || s != 0 && y != 0 ? 1 : 0;
            };
            assertThat(g[flat]).as("element %s of %s + %s * %s in %s", Arrays.toString(idx), x, s, y, c).isEqualTo(want);
            next(idx, p.out());
        }
    }

    private static Tensor withAlpha(Tensor a, Tensor b, double alpha, boolean sub) {
        return sub ? a.sub(b, alpha) : a.add(b, alpha);
    }

    @Provide
    Arbitrary<Double> alphas() {
        // 0.1 and -0.3 are not floats: their products round, where a fused and a plain sum can differ
        return Arbitraries.of(1.0, -1.0, 0.0, 2.0, -3.0, 0.5, 0.1, -0.3);
    }

    /**
     * float32 has loops of its own for maximum, minimum and a power of 1 (elementwise and against
     * one number): they keep Math.max's, Math.min's and Math.pow's answers for NaN, -0 and infinities.
     */
    @Example
    void floatLoopsKeepTheRulesForNaNZerosAndInfinities() {
        double[] special = {Double.NaN, -0.0, 0.0, 1.5, -2.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        int n = special.length;
        double[] x = new double[n * n], y = new double[n * n];
        for (int i = 0; i < n * n; i++) {
            x[i] = special[i / n];
            y[i] = special[i % n];
        }
        Tensor a = Torch.tensor(x, Options.dtype(DType.FLOAT32)), b = Torch.tensor(y, Options.dtype(DType.FLOAT32));
        assertSameFloats(a.maximum(b), i -> Math.max((float) x[i], (float) y[i]));
        assertSameFloats(a.minimum(b), i -> Math.min((float) x[i], (float) y[i]));
        for (double c : special) {
            Tensor one = Torch.tensor(new double[] {c}, Options.dtype(DType.FLOAT32));
            assertSameFloats(a.maximum(one), i -> Math.max((float) x[i], (float) c));
            assertSameFloats(a.minimum(one), i -> Math.min((float) x[i], (float) c));
        }
        assertSameFloats(a.pow(1.0), i -> (float) Math.pow((float) x[i], 1.0));
    }

    /**
     * One number broadcast on the left (stride 0, as a gradient spread out by a sum) has a float32
     * loop of its own: every op gives what the general path gives, c op x rounded to float, bit for bit.
     */
    @Example
    void aNumberOnTheLeftGivesTheGeneralPathsAnswers() {
        double[] special = {Double.NaN, -0.0, 0.0, 1.5, -2.0, 3.0e38, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        Tensor a = Torch.tensor(special, Options.dtype(DType.FLOAT32));
        for (double c : special) {
            Tensor left = Torch.tensor(new double[] {c}, Options.dtype(DType.FLOAT32)).expand(special.length);
            for (BinaryOp op : List.of(BinaryOp.ADD, BinaryOp.SUB, BinaryOp.MUL, BinaryOp.DIV, BinaryOp.MAXIMUM,
                    BinaryOp.MINIMUM, BinaryOp.POW)) {
                Tensor got = Dispatcher.opsFor(left, a).binary(op, left, a, 1, null);
                assertSameFloats(got, i -> (float) op.apply((float) c, (float) special[i]));
            }
        }
    }

    private static void assertSameFloats(Tensor got, java.util.function.IntToDoubleFunction want) {
        double[] g = got.toDoubleArray();
        for (int i = 0; i < g.length; i++) {
            // bit for bit, so NaN equals NaN and -0 differs from 0
            assertThat(Double.doubleToLongBits(g[i])).as("element " + i + ": " + g[i] + " against " + want.applyAsDouble(i))
                    .isEqualTo(Double.doubleToLongBits(want.applyAsDouble(i)));
        }
    }

    @Example
    void onlyAddAndSubTakeAnAlpha() {
        Tensor a = Torch.ones(2);
        assertThatThrownBy(() -> Dispatcher.opsFor(a, a).binary(BinaryOp.MUL, a, a, 2, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mul() takes no alpha argument");
    }

    @Example
    void inPlaceAddWithAlphaWritesIntoSelf() {
        Tensor p = Torch.tensor(new float[] {1, 2, 3});
        Tensor d = Torch.tensor(new float[] {10, 20, 30});
        int version = p.storage().version();
        assertThat(p.add_(d, -0.5)).isSameAs(p);
        assertThat(p.toDoubleArray()).containsExactly(-4, -8, -12);
        assertThat(p.storage().version()).isGreaterThan(version);
        assertThat(p.sub_(d, 0.1).toDoubleArray()).containsExactly(-5, -10, -15);
    }

    @Provide
    Arbitrary<BinaryOp> scalarOps() {
        return Arbitraries.of(BinaryOp.ADD, BinaryOp.SUB, BinaryOp.MUL, BinaryOp.DIV, BinaryOp.POW,
                BinaryOp.EQ, BinaryOp.NE, BinaryOp.LT, BinaryOp.LE, BinaryOp.GT, BinaryOp.GE);
    }

    // ---------------------------------------------------------------- named promotion cases

    @Example
    void promotionExamplesFromTheTask() {
        assertThat(Torch.ones(Options.dtype(DType.FLOAT32), 2).add(Torch.ones(Options.dtype(DType.INT64), 2)).dtype())
                .isEqualTo(DType.FLOAT32);
        assertThat(Torch.ones(Options.dtype(DType.INT64), 2).add(Torch.ones(Options.dtype(DType.BOOL), 2)).dtype())
                .isEqualTo(DType.INT64);
        assertThat(Torch.ones(Options.dtype(DType.FLOAT32), 2).add(Torch.ones(Options.dtype(DType.FLOAT64), 2)).dtype())
                .isEqualTo(DType.FLOAT64);
        Tensor ints = Torch.tensor(new long[] {1, 2});
        Tensor plusHalf = ints.add(2.5);
        assertThat(plusHalf.dtype()).isEqualTo(DType.FLOAT32);
        assertThat(plusHalf.toDoubleArray()).containsExactly(3.5, 4.5);
        assertThat(Torch.ones(2).add(3L).dtype()).isEqualTo(DType.FLOAT32);
        assertThat(Torch.ones(Options.dtype(DType.FLOAT64), 2).add(2.5).dtype()).isEqualTo(DType.FLOAT64);
        assertThat(ints.add(3L).dtype()).isEqualTo(DType.INT64);
    }

    @Example
    void integerDivisionIsTrueDivisionInDefaultFloat() {
        Tensor q = Torch.tensor(new long[] {1, 2, 7}).div(Torch.tensor(new long[] {2, 2, 2}));
        assertThat(q.dtype()).isEqualTo(DType.FLOAT32);
        assertThat(q.toDoubleArray()).containsExactly(0.5, 1.0, 3.5);
        Tensor bools = Torch.tensor(true).div(Torch.tensor(true));
        assertThat(bools.dtype()).isEqualTo(DType.FLOAT32);
        assertThat(bools.item()).isEqualTo(1.0);
    }

    @Example
    void zeroDimTensorsOnlyLiftTheCategory() {
        Tensor f32 = Torch.ones(3);
        assertThat(f32.add(Torch.tensor(2.0, Options.dtype(DType.FLOAT64))).dtype()).isEqualTo(DType.FLOAT32);
        assertThat(Torch.tensor(new long[] {1, 2}).add(Torch.tensor(1.5, Options.dtype(DType.FLOAT64))).dtype())
                .isEqualTo(DType.FLOAT64);
        assertThat(Torch.tensor(new boolean[] {true}).add(Torch.tensor(2L)).dtype()).isEqualTo(DType.INT64);
    }

    @Example
    void negativeIntegerPowerOfIntegerTensorIsRefused() {
        assertThatThrownBy(() -> Torch.tensor(new long[] {2, 3}).pow(-1L))
                .hasMessage("Integers to negative integer powers are not allowed.");
        assertThat(Torch.tensor(new boolean[] {true, false}).pow(2L).dtype()).isEqualTo(DType.INT64);
    }

    // ---------------------------------------------------------------- the reference

    /**
     * PyTorch's result_type: dimensioned tensors decide; 0-dim tensors, then wrapped numbers
     * (already mapped to their default dtype), only count when they raise the category.
     */
    static DType expectedResultType(DType dimA, DType zeroA, DType dimB, DType zeroB, DType wrapped) {
        DType dim = promoteTypes(dimA, dimB);
        DType zero = promoteTypes(zeroA, zeroB);
        return combineCategories(dim, combineCategories(zero, wrapped));
    }

    private static DType promoteTypes(DType a, DType b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        if (a == b) {
            return a;
        }
        int ca = category(a), cb = category(b);
        if (ca != cb) {
            return ca > cb ? a : b;
        }
        return DType.FLOAT64; // the only category with two members is floating point
    }

    private static DType combineCategories(DType higher, DType lower) {
        if (higher == null || lower == null) {
            return higher == null ? lower : higher;
        }
        if (category(higher) == 2) {
            return higher;
        }
        if (higher == DType.BOOL || category(lower) == 2) {
            return promoteTypes(higher, lower);
        }
        return higher;
    }

    private static int category(DType d) {
        return d == DType.BOOL ? 0 : d == DType.INT64 ? 1 : 2;
    }

    private static void checkAgainstLoop(BinaryOp op, DType compute, int[] out, double[] va, int[] sa,
                                         double[] vb, int[] sb, Tensor got) {
        DType c = op == BinaryOp.DIV && category(compute) < 2 ? DType.FLOAT32 : compute;
        boolean comparison = op.ordinal() >= BinaryOp.EQ.ordinal();
        assertThat(got.shape()).as("shape").isEqualTo(out);
        assertThat(got.dtype()).as("dtype").isEqualTo(comparison ? DType.BOOL : c);
        double[] g = got.toDoubleArray();
        int n = numel(out);
        assertThat(g).hasSize(n);
        int[] idx = new int[out.length];
        for (int flat = 0; flat < n; flat++) {
            double x = cast(va[at(idx, sa)], c);
            double y = cast(vb[at(idx, sb)], c);
            double want = comparison ? (compare(op, x, y) ? 1 : 0) : cast(arith(op, x, y, c), c);
            String where = "element " + Arrays.toString(idx) + " of " + x + " " + op + " " + y + " in " + c;
            if (Double.isNaN(want)) {
                assertThat(g[flat]).as(where).isNaN();
            } else if (op == BinaryOp.POW && category(c) == 2 && !Double.isInfinite(want)) {
                assertThat(g[flat]).as(where).isCloseTo(want, offset(1e-6 * Math.abs(want)));
            } else {
                assertThat(g[flat]).as(where).isEqualTo(want);
            }
            next(idx, out);
        }
    }

    private static double arith(BinaryOp op, double x, double y, DType c) {
        if (c == DType.BOOL) {
            boolean p = x != 0, q = y != 0;
            switch (op) {
                case ADD: case MAXIMUM: return p || q ? 1 : 0;
                case MUL: case MINIMUM: return p && q ? 1 : 0;
                default: throw new AssertionError(op + " on bool");
            }
        }
        if (c == DType.INT64) {
            long p = (long) x, q = (long) y;
            switch (op) {
                case ADD: return p + q;
                case SUB: return p - q;
                case MUL: return p * q;
                case MAXIMUM: return Math.max(p, q);
                case MINIMUM: return Math.min(p, q);
                case THRESHOLD_BACKWARD: return q <= 0 ? 0 : p;
                case POW: {
                    long r = 1;
                    for (long i = 0; i < q; i++) {
                        r *= p;
                    }
                    return r;
                }
                default: throw new AssertionError(op + " on int64");
            }
        }
        switch (op) {
            case ADD: return x + y;
            case SUB: return x - y;
            case MUL: return x * y;
            case DIV: return x / y;
            case POW: return Math.pow(x, y);
            case MAXIMUM: return Double.isNaN(x) || Double.isNaN(y) ? Double.NaN : Math.max(x, y);
            case MINIMUM: return Double.isNaN(x) || Double.isNaN(y) ? Double.NaN : Math.min(x, y);
            // PyTorch's threshold_backward(grad, self, 0): a NaN self lets the gradient through
            case THRESHOLD_BACKWARD: return y <= 0 ? 0 : x;
            default: throw new AssertionError(op.toString());
        }
    }

    private static boolean compare(BinaryOp op, double x, double y) {
        switch (op) {
            case EQ: return x == y;
            case NE: return x != y;
            case LT: return x < y;
            case LE: return x <= y;
            case GT: return x > y;
            case GE: return x >= y;
            default: throw new AssertionError(op.toString());
        }
    }

    /** A value as the compute dtype holds it. */
    private static double cast(double v, DType c) {
        switch (c) {
            case FLOAT32: return (float) v;
            case INT64: return (long) v;
            case BOOL: return v != 0 ? 1 : 0;
            default: return v;
        }
    }

    // ---------------------------------------------------------------- plumbing

    private static Tensor apply(BinaryOp op, Tensor a, Tensor b) {
        switch (op) {
            case ADD: return a.add(b);
            case SUB: return a.sub(b);
            case MUL: return a.mul(b);
            case DIV: return a.div(b);
            case POW: return a.pow(b);
            case MAXIMUM: return a.maximum(b);
            case MINIMUM: return a.minimum(b);
            case THRESHOLD_BACKWARD: return Torch.thresholdBackward(a, b, 0);
            case EQ: return a.eq(b);
            case NE: return a.ne(b);
            case LT: return a.lt(b);
            case LE: return a.le(b);
            case GT: return a.gt(b);
            default: return a.ge(b);
        }
    }

    private static Tensor applyScalar(BinaryOp op, Tensor a, double s, boolean asLong) {
        switch (op) {
            case ADD: return asLong ? a.add((long) s) : a.add(s);
            case SUB: return a.sub(s);
            case MUL: return asLong ? a.mul((long) s) : a.mul(s);
            case DIV: return a.div(s);
            case POW: return asLong ? a.pow((long) s) : a.pow(s);
            case EQ: return a.eq(s);
            case NE: return a.ne(s);
            case LT: return a.lt(s);
            case LE: return a.le(s);
            case GT: return a.gt(s);
            default: return a.ge(s);
        }
    }

    /**
     * Values on a coarse grid (quarters, small integers, 0/1), so ties for the comparisons and
     * exact float sums are common; zero is included, so division by zero is exercised too.
     * Powers get small non-negative values, keeping integer powers away from overflow and
     * negative exponents.
     */
    private static double[] values(Random r, int[] shape, DType d, boolean forPow) {
        double[] v = new double[numel(shape)];
        for (int i = 0; i < v.length; i++) {
            switch (d) {
                case BOOL: v[i] = r.nextBoolean() ? 1 : 0; break;
                case INT64: v[i] = forPow ? r.nextInt(4) : r.nextInt(11) - 5; break;
                default: v[i] = forPow ? r.nextInt(13) / 4.0 : (r.nextInt(25) - 12) / 4.0;
            }
        }
        return v;
    }

    /** A tensor of the shape and dtype from row-major values. */
    private static Tensor make(double[] values, int[] shape, DType d) {
        return Torch.tensor(values, Options.dtype(d)).reshape(shape);
    }

    /** The row-major position, inside an operand of {@code shape}, that broadcasting maps {@code idx} to. */
    private static int at(int[] idx, int[] shape) {
        int lead = idx.length - shape.length;
        int pos = 0;
        for (int d = 0; d < shape.length; d++) {
            pos = pos * shape[d] + (shape[d] == 1 ? 0 : idx[lead + d]);
        }
        return pos;
    }
}
