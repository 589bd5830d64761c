package dev.steptorch.tensor.cpu;

import dev.steptorch.tensor.BinaryOp;
import dev.steptorch.tensor.UnaryOp;
import java.util.List;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The hot elementwise loops of training: + - * / (and pow, max, min) on float32 and float64 rows.
 *
 * <p>HotSpot 17 vectorises {@code z[i] = x[i] + y[i]} but not {@code z[oz + i] = x[ox + i] + y[oy + i]}:
 * with offsets it cannot prove equal it must assume the store may overlap a later load, and keeps
 * the loop scalar. So the common layouts get a loop over one shared index: all operands unit
 * stride at the same offset (fresh contiguous tensors, in-place updates), and the same with a
 * broadcast scalar on either side. Other layouts fall back to offset loops, then to strided ones.
 *
 * <p>Every float32 result is the float32 rounding of the op on the two values, as when computed in
 * double and rounded: for + - * / the double result of two floats rounds to the same float.
 */
final class FloatLoops {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();

    private FloatLoops() {
    }

    /** True for the ops {@link #binary} computes in float32: all but the comparisons, which write bool. */
    static boolean handles(BinaryOp op) {
        return !op.isComparison();
    }

    static void binary(BinaryOp op, float[] x, int ox, int sx, float[] y, int oy, int sy, float[] z, int oz, int sz, int n) {
        boolean xAligned = sx == 1 && sz == 1 && ox == oz;
        if (xAligned && sy == 1 && oy == oz) {
            aligned(op, x, y, z, oz, oz + n);
        } else if (xAligned && sy == 0) {
            alignedScalar(op, x, y[oy], z, oz, oz + n);
        } else if (sx == 0 && sy == 1 && sz == 1 && oy == oz) {
            scalarAligned(op, x[ox], y, z, oz, oz + n);
        } else if (sx == 1 && sy == 1 && sz == 1) {
            switch (op) {
                case ADD: for (int i = 0; i < n; i++) z[oz + i] = x[ox + i] + y[oy + i]; return;
                case SUB: for (int i = 0; i < n; i++) z[oz + i] = x[ox + i] - y[oy + i]; return;
                case MUL: for (int i = 0; i < n; i++) z[oz + i] = x[ox + i] * y[oy + i]; return;
                case DIV: for (int i = 0; i < n; i++) z[oz + i] = x[ox + i] / y[oy + i]; return;
                case THRESHOLD_BACKWARD: thresholdBackward(x, ox, y, oy, z, oz, n); return;
                default: for (int i = 0; i < n; i++) z[oz + i] = (float) op.apply(x[ox + i], (double) y[oy + i]);
            }
        } else {
            for (int i = 0; i < n; i++) {
                z[oz + i * sz] = (float) op.apply(x[ox + i * sx], (double) y[oy + i * sy]);
            }
        }
    }

    /**
     * z = x + c * y as one fused multiply-add per number: an optimizer's {@code p.add_(d, -lr)} in one
     * pass, with no array for {@code d * -lr}. Written with vectors: JDK 17's C2 leaves a loop of
     * {@code Math.fma} scalar.
     */
    static void scaledAdd(float[] x, int ox, int sx, float[] y, int oy, int sy, float c, float[] z, int oz, int sz, int n) {
        if (sx == 1 && sy == 1 && sz == 1) {
            FloatVector cs = FloatVector.broadcast(SPECIES, c);
            int i = 0;
            for (; i <= n - LANES; i += LANES) {
                FloatVector.fromArray(SPECIES, y, oy + i).fma(cs, FloatVector.fromArray(SPECIES, x, ox + i)).intoArray(z, oz + i);
            }
            for (; i < n; i++) {
                z[oz + i] = Math.fma(c, y[oy + i], x[ox + i]);
            }
        } else {
            for (int i = 0; i < n; i++) {
                z[oz + i * sz] = Math.fma(c, y[oy + i * sy], x[ox + i * sx]);
            }
        }
    }

    /** True for the unary ops that {@link #unary} computes in float32: -x, |x| and sqrt(x). */
    static boolean handles(UnaryOp op) {
        return op == UnaryOp.NEG || op == UnaryOp.ABS || op == UnaryOp.SQRT;
    }

