package dev.steptorch.tensor.opencl;

import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Device;
import dev.steptorch.tensor.Storage;

/**
 * The storage of a GPU tensor: a block of its dtype's device arena. The elements never live on
 * the host; reading them means a download through {@code cpu()}, {@code item()} or printing.
 */
final class OpenClStorage extends Storage {
    final DeviceBlock block;

    OpenClStorage(DType dtype, int size, DeviceHeap heap) {
        super(Device.GPU, dtype, size);
        this.block = DeviceBlock.allocate(heap, OpenClBackend.code(dtype), size);
    }
}
