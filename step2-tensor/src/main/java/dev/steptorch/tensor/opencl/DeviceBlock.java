package dev.steptorch.tensor.opencl;

import java.lang.ref.Cleaner;

/**
 * A block of one dtype's device arena. When no storage, view or launch holds the block any more,
 * it goes back to the heap, so GPU memory follows Java's garbage collection as CPU tensors do
 * (PyTorch's caching allocator plays the same role for CUDA). The block itself is what the cleaner
 * watches, not the storage that owns it, so a kernel launch that still holds the block keeps the
 * memory even if the tensor it came from is already unreachable.
 */
final class DeviceBlock {
    private static final Cleaner CLEANER = Cleaner.create();

    final int type;
    final int offset;
    final int size;

    private DeviceBlock(int type, int offset, int size) {
        this.type = type;
        this.offset = offset;
        this.size = size;
    }

    /** Allocates a block of size elements of the given dtype code. */
    static DeviceBlock allocate(DeviceHeap heap, int type, int size) {
        int offset = heap.allocate(type, size);
        DeviceBlock block = new DeviceBlock(type, offset, size);
        CLEANER.register(block, () -> heap.release(type, offset, size));
        return block;
    }
}
