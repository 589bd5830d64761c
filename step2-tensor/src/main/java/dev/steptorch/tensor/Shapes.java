package dev.steptorch.tensor;

import java.util.Arrays;

/** Shape arithmetic shared by every backend: broadcasting, dim wrapping, contiguous strides. */
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

    /** Row-major strides of a fresh tensor. */
    public static int[] contiguousStrides(int[] shape) {
        int[] strides = new int[shape.length];
        int s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = s;
            s *= Math.max(shape[i], 1);
        }
        return strides;
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
}
