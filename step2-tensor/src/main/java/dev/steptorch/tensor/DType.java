package dev.steptorch.tensor;

/**
 * The element types a tensor can hold, with PyTorch's type-promotion rules.
 *
 * <p>Promotion works on categories (bool &lt; integer &lt; floating point) and, inside a category,
 * on size. {@link #resultType} adds PyTorch's "weak" operands: a 0-dim tensor or a Java number
 * only raises the result when it belongs to a higher category than the dimensioned operands.
 */
public enum DType {
    FLOAT32("torch.float32", "Float", 1, 4),
    FLOAT64("torch.float64", "Double", 2, 8),
    INT64("torch.int64", "Long", 1, 8),
    BOOL("torch.bool", "Bool", 0, 1);

    private final String torchName;
    private final String scalarName;
    private final int rankInCategory;
    private final int itemSize;

    DType(String torchName, String scalarName, int rankInCategory, int itemSize) {
        this.torchName = torchName;
        this.scalarName = scalarName;
        this.rankInCategory = rankInCategory;
        this.itemSize = itemSize;
    }

    /** The default dtype of floating-point creation ({@code torch.get_default_dtype()}). */
    public static DType defaultFloat() {
        return FLOAT32;
    }

    public boolean isFloatingPoint() {
        return this == FLOAT32 || this == FLOAT64;
    }

    /** 0 for bool, 1 for integers, 2 for floating point. */
    public int category() {
        return this == BOOL ? 0 : this == INT64 ? 1 : 2;
    }

    /** Bytes per element, as {@code tensor.element_size()}. */
    public int itemSize() {
        return itemSize;
    }

    /** The name PyTorch's error messages use, e.g. "Float", "Long". */
    public String scalarName() {
        return scalarName;
    }

    /** The smallest dtype that can hold values of both, as {@code torch.promote_types}. */
    public static DType promote(DType a, DType b) {
        // BEGIN SOLUTION step2.promote-types
        if (a == b) {
            return a;
        }
        if (a.category() != b.category()) {
            return a.category() > b.category() ? a : b;
        }
        return a.rankInCategory >= b.rankInCategory ? a : b;
        // END SOLUTION
    }

    /**
     * The dtype of an op's result, as {@code torch.result_type}: dimensioned tensors decide;
     * 0-dim tensors and then Java numbers only count when their category is higher.
     */
    public static DType resultType(Tensor... operands) {
        DType dim = null;
        DType zeroDim = null;
        DType wrapped = null;
        for (Tensor t : operands) {
            if (t.isWrappedNumber()) {
                DType w = t.dtype() == FLOAT64 ? defaultFloat() : t.dtype();
                wrapped = wrapped == null ? w : promote(wrapped, w);
            } else if (t.dim() == 0) {
                zeroDim = zeroDim == null ? t.dtype() : promote(zeroDim, t.dtype());
            } else {
                dim = dim == null ? t.dtype() : promote(dim, t.dtype());
            }
        }
        DType result = dim;
        if (zeroDim != null) {
            result = result == null || zeroDim.category() > result.category()
                    ? (result == null ? zeroDim : promoteToCategory(result, zeroDim)) : result;
        }
        if (wrapped != null) {
            result = result == null || wrapped.category() > result.category()
                    ? (result == null ? wrapped : promoteToCategory(result, wrapped)) : result;
        }
        return result;
    }

    private static DType promoteToCategory(DType current, DType higher) {
        return higher;
    }

    @Override
    public String toString() {
        return torchName;
    }
}