    /**
     * z = op(x) on a float32 row, one loop per op, where the general path calls the op's body
     * through an interface for every number: 100,000 square roots, one Adam step's worth for the
     * course's first layer, took it 100-200 µs. Each is one IEEE operation on the float itself, the
     * same float the general path gives (a square root rounded to double and then to float is the
     * float square root, as for + - * /).
     */
    static void unary(UnaryOp op, float[] x, int ox, int sx, float[] z, int oz, int sz, int n) {
        if (sx == 1 && sz == 1 && ox == oz) {
            switch (op) {
                case NEG: for (int i = oz; i < oz + n; i++) z[i] = -x[i]; return;
                case ABS: for (int i = oz; i < oz + n; i++) z[i] = Math.abs(x[i]); return;
                case SQRT: for (int i = oz; i < oz + n; i++) z[i] = (float) Math.sqrt(x[i]); return;
                default: throw new IllegalArgumentException(op + " has no float32 loop");
            }
        }
        switch (op) {
            case NEG: for (int i = 0; i < n; i++) z[oz + i * sz] = -x[ox + i * sx]; return;
            case ABS: for (int i = 0; i < n; i++) z[oz + i * sz] = Math.abs(x[ox + i * sx]); return;
            case SQRT: for (int i = 0; i < n; i++) z[oz + i * sz] = (float) Math.sqrt(x[ox + i * sx]); return;
            default: throw new IllegalArgumentException(op + " has no float32 loop");
        }
    }

    /** z[i] = x[i] op y[i] for i in from..to-1. */
    private static void aligned(BinaryOp op, float[] x, float[] y, float[] z, int from, int to) {
        switch (op) {
            case ADD: for (int i = from; i < to; i++) z[i] = x[i] + y[i]; return;
            case SUB: for (int i = from; i < to; i++) z[i] = x[i] - y[i]; return;
            case MUL: for (int i = from; i < to; i++) z[i] = x[i] * y[i]; return;
            case DIV: for (int i = from; i < to; i++) z[i] = x[i] / y[i]; return;
            // Math.max/min on floats are maximum's and minimum's rule: NaN wins, and +0 is above -0
            case MAXIMUM: for (int i = from; i < to; i++) z[i] = Math.max(x[i], y[i]); return;
            case MINIMUM: for (int i = from; i < to; i++) z[i] = Math.min(x[i], y[i]); return;
            case THRESHOLD_BACKWARD: thresholdBackward(x, from, y, from, z, from, to - from); return;
            default: for (int i = from; i < to; i++) z[i] = (float) op.apply(x[i], (double) y[i]);
        }
    }

    /** z[i] = x[i] op c for i in from..to-1. */
    private static void alignedScalar(BinaryOp op, float[] x, float c, float[] z, int from, int to) {
        switch (op) {
            case ADD: for (int i = from; i < to; i++) z[i] = x[i] + c; return;
            case SUB: for (int i = from; i < to; i++) z[i] = x[i] - c; return;
            case MUL: for (int i = from; i < to; i++) z[i] = x[i] * c; return;
            case DIV: for (int i = from; i < to; i++) z[i] = x[i] / c; return;
            case POW: pow(x, c, z, from, to); return;
            case MAXIMUM: for (int i = from; i < to; i++) z[i] = Math.max(x[i], c); return;
            case MINIMUM: for (int i = from; i < to; i++) z[i] = Math.min(x[i], c); return;
            default: for (int i = from; i < to; i++) z[i] = (float) op.apply(x[i], (double) c);
        }
    }

    /**
     * z[i] = c op y[i]: one number on the left, as when a gradient that a sum spread out (every
     * element the same number, stride 0) multiplies the local derivative: {@code grad * 2 * x} in the
     * backward pass of the course's squared loss. Through the general loop each number cost a call
     * through an interface, 3-4 times this loop's time.
     */
    private static void scalarAligned(BinaryOp op, float c, float[] y, float[] z, int from, int to) {
        switch (op) {
            case ADD: for (int i = from; i < to; i++) z[i] = c + y[i]; return;
            case SUB: for (int i = from; i < to; i++) z[i] = c - y[i]; return;
            case MUL: for (int i = from; i < to; i++) z[i] = c * y[i]; return;
            case DIV: for (int i = from; i < to; i++) z[i] = c / y[i]; return;
            case MAXIMUM: for (int i = from; i < to; i++) z[i] = Math.max(c, y[i]); return;
            case MINIMUM: for (int i = from; i < to; i++) z[i] = Math.min(c, y[i]); return;
            default: for (int i = from; i < to; i++) z[i] = (float) op.apply(c, (double) y[i]);
        }
    }

    /**
     * z = y <= 0 ? 0 : x, ReLU's backward pass in one pass over the gradient x and the output y,
     * blended by vector mask: which way a branch per element goes is a coin toss on a ReLU's
     * outputs. A NaN output lets the gradient through, as {@code y <= 0} is false for it.
     */
    private static void thresholdBackward(float[] x, int ox, float[] y, int oy, float[] z, int oz, int n) {
        int i = 0;
        for (; i <= n - LANES; i += LANES) {
            FloatVector.fromArray(SPECIES, x, ox + i)
                    .blend(0f, FloatVector.fromArray(SPECIES, y, oy + i).compare(VectorOperators.LE, 0f))
                    .intoArray(z, oz + i);
        }
        for (; i < n; i++) {
            z[oz + i] = y[oy + i] <= 0 ? 0 : x[ox + i];
        }
    }

