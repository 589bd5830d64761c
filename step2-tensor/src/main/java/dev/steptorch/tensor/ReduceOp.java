package dev.steptorch.tensor;

/**
 * The reductions over a set of dims. Each constant is one row: PyTorch's name, how its result's
 * dtype follows the input's, and the op code of its branch in the OpenCL kernel. A kernel reduces
 * one dim at a time; mean is the sum divided by the count, so it has no kernel of its own.
 */
public enum ReduceOp {
    //   PyTorch  GPU   dtype rule
    SUM("sum",   30,   Rule.WIDEN_INTEGERS),
    PROD("prod", 36,   Rule.WIDEN_INTEGERS),
    MEAN("mean", 30,   Rule.FLOAT_ONLY),
    MAX("amax",  31,   Rule.KEEP_DTYPE),
    MIN("amin",  32,   Rule.KEEP_DTYPE);

    /** How the result's dtype follows the input's. */
    public enum Rule {
        /** Integer and bool inputs sum (and multiply) to int64, as {@code torch.sum} and {@code torch.prod} do. */
        WIDEN_INTEGERS,
        /** Floating-point inputs only. */
        FLOAT_ONLY,
        KEEP_DTYPE
    }

    private final String torchName;
    private final int kernelCode;
    private final Rule rule;

    ReduceOp(String torchName, int kernelCode, Rule rule) {
        this.torchName = torchName;
        this.kernelCode = kernelCode;
        this.rule = rule;
    }

    public String torchName() {
        return torchName;
    }

    /** The {@code fn} value of the kernel branch that reduces one dim. */
    public int kernelCode() {
        return kernelCode;
    }

    public DType resultType(DType input) {
        return switch (rule) {
            case WIDEN_INTEGERS -> input.isFloatingPoint() ? input : DType.INT64;
            case FLOAT_ONLY -> {
                if (!input.isFloatingPoint()) {
                    throw new IllegalArgumentException(torchName + "(): could not infer output dtype. Input dtype must be "
                            + "either a floating point or complex dtype. Got: " + input.scalarName());
                }
                yield input;
            }
            case KEEP_DTYPE -> input;
        };
    }
}
