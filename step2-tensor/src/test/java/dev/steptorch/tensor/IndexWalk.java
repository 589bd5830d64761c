package dev.steptorch.tensor;

/**
 * Index arithmetic for the explicit loops the properties compare the library with, kept apart
 * from the library's own so that the oracle does not share its code.
 */
final class IndexWalk {
    private IndexWalk() {
    }

    static int numel(int[] shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        return n;
    }

    /** Strides of a row-major array of {@code shape} (size-0 dims count as 1). */
    static int[] rowMajorStrides(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            s[d] = acc;
            acc *= Math.max(1, shape[d]);
        }
        return s;
    }

    /** The row-major position of {@code idx} in {@code shape}. */
    static int rowMajor(int[] idx, int[] shape) {
        int p = 0;
        for (int d = 0; d < shape.length; d++) {
            p = p * shape[d] + idx[d];
        }
        return p;
    }

    /** Steps {@code idx} to the next index of {@code shape} in row-major order (wrapping to zeros at the end). */
    static void next(int[] idx, int[] shape) {
        for (int d = shape.length - 1; d >= 0; d--) {
            if (++idx[d] < shape[d]) {
                return;
            }
            idx[d] = 0;
        }
    }
}
