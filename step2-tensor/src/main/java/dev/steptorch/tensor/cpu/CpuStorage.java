package dev.steptorch.tensor.cpu;

import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Device;
import dev.steptorch.tensor.Storage;

/**
 * The storage of a CPU tensor: one Java primitive array ({@code float[]}, {@code double[]},
 * {@code long[]} or {@code boolean[]}). It is also what the NumPy bridge shares with step1's
 * NDArray, which keeps its elements in the same kinds of arrays.
 */
public final class CpuStorage extends Storage {
    private final Object array;

    public CpuStorage(DType dtype, int size) {
        this(dtype, allocate(dtype, size));
    }

    private CpuStorage(DType dtype, Object array) {
        super(Device.CPU, dtype, java.lang.reflect.Array.getLength(array));
        this.array = array;
    }

    /** A storage over an existing array, sharing it. */
    public static CpuStorage over(Object array) {
        return new CpuStorage(dtypeOf(array), array);
    }

    private static Object allocate(DType dtype, int size) {
        switch (dtype) {
            case FLOAT32: return new float[size];
            case FLOAT64: return new double[size];
            case INT64: return new long[size];
            default: return new boolean[size];
        }
    }

    private static DType dtypeOf(Object array) {
        if (array instanceof float[]) {
            return DType.FLOAT32;
        }
        if (array instanceof double[]) {
            return DType.FLOAT64;
        }
        if (array instanceof long[]) {
            return DType.INT64;
        }
        if (array instanceof boolean[]) {
            return DType.BOOL;
        }
        throw new IllegalArgumentException("a CPU storage holds float[], double[], long[] or boolean[], not "
                + (array == null ? "null" : array.getClass().getSimpleName()));
    }

    /** The array itself, not a copy. */
    public Object array() {
        return array;
    }

    public double getDouble(int i) {
        switch (dtype()) {
            case FLOAT32: return ((float[]) array)[i];
            case FLOAT64: return ((double[]) array)[i];
            case INT64: return ((long[]) array)[i];
            default: return ((boolean[]) array)[i] ? 1 : 0;
        }
    }

    public long getLong(int i) {
        return dtype() == DType.INT64 ? ((long[]) array)[i] : (long) getDouble(i);
    }

    public void setDouble(int i, double v) {
        switch (dtype()) {
            case FLOAT32: ((float[]) array)[i] = (float) v; break;
            case FLOAT64: ((double[]) array)[i] = v; break;
            case INT64: ((long[]) array)[i] = (long) v; break;
            default: ((boolean[]) array)[i] = v != 0;
        }
    }

    public void setLong(int i, long v) {
        if (dtype() == DType.INT64) {
            ((long[]) array)[i] = v;
        } else {
            setDouble(i, v);
        }
    }
}
