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
    COS("cos",  Rule.TO_FLOAT,   8, Math::cos,      null);

    /** How the result's dtype follows the input's. */
    public enum Rule {
        /** int64 stays int64 ({@code -x}, {@code abs}); bool is refused. */
        KEEP_DTYPE,
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
        if (input == DType.BOOL) {
            throw new IllegalArgumentException(this == NEG
                    ? "Negation, the `-` operator, on a bool tensor is not supported. "
                            + "If you are trying to invert a mask, use the `~` or `logical_not()` operator instead."
                    : "\"" + torchName + "_cpu\" not implemented for 'Bool'");
        }
        return input;
    }

    public double apply(double x) {
        return onDoubles.applyAsDouble(x);
    }

    /** Only for KEEP_DTYPE ops: the others never see an integer input. */
    public long apply(long x) {
        if (onLongs == null) {
            throw new IllegalStateException(torchName + " on integers is promoted to float above the kernels");
        }
        return onLongs.applyAsLong(x);
    }
}
