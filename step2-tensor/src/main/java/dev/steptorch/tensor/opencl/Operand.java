package dev.steptorch.tensor.opencl;

/**
 * One tensor argument of a launch: where its elements start in its dtype's arena (or staging
 * array) and how far apart they are along each dimension of the launch's iteration shape. A stride
 * of 0 repeats an element, which is how broadcasting reaches the kernel.
 *
 * @param type    dtype code of {@link TensorKernel} (F32, F64, I64, BOOL, or STAGE + one of them)
 * @param offset  element offset of the first element
 * @param strides element strides, one per dimension of the iteration shape
 */
record Operand(int type, int offset, int[] strides) {
    /**
     * A tensor of the given shape and strides read over a (broadcast) iteration shape: dimensions
     * are aligned from the right, and a dimension the tensor lacks or has as 1 gets stride 0.
     */
    static Operand broadcast(int type, int offset, int[] shape, int[] strides, int[] target) {
        int[] out = new int[target.length];
        int lead = target.length - shape.length;
        for (int d = 0; d < shape.length; d++) {
            out[lead + d] = shape[d] == 1 && target[lead + d] != 1 ? 0 : strides[d];
        }
        return new Operand(type, offset, out);
    }

    /** A contiguous row-major operand of the given shape. */
    static Operand contiguous(int type, int offset, int[] shape) {
        int[] strides = new int[shape.length];
        int s = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            strides[d] = s;
            s *= shape[d];
        }
        return new Operand(type, offset, strides);
    }
}
