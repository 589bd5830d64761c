package dev.steptorch.ndarray;

/** Folds one strided run of elements to a value: the kernels behind sum, max, min and argmax. */
enum Reduction {
    /**
     * NumPy's pairwise summation: eight running sums over blocks of up to 128 elements, halves
     * above that. The rounding error grows like log n instead of n, and the results agree with
     * NumPy's {@code sum} to the last bit for contiguous and last-axis sums.
     */
    SUM("sum") {
        double reduce(DType t, Object data, int off, int stride, int n) {
            if (t == DType.FLOAT64) {
                return pairwise((double[]) data, off, stride, n);
            }
            double s = 0;
            for (int i = 0; i < n; i++) s += t.get(data, off + i * stride);
            return s;
        }

        private double pairwise(double[] a, int off, int stride, int n) {
            if (n < 8) {
                double s = 0;
                for (int i = 0; i < n; i++) s += a[off + i * stride];
                return s;
            }
            if (n <= 128) {
                double r0 = a[off], r1 = a[off + stride], r2 = a[off + 2 * stride], r3 = a[off + 3 * stride];
                double r4 = a[off + 4 * stride], r5 = a[off + 5 * stride], r6 = a[off + 6 * stride], r7 = a[off + 7 * stride];
                int i = 8;
                for (; i < n - n % 8; i += 8) {
                    int p = off + i * stride;
                    r0 += a[p];
                    r1 += a[p + stride];
                    r2 += a[p + 2 * stride];
                    r3 += a[p + 3 * stride];
                    r4 += a[p + 4 * stride];
                    r5 += a[p + 5 * stride];
                    r6 += a[p + 6 * stride];
                    r7 += a[p + 7 * stride];
                }
                double s = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
                for (; i < n; i++) s += a[off + i * stride];
                return s;
            }
            int half = n / 2;
            half -= half % 8;
            return pairwise(a, off, stride, half) + pairwise(a, off + half * stride, stride, n - half);
        }
    },
    MAX("max") {
        double reduce(DType t, Object data, int off, int stride, int n) {
            double best = t.get(data, off);
            for (int i = 1; i < n; i++) best = Math.max(best, t.get(data, off + i * stride));
            return best;
        }
    },
    MIN("min") {
        double reduce(DType t, Object data, int off, int stride, int n) {
            double best = t.get(data, off);
            for (int i = 1; i < n; i++) best = Math.min(best, t.get(data, off + i * stride));
            return best;
        }
    },
    /** The index of the first largest element; a NaN counts as largest, as in NumPy. */
    ARGMAX("argmax") {
        double reduce(DType t, Object data, int off, int stride, int n) {
            int arg = 0;
            double best = t.get(data, off);
            for (int i = 1; i < n && !Double.isNaN(best); i++) {
                double v = t.get(data, off + i * stride);
                if (v > best || Double.isNaN(v)) {
                    best = v;
                    arg = i;
                }
            }
            return arg;
        }
    };

    final String numpyName;

    Reduction(String numpyName) {
        this.numpyName = numpyName;
    }

    /** Folds {@code data[off + i*stride]} for i in 0..n-1. */
    abstract double reduce(DType t, Object data, int off, int stride, int n);

    /** Sums need no identity; the others fail on an empty run, with NumPy's message. */
    void checkNotEmpty(int n) {
        if (n == 0 && this != SUM) {
            String ufunc = this == MAX ? "maximum" : this == MIN ? "minimum" : numpyName;
            throw new IllegalArgumentException(numpyName + ": zero-size array to reduction operation " + ufunc
                    + " which has no identity");
        }
    }

    DType resultType(DType in) {
        if (this == ARGMAX) return DType.INT64;
        if (this == SUM) return in.isFloating() ? in : DType.INT64;
        return in;
    }
}