    /**
     * The square of the course's loss gets its own loop: x * x in float32 is the same float as
     * Math.pow in double rounded, since the double square of a float is exact. So does the power
     * of 1 in the square's symbolic derivative (step 7's {@code pow_13}): Math.pow costs some 30 ns.
     */
    private static void pow(float[] x, float c, float[] z, int from, int to) {
        if (c == 2) {
            for (int i = from; i < to; i++) z[i] = x[i] * x[i];
        } else if (c == 1) {
            System.arraycopy(x, from, z, from, to - from); // x ** 1 is x, NaN and infinities included
        } else {
            for (int i = from; i < to; i++) z[i] = (float) Math.pow(x[i], c);
        }
    }

    static void binary(BinaryOp op, double[] x, int ox, int sx, double[] y, int oy, int sy, double[] z, int oz, int sz, int n) {
        boolean xAligned = sx == 1 && sz == 1 && ox == oz;
        if (xAligned && sy == 1 && oy == oz) {
            aligned(op, x, y, z, oz, oz + n);
        } else if (xAligned && sy == 0) {
            alignedScalar(op, x, y[oy], z, oz, oz + n);
        } else {
            for (int i = 0; i < n; i++) {
                z[oz + i * sz] = op.apply(x[ox + i * sx], y[oy + i * sy]);
            }
        }
    }

    private static void aligned(BinaryOp op, double[] x, double[] y, double[] z, int from, int to) {
        switch (op) {
            case ADD: for (int i = from; i < to; i++) z[i] = x[i] + y[i]; return;
            case SUB: for (int i = from; i < to; i++) z[i] = x[i] - y[i]; return;
            case MUL: for (int i = from; i < to; i++) z[i] = x[i] * y[i]; return;
            case DIV: for (int i = from; i < to; i++) z[i] = x[i] / y[i]; return;
            default: for (int i = from; i < to; i++) z[i] = op.apply(x[i], y[i]);
        }
    }

    private static void alignedScalar(BinaryOp op, double[] x, double c, double[] z, int from, int to) {
        switch (op) {
            case ADD: for (int i = from; i < to; i++) z[i] = x[i] + c; return;
            case SUB: for (int i = from; i < to; i++) z[i] = x[i] - c; return;
            case MUL: for (int i = from; i < to; i++) z[i] = x[i] * c; return;
            case DIV: for (int i = from; i < to; i++) z[i] = x[i] / c; return;
            default: for (int i = from; i < to; i++) z[i] = op.apply(x[i], c);
        }
    }

    /**
     * Comparisons of float32 rows into bool. Comparing the floats directly gives what comparing
     * their doubles did: widening is exact, and NaN is unordered either way (false, except NE).
     */
    static void compare(BinaryOp op, float[] x, int ox, int sx, float[] y, int oy, int sy, boolean[] z, int oz, int sz, int n) {
        if (sx == 1 && sy == 0 && sz == 1) {
            compareScalar(op, x, ox, y[oy], z, oz, n);
            return;
        }
        for (int i = 0; i < n; i++) {
            z[oz + i * sz] = op.test(x[ox + i * sx], y[oy + i * sy]);
        }
    }

    /** {@code h.lt(0)} and friends: one loop per op, no dispatch per element. */
    private static void compareScalar(BinaryOp op, float[] x, int ox, float c, boolean[] z, int oz, int n) {
        switch (op) {
            case EQ: for (int i = 0; i < n; i++) z[oz + i] = x[ox + i] == c; return;
            case NE: for (int i = 0; i < n; i++) z[oz + i] = x[ox + i] != c; return;
            case LT: for (int i = 0; i < n; i++) z[oz + i] = x[ox + i] < c; return;
            case LE: for (int i = 0; i < n; i++) z[oz + i] = x[ox + i] <= c; return;
            case GT: for (int i = 0; i < n; i++) z[oz + i] = x[ox + i] > c; return;
            case GE: for (int i = 0; i < n; i++) z[oz + i] = x[ox + i] >= c; return;
            default: for (int i = 0; i < n; i++) z[oz + i] = op.test(x[ox + i], c);
        }
    }

    /**
     * Clamp of a float32 row to [lo, hi] (already rounded to float32: rounding is monotonic, so it
     * commutes with max and min and the result is what clamping in double and rounding gave).
     * Math.max and Math.min return NaN for a NaN element, and order -0.0 below 0.0, as before.
     */
    static void clamp(float[] x, int ox, int sx, float lo, float hi, float[] z, int oz, int sz, int n) {
        if (sx == 1 && sz == 1 && ox == oz) {
            for (int i = oz; i < oz + n; i++) z[i] = Math.min(Math.max(x[i], lo), hi);
            return;
        }
        for (int i = 0; i < n; i++) {
            z[oz + i * sz] = Math.min(Math.max(x[ox + i * sx], lo), hi);
        }
    }

