package dev.steptorch.tensor;

import java.util.function.DoubleUnaryOperator;
import java.util.function.LongUnaryOperator;

/**
 * The elementwise one-input ops. Each constant is the whole definition of its op, one row: the
 * name PyTorch gives it, its dtype rule, the op code of its branch in the OpenCL kernel, and its
 * body on doubles and (when integers keep their dtype) on longs. The CPU kernel runs the body;
 * the autograd layer finds its backward in step 3's {@code Derivatives}; nothing else needs
 * editing to add an op but {@code Tensor}'s one-line method and the kernel's branch.
 */
public enum UnaryOp {
    //     PyTorch  dtype rule        GPU  on doubles       on longs
    NEG("neg",  Rule.KEEP_DTYPE, 1, x -> -x,        x -> -x),
    EXP("exp",  Rule.TO_FLOAT,   2, Math::exp,      null),
    LOG("log",  Rule.TO_FLOAT,   3, Math::log,      null),
    SQRT("sqrt", Rule.TO_FLOAT,  4, Math::sqrt,     null),
    ABS("abs",  Rule.KEEP_DTYPE, 5, Math::abs,      Math::abs),
    SIN("sin",  Rule.TO_FLOAT,   7, Math::sin,      null),
    COS("cos",  Rule.TO_FLOAT,   8, Math::cos,      null),
    TAN("tan",  Rule.TO_FLOAT,   50, Math::tan,     null),
    RSQRT("rsqrt", Rule.TO_FLOAT, 51, x -> 1 / Math.sqrt(x), null),
    RECIPROCAL("reciprocal", Rule.TO_FLOAT, 52, x -> 1 / x, null),
    LOG1P("log1p", Rule.TO_FLOAT, 53, Math::log1p,  null),
    EXPM1("expm1", Rule.TO_FLOAT, 54, Math::expm1,  null),
    // NaN and both zeros give 0, as in PyTorch
    SIGN("sign", Rule.KEEP_ANY,  55, x -> x > 0 ? 1 : x < 0 ? -1 : 0, Long::signum),
    FLOOR("floor", Rule.KEEP_DTYPE, 56, Math::floor, x -> x),
    CEIL("ceil", Rule.KEEP_DTYPE, 57, Math::ceil,   x -> x),
    // half to even, as torch.round: rint
    ROUND("round", Rule.KEEP_DTYPE, 58, Math::rint, x -> x),
    ERF("erf",  Rule.TO_FLOAT,   59, SpecialFunctions::erf, null);

    /** How the result's dtype follows the input's. */
    public enum Rule {
        /** int64 stays int64 ({@code -x}, {@code abs}); bool is refused. */
        KEEP_DTYPE,
        /** int64 and bool both keep their dtype ({@code torch.sign(bool_tensor)} is bool). */
        KEEP_ANY,
        /** Integer and bool inputs compute in the default float dtype, as {@code torch.exp(int_tensor)} does. */
        TO_FLOAT
    }

    private final String torchName;
    private final Rule rule;
    private final int kernelCode;
    private final DoubleUnaryOperator onDoubles;
    private final LongUnaryOperator onLongs;

    UnaryOp(String torchName, Rule rule, int kernelCode, DoubleUnaryOperator onDoubles, LongUnaryOperator onLongs) {
        this.torchName = torchName;
        this.rule = rule;
        this.kernelCode = kernelCode;
        this.onDoubles = onDoubles;
        this.onLongs = onLongs;
    }

    /** The name in PyTorch ({@code torch.sin}) and in error messages. */
    public String torchName() {
        return torchName;
    }

    /** The {@code fn} value of this op's branch in the OpenCL kernel. */
    public int kernelCode() {
        return kernelCode;
    }

    /** The dtype the kernel computes in (and writes) for an input of {@code input}. */
    public DType resultType(DType input) {
        if (rule == Rule.TO_FLOAT) {
            return input.isFloatingPoint() ? input : DType.defaultFloat();
        }
        if (input == DType.BOOL && rule == Rule.KEEP_DTYPE) {
            throw new IllegalArgumentException(this == NEG
                    ? "Negation, the `-` operator, on a bool tensor is not supported. "
                            + "If you are trying to invert a mask, use the `~` or `logical_not()` operator instead."
                    : "\"" + torchName + (this == FLOOR || this == CEIL || this == ROUND ? "_vml_cpu" : "_cpu") + "\" not implemented for 'Bool'");
        }
        return input;
    }

    public double apply(double x) {
        return onDoubles.applyAsDouble(x);
    }

    /** Only for KEEP_DTYPE and KEEP_ANY ops: the others never see an integer input. */
    public long apply(long x) {
        if (onLongs == null) {
            throw new IllegalStateException(torchName + " on integers is promoted to float above the kernels");
        }
        return onLongs.applyAsLong(x);
    }
}
