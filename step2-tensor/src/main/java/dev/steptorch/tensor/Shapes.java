package dev.steptorch.tensor;

import java.util.Arrays;

/**
 * Shape arithmetic shared by every backend: PyTorch's broadcasting and dim wrapping, with its
 * messages; the stride arithmetic underneath is step 1's.
 */
public final class Shapes {
    private Shapes() {
    }

    public static int numel(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("tensor of shape " + Arrays.toString(shape)
                    + " has more than 2^31-1 elements, which StepTorch's int indexing cannot hold");
        }
        return (int) n;
    }

    /** Row-major strides of a fresh tensor: step 1's, since a tensor lays out memory as an NDArray does. */
    public static int[] contiguousStrides(int[] shape) {
        return dev.steptorch.ndarray.Shapes.contiguousStrides(shape);
    }

    /** A copy of {@code x} without the entry at {@code at}. */
    public static int[] remove(int[] x, int at) {
        return dev.steptorch.ndarray.Shapes.remove(x, at);
    }

    /** A copy of {@code x} with {@code value} inserted at {@code at}. */
    public static int[] insert(int[] x, int at, int value) {
        return dev.steptorch.ndarray.Shapes.insert(x, at, value);
    }

    /** PyTorch's broadcast rule; the message is PyTorch's, plus both shapes. */
    public static int[] broadcast(int[] a, int[] b) {
        int n = Math.max(a.length, b.length);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int da = i - (n - a.length) >= 0 ? a[i - (n - a.length)] : 1;
            int db = i - (n - b.length) >= 0 ? b[i - (n - b.length)] : 1;
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException("The size of tensor a (" + da
                        + ") must match the size of tensor b (" + db + ") at non-singleton dimension " + i
                        + " (shapes " + Arrays.toString(a) + " and " + Arrays.toString(b) + ")");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** Turns a possibly negative dim into 0..rank-1, with PyTorch's IndexError text. */
    public static int wrapDim(int dim, int rank) {
        int r = Math.max(rank, 1);
        if (dim < -r || dim >= r) {
            throw new IndexOutOfBoundsException("Dimension out of range (expected to be in range of ["
                    + (-r) + ", " + (r - 1) + "], but got " + dim + ")");
        }
        return dim < 0 ? dim + r : dim;
    }

    public static String str(int[] shape) {
        return Arrays.toString(shape);
    }

    /** Marks the reduced dims; no dims at all means every dim, as {@code x.sum()}. */
    static boolean[] dimMask(int[] dims, int rank) {
        boolean[] mask = new boolean[rank];
        if (dims.length == 0) {
            Arrays.fill(mask, true);
            return mask;
        }
        boolean[] seen = new boolean[Math.max(rank, 1)];
        for (int d : dims) {
            int w = wrapDim(d, rank);
            if (seen[w]) {
                throw new IllegalArgumentException("dim " + w + " appears multiple times in the list of dims");
            }
            seen[w] = true;
            if (rank > 0) {
                mask[w] = true;
            }
        }
        return mask;
    }
}
