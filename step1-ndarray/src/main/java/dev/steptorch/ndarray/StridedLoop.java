package dev.steptorch.ndarray;

/**
 * Walks the index space of a shape in C order for several operands at once, each with its own
 * strides. The innermost axis is handed to the caller as a whole row (start offsets plus a length),
 * so the per-element work stays a plain counted loop and the odometer arithmetic runs once per row.
 */
final class StridedLoop {
    private StridedLoop() {
    }

    /** Receives one innermost row: the start offset of each operand and the row length. */
    interface Row {
        void run(int[] offsets, int length);
    }

    /**
     * Calls {@code row} once per innermost row of {@code shape}. {@code strides[k]} and
     * {@code starts[k]} describe operand k; a 0-d shape is one row of length 1.
     */
    static void rows(int[] shape, int[][] strides, int[] starts, Row row) {
        int ndim = shape.length;
        int operands = starts.length;
        int[] offsets = starts.clone();
        if (ndim == 0) {
            row.run(offsets, 1);
            return;
        }
        for (int d : shape) {
            if (d == 0) {
                return;
            }
        }
        int inner = shape[ndim - 1];
        int[] counter = new int[ndim];
        while (true) {
            row.run(offsets, inner);
            // Advance the odometer over the outer axes; each wheel that rolls over rewinds its offsets.
            int axis = ndim - 2;
            while (axis >= 0) {
                counter[axis]++;
                for (int k = 0; k < operands; k++) {
                    offsets[k] += strides[k][axis];
                }
                if (counter[axis] < shape[axis]) {
                    break;
                }
                for (int k = 0; k < operands; k++) {
                    offsets[k] -= strides[k][axis] * shape[axis];
                }
                counter[axis] = 0;
                axis--;
            }
            if (axis < 0) {
                return;
            }
        }
    }

    /** The stride of the innermost axis, or 0 for a 0-d array. */
    static int innerStride(int[] strides) {
        return strides.length == 0 ? 0 : strides[strides.length - 1];
    }
}
