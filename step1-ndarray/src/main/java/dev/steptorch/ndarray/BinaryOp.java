package dev.steptorch.ndarray;

/**
 * The elementwise arithmetic of NDArray. Each op carries its own contiguous loops so that the JIT
 * sees a single, inlinable operation per loop and can vectorise it; a shared loop calling a virtual
 * {@code apply} would stay a call per element.
 */
enum BinaryOp {
    ADD("add") {
        double apply(double x, double y) { return x + y; }
        void run(double[] a, int ao, double[] b, int bo, double[] r, int ro, int n) {
            for (int i = 0; i < n; i++) r[ro + i] = a[ao + i] + b[bo + i];
        }
        void runScalar(double[] a, int ao, double s, double[] r, int ro, int n) {
            for (int i = 0; i < n; i++) r[ro + i] = a[ao + i] + s;
        }
    },
    SUB("subtract") {
        double apply(double x, double y) { return x - y; }
        void run(double[] a, int ao, double[] b, int bo, double[] r, int ro, int n) {
            for (int i = 0; i < n; i++) r[ro + i] = a[ao + i] - b[bo + i];
        }
        void runScalar(double[] a, int ao, double s, double[] r, int ro, int n) {
            for (int i = 0; i < n; i++) r[ro + i] = a[ao + i] - s;
        }
    },
    MUL("multiply") {
        double apply(double x, double y) { return x * y; }
        void run(double[] a, int ao, double[] b, int bo, double[] r, int ro, int n) {
            for (int i = 0; i < n; i++) r[ro + i] = a[ao + i] * b[bo + i];
        }
        void runScalar(double[] a, int ao, double s, double[] r, int ro, int n) {
            for (int i = 0; i < n; i++) r[ro + i] = a[ao + i] * s;
        }
    },
    DIV("divide") {
        double apply(double x, double y) { return x / y; }
        void run(double[] a, int ao, double[] b, int bo, double[] r, int ro, int n) {
            for (int i = 0; i < n; i++) r[ro + i] = a[ao + i] / b[bo + i];
        }
        void runScalar(double[] a, int ao, double s, double[] r, int ro, int n) {
            for (int i = 0; i < n; i++) r[ro + i] = a[ao + i] / s;
        }
    },
    MAXIMUM("maximum") {
        // NumPy's maximum propagates NaN, and so does Math.max.
        double apply(double x, double y) { return Math.max(x, y); }
        void run(double[] a, int ao, double[] b, int bo, double[] r, int ro, int n) {
            for (int i = 0; i < n; i++) r[ro + i] = Math.max(a[ao + i], b[bo + i]);
        }
        void runScalar(double[] a, int ao, double s, double[] r, int ro, int n) {
            for (int i = 0; i < n; i++) r[ro + i] = Math.max(a[ao + i], s);
        }
    },
    MINIMUM("minimum") {
        double apply(double x, double y) { return Math.min(x, y); }
        void run(double[] a, int ao, double[] b, int bo, double[] r, int ro, int n) {
            for (int i = 0; i < n; i++) r[ro + i] = Math.min(a[ao + i], b[bo + i]);
        }
        void runScalar(double[] a, int ao, double s, double[] r, int ro, int n) {
            for (int i = 0; i < n; i++) r[ro + i] = Math.min(a[ao + i], s);
        }
    };

    final String numpyName;

    BinaryOp(String numpyName) {
        this.numpyName = numpyName;
    }

    abstract double apply(double x, double y);

    /** {@code r[ro+i] = a[ao+i] op b[bo+i]} for i in 0..n-1. */
    abstract void run(double[] a, int ao, double[] b, int bo, double[] r, int ro, int n);

    /** {@code r[ro+i] = a[ao+i] op s} for i in 0..n-1. */
    abstract void runScalar(double[] a, int ao, double s, double[] r, int ro, int n);

    /** The dtype of {@code a op b}: true division of integers gives floats, as in NumPy. */
    DType resultType(DType a, DType b) {
        DType t = DType.promote(a, b);
        return this == DIV && !t.isFloating() ? DType.FLOAT64 : t;
    }
}
