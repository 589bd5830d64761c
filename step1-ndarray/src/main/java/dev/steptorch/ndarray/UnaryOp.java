package dev.steptorch.ndarray;

/** Elementwise functions of one array (NumPy's unary ufuncs). They always produce floats. */
enum UnaryOp {
    NEGATIVE("negative") { double apply(double x) { return -x; } },
    SQUARE("square") { double apply(double x) { return x * x; } },
    SQRT("sqrt") { double apply(double x) { return Math.sqrt(x); } },
    EXP("exp") { double apply(double x) { return Math.exp(x); } },
    LOG("log") { double apply(double x) { return Math.log(x); } },
    ABS("absolute") { double apply(double x) { return Math.abs(x); } };

    final String numpyName;

    UnaryOp(String numpyName) {
        this.numpyName = numpyName;
    }

    abstract double apply(double x);

    /** NumPy keeps the dtype for negative, square and absolute of integers; the others give floats. */
    DType resultType(DType in) {
        boolean keepsInts = this == NEGATIVE || this == SQUARE || this == ABS;
        if (in == DType.BOOL) {
            return keepsInts ? DType.INT64 : DType.FLOAT64;
        }
        return in.isFloating() || keepsInts ? in : DType.FLOAT64;
    }
}
