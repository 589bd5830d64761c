package dev.steptorch.tensor;

/**
 * Where a tensor's data lives: the CPU, or a GPU reached through OpenCL (Aparapi).
 *
 * <p>{@link #isGpuAvailable()} plays the role of {@code torch.cuda.is_available()}.
 */
public enum Device {
    CPU("cpu"),
    GPU("gpu");

    private final String name;

    Device(String name) {
        this.name = name;
    }

    /** True when an OpenCL platform with a usable device was found. */
    public static boolean isGpuAvailable() {
        return Dispatcher.gpuAvailable();
    }

    @Override
    public String toString() {
        return name;
    }
}
