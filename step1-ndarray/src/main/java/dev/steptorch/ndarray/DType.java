package dev.steptorch.ndarray;

/**
 * The element types an {@link NDArray} can hold, named as NumPy names them. Each dtype owns one
 * kind of Java primitive array as storage; this enum is the only place that switches on it, so the
 * rest of the library can read and write any element as a double.
 */
public enum DType {
    /** 64-bit float over {@code double[]}: NumPy's default, and the one the fast kernels target. */
    FLOAT64("float64"),
    /** 32-bit float over {@code float[]}: what step 2's tensors use by default. */
    FLOAT32("float32"),
    /** 64-bit integer over {@code long[]}: what {@code arange(n)} and {@code argmax} give. */
    INT64("int64"),
    /** Booleans over {@code boolean[]}: the masks that comparisons return. */
    BOOL("bool");

    private final String numpyName;

    DType(String numpyName) {
        this.numpyName = numpyName;
    }

    /** The NumPy spelling, e.g. {@code float64}. */
    public String numpyName() {
        return numpyName;
    }

    @Override
    public String toString() {
        return numpyName;
    }

    public boolean isFloating() {
        return this == FLOAT64 || this == FLOAT32;
    }

    /** A fresh zeroed storage array of this dtype. */
    Object allocate(int n) {
        switch (this) {
            case FLOAT64: return new double[n];
            case FLOAT32: return new float[n];
            case INT64: return new long[n];
            default: return new boolean[n];
        }
    }

    /** Reads element {@code i} of storage {@code data} as a double (true is 1). */
    double get(Object data, int i) {
        switch (this) {
            case FLOAT64: return ((double[]) data)[i];
            case FLOAT32: return ((float[]) data)[i];
            case INT64: return ((long[]) data)[i];
            default: return ((boolean[]) data)[i] ? 1 : 0;
        }
    }

    /** Writes {@code v} into element {@code i}, casting as NumPy's {@code astype} does. */
    void set(Object data, int i, double v) {
        switch (this) {
            case FLOAT64: ((double[]) data)[i] = v; break;
            case FLOAT32: ((float[]) data)[i] = (float) v; break;
            case INT64: ((long[]) data)[i] = (long) v; break;
            default: ((boolean[]) data)[i] = v != 0;
        }
    }

    /** The dtype of a storage array, or null if it is not one NDArray can hold. */
    static DType ofStorage(Object data) {
        if (data instanceof double[]) return FLOAT64;
        if (data instanceof float[]) return FLOAT32;
        if (data instanceof long[]) return INT64;
        if (data instanceof boolean[]) return BOOL;
        return null;
    }

    static int length(Object data) {
        return java.lang.reflect.Array.getLength(data);
    }

    /**
     * NumPy's type promotion for two arrays: the "larger" kind wins (bool &lt; int64 &lt; float32 &lt;
     * float64), and int64 with float32 gives float64, as in NumPy. One simplification: arithmetic on
     * two bool arrays gives int64 here, where NumPy's {@code bool + bool} is a logical or.
     */
    static DType promote(DType a, DType b) {
        if (a == b) return a == BOOL ? INT64 : a;
        if (a == FLOAT64 || b == FLOAT64) return FLOAT64;
        if (a == FLOAT32 || b == FLOAT32) return (a == INT64 || b == INT64) ? FLOAT64 : FLOAT32;
        return INT64;
    }

    /** The dtype an array keeps when combined with a Java double (NumPy's Python-float rule). */
    static DType promoteWithScalar(DType a) {
        return a.isFloating() ? a : FLOAT64;
    }
}