    /**
     * z = cond ? x : z, the second walk of where and all of masked_fill_. A ReLU's mask is true
     * about half the time at random, so a branch per element guesses wrong about half the time;
     * for contiguous rows the mask is read as a vector mask and the choice made by a blend: on a
     * random mask of 301,056 elements (LeNet's first activation at batch 64), 1.5 ms became 0.02.
     * Each layout has a method of its own: with both in one loop body C2 17 stopped compiling the
     * vector calls to vector instructions.
     */
    static void select(boolean[] cond, int oc, int sc, float[] x, int ox, int sx, float[] z, int oz, int sz, int n) {
        if (sc == 1 && sz == 1 && sx == 0) {
            selectFill(cond, oc, x[ox], z, oz, n);
            return;
        }
        if (sc == 1 && sz == 1 && sx == 1) {
            selectRow(cond, oc, x, ox, z, oz, n);
            return;
        }
        for (int i = 0; i < n; i++) {
            if (cond[oc + i * sc]) {
                z[oz + i * sz] = x[ox + i * sx];
            }
        }
    }

    /**
     * z = x ? 1 : 0, a mask made a factor (ReLU's gradient is the mask times g). Like {@link #select},
     * a branch per element would guess wrong half the time on a ReLU's mask, so contiguous rows
     * are blended by vector mask: ResNet-18's 37 M mask elements a step took 150 ms before.
     */
    static void fromMask(boolean[] x, int ox, int sx, float[] z, int oz, int sz, int n) {
        int i = 0;
        if (sx == 1 && sz == 1) {
            FloatVector zero = FloatVector.zero(SPECIES);
            for (; i <= n - LANES; i += LANES) {
                zero.blend(1f, VectorMask.fromArray(SPECIES, x, ox + i)).intoArray(z, oz + i);
            }
        }
        for (; i < n; i++) {
            z[oz + i * sz] = x[ox + i * sx] ? 1f : 0f;
        }
    }

    /**
     * The mask loops for {@link VectorWarmup}, on rows of their own with a ragged end, every third
     * element chosen (ReLU's backward pass runs them every step), and the optimizers' scaled add.
     * Under 50 ns a vector counts as compiled.
     */
    static List<VectorWarmup.Kernel> warmupKernels() {
        int n = 4096 + 5;
        boolean[] mask = new boolean[n];
        for (int i = 0; i < n; i += 3) {
            mask[i] = true;
        }
        float[] x = new float[n], z = new float[n];
        long compiledNanos = 50L * n / LANES;
        return List.of(new VectorWarmup.Kernel("FloatLoops.fromMask", compiledNanos, () -> fromMask(mask, 0, 1, z, 0, 1, n)),
                new VectorWarmup.Kernel("FloatLoops.selectFill", compiledNanos, () -> selectFill(mask, 0, 2f, z, 0, n)),
                new VectorWarmup.Kernel("FloatLoops.selectRow", compiledNanos, () -> selectRow(mask, 0, x, 0, z, 0, n)),
                new VectorWarmup.Kernel("FloatLoops.thresholdBackward", compiledNanos, () -> thresholdBackward(x, 0, z, 0, z, 0, n)),
                new VectorWarmup.Kernel("FloatLoops.scaledAdd", compiledNanos, () -> scaledAdd(z, 0, 1, x, 0, 1, -0.5f, z, 0, 1, n)));
    }

    /** {@link #select} with x a scalar (masked_fill's value), the other rows contiguous. */
    private static void selectFill(boolean[] cond, int oc, float fill, float[] z, int oz, int n) {
        int i = 0;
        for (; i <= n - LANES; i += LANES) {
            VectorMask<Float> m = VectorMask.fromArray(SPECIES, cond, oc + i);
            FloatVector.fromArray(SPECIES, z, oz + i).blend(fill, m).intoArray(z, oz + i);
        }
        for (; i < n; i++) {
            if (cond[oc + i]) {
                z[oz + i] = fill;
            }
        }
    }

    /** {@link #select} with all three rows contiguous. */
    private static void selectRow(boolean[] cond, int oc, float[] x, int ox, float[] z, int oz, int n) {
        int i = 0;
        for (; i <= n - LANES; i += LANES) {
            VectorMask<Float> m = VectorMask.fromArray(SPECIES, cond, oc + i);
            FloatVector.fromArray(SPECIES, z, oz + i).blend(FloatVector.fromArray(SPECIES, x, ox + i), m).intoArray(z, oz + i);
        }
        for (; i < n; i++) {
            if (cond[oc + i]) {
                z[oz + i] = x[ox + i];
            }
        }
    }
}
