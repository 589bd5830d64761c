package dev.steptorch.tensor;

import java.util.function.DoubleBinaryOperator;
import java.util.function.LongBinaryOperator;

/**
 * The elementwise two-input ops, with broadcasting. Each constant is one row: PyTorch's name, the
 * dtype rule, the op code of its branch in the OpenCL kernel, and its body on doubles and longs.
 * Comparisons return 1 or 0 and write bool. Bool inputs compute in the long lane, where + and
 * max give "or" and * and min give "and", as PyTorch's bool arithmetic does.
 */
public enum BinaryOp {
    //         PyTorch     dtype rule         GPU  on doubles                   on longs
    ADD("add",         Rule.PROMOTE,       10, (a, b) -> a + b,             (a, b) -> a + b),
    SUB("sub",         Rule.PROMOTE,       11, (a, b) -> a - b,             (a, b) -> a - b),
    MUL("mul",         Rule.PROMOTE,       12, (a, b) -> a * b,             (a, b) -> a * b),
    DIV("div",         Rule.TO_FLOAT,      13, (a, b) -> a / b,             null),
    POW("pow",         Rule.PROMOTE,       14, Math::pow,                   BinaryOp::ipow),
    MAXIMUM("maximum", Rule.PROMOTE,       15, BinaryOp::maxNaN,            Math::max),
    MINIMUM("minimum", Rule.PROMOTE,       16, BinaryOp::minNaN,            Math::min),
    // ReLU's backward pass, threshold_backward(grad, output, 0): grad where the output is above 0 (or NaN)
    THRESHOLD_BACKWARD("threshold_backward",
                       Rule.PROMOTE,       17, (g, y) -> y <= 0 ? 0 : g,    (g, y) -> y <= 0 ? 0 : g),
    EQ("eq",           Rule.COMPARISON,    20, (a, b) -> bit(a == b),       (a, b) -> a == b ? 1 : 0),
    NE("ne",           Rule.COMPARISON,    21, (a, b) -> bit(a != b),       (a, b) -> a != b ? 1 : 0),
    LT("lt",           Rule.COMPARISON,    22, (a, b) -> bit(a < b),        (a, b) -> a < b ? 1 : 0),
    LE("le",           Rule.COMPARISON,    23, (a, b) -> bit(a <= b),       (a, b) -> a <= b ? 1 : 0),
    GT("gt",           Rule.COMPARISON,    24, (a, b) -> bit(a > b),        (a, b) -> a > b ? 1 : 0),
    GE("ge",           Rule.COMPARISON,    25, (a, b) -> bit(a >= b),       (a, b) -> a >= b ? 1 : 0);

    /** How the computation and result dtypes follow the operands'. */
    public enum Rule {
        /** Computed and returned in the promoted dtype of both operands. */
        PROMOTE,
        /** True division: integer operands compute in the default float dtype. */
        TO_FLOAT,
        /** Computed in the promoted dtype, returned as bool. */
        COMPARISON
    }

    private final String torchName;
    private final Rule rule;
    private final int kernelCode;
    private final DoubleBinaryOperator onDoubles;
    private final LongBinaryOperator onLongs;

    BinaryOp(String torchName, Rule rule, int kernelCode, DoubleBinaryOperator onDoubles, LongBinaryOperator onLongs) {
        this.torchName = torchName;
        this.rule = rule;
        this.kernelCode = kernelCode;
        this.onDoubles = onDoubles;
        this.onLongs = onLongs;
    }

    public String torchName() {
        return torchName;
    }

    public int kernelCode() {
        return kernelCode;
    }

    public boolean isComparison() {
        return rule == Rule.COMPARISON;
    }

    /** The dtype the kernel computes in, for operands whose promoted dtype is {@code promoted}. */
    public DType computeType(DType promoted) {
        // BEGIN SOLUTION step2.true-division
        if (rule == Rule.TO_FLOAT && !promoted.isFloatingPoint()) {
            return DType.defaultFloat();
        }
        // END SOLUTION
        if (promoted == DType.BOOL && this == SUB) {
            throw new IllegalArgumentException("Subtraction, the `-` operator, with two bool tensors is not supported. "
                    + "Use the `^` or `logical_xor()` operator instead.");
        }
        if (promoted == DType.BOOL && this == POW) {
            throw new IllegalArgumentException("\"pow\" not implemented for 'Bool'");
        }
        if (promoted == DType.BOOL && this == THRESHOLD_BACKWARD) {
            // PyTorch's words, which name its CPU kernel
            throw new IllegalArgumentException("\"threshold_cpu\" not implemented for 'Bool'");
        }
        return promoted;
    }

    /** The dtype of the result for a computation in {@code compute}. */
    public DType resultType(DType compute) {
        return rule == Rule.COMPARISON ? DType.BOOL : compute;
    }

    public double apply(double a, double b) {
        return onDoubles.applyAsDouble(a, b);
    }

    public long apply(long a, long b) {
        if (onLongs == null) {
            throw new IllegalStateException(torchName + " on integers is promoted to float above the kernels");
        }
        return onLongs.applyAsLong(a, b);
    }

    /** A comparison's answer as a boolean. */
    public boolean test(double a, double b) {
        return apply(a, b) != 0;
    }

    private static double bit(boolean b) {
        return b ? 1 : 0;
    }

    /** Math.max returns NaN for a NaN operand already; written out so the NaN rule is visible. */
    private static double maxNaN(double a, double b) {
        // BEGIN SOLUTION step2.nan-maximum
        return Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.max(a, b);
        // END SOLUTION
    }

    private static double minNaN(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.min(a, b);
    }

    /** Integer powers by squaring; negative exponents give 0 except for bases 1 and -1, as in PyTorch. */
    private static long ipow(long base, long exp) {
        // BEGIN SOLUTION step2.integer-power
        if (exp < 0) {
            return base == 1 ? 1 : base == -1 ? ((exp & 1) == 0 ? 1 : -1) : 0;
        }
        long r = 1;
        while (exp > 0) {
            if ((exp & 1) == 1) {
                r *= base;
            }
            base *= base;
            exp >>= 1;
        }
        return r;
        // END SOLUTION
    }
}
