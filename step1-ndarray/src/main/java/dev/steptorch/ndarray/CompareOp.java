package dev.steptorch.ndarray;

/** Elementwise comparisons; each gives a BOOL mask, as NumPy's {@code <}, {@code ==}, ... do. */
enum CompareOp {
    LESS("less") { boolean test(double x, double y) { return x < y; } },
    LESS_EQUAL("less_equal") { boolean test(double x, double y) { return x <= y; } },
    GREATER("greater") { boolean test(double x, double y) { return x > y; } },
    GREATER_EQUAL("greater_equal") { boolean test(double x, double y) { return x >= y; } },
    EQUAL("equal") { boolean test(double x, double y) { return x == y; } },
    NOT_EQUAL("not_equal") { boolean test(double x, double y) { return x != y; } };

    final String numpyName;

    CompareOp(String numpyName) {
        this.numpyName = numpyName;
    }

    abstract boolean test(double x, double y);
}
