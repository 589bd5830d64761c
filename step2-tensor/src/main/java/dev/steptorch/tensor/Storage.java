package dev.steptorch.tensor;

/**
 * A flat block of elements of one dtype on one device. Tensors are views onto a storage; views
 * made by view ops share their base's storage, and with it the version counter.
 *
 * <p>Every in-place write bumps the version, so a later step (autograd) can tell whether a tensor
 * it saved for backward was modified afterwards, as PyTorch does.
 */
public abstract class Storage {
    private final Device device;
    private final DType dtype;
    private final int size;
    private int version;

    protected Storage(Device device, DType dtype, int size) {
        this.device = device;
        this.dtype = dtype;
        this.size = size;
    }

    public final Device device() {
        return device;
    }

    public final DType dtype() {
        return dtype;
    }

    /** Number of elements. */
    public final int size() {
        return size;
    }

    public final int version() {
        return version;
    }

    public final void bumpVersion() {
        version++;
    }
}
