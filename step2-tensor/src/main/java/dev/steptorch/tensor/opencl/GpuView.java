package dev.steptorch.tensor.opencl;

/**
 * A strided window on a device block: what a GPU tensor is to the kernels. The shape and strides
 * are the tensor's own; {@link #over(int[])} lines it up with an op's (broadcast) iteration shape.
 *
 * @param block   the device block of the tensor's storage
 * @param shape   the tensor's shape
 * @param strides the tensor's strides, in elements
 * @param offset  the tensor's first element, relative to the block
 */
record GpuView(DeviceBlock block, int[] shape, int[] strides, int offset) {
    int type() {
        return block.type;
    }

    int numel() {
        return Launcher.numel(shape);
    }

    /** The operand that walks this view over the given iteration shape, broadcasting as needed. */
    Operand over(int[] target) {
        return Operand.broadcast(block.type, block.offset + offset, shape, strides, target);
    }

    /** The operand that walks this view over its own shape. */
    Operand operand() {
        return new Operand(block.type, block.offset + offset, strides);
    }
}
