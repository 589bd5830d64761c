package dev.steptorch.tensor;

/**
 * Creation options, PyTorch's {@code dtype=, device=, requires_grad=} keywords:
 * {@code Options.dtype(DType.FLOAT64).withDevice(Device.GPU)}. Immutable.
 */
public final class Options {
    /** float32 on the CPU, no gradient. */
    public static final Options DEFAULT = new Options(null, Device.CPU, false);

    private final DType dtype;
    private final Device device;
    private final boolean requiresGrad;

    private Options(DType dtype, Device device, boolean requiresGrad) {
        this.dtype = dtype;
        this.device = device;
        this.requiresGrad = requiresGrad;
    }

    public static Options dtype(DType dtype) {
        return DEFAULT.withDtype(dtype);
    }

    public static Options device(Device device) {
        return DEFAULT.withDevice(device);
    }

    public static Options requiresGrad(boolean requiresGrad) {
        return DEFAULT.withRequiresGrad(requiresGrad);
    }

    public static Options of(DType dtype, Device device) {
        return new Options(dtype, device, false);
    }

    public Options withDtype(DType dtype) {
        return new Options(dtype, device, requiresGrad);
    }

    public Options withDevice(Device device) {
        return new Options(dtype, device, requiresGrad);
    }

    public Options withRequiresGrad(boolean requiresGrad) {
        return new Options(dtype, device, requiresGrad);
    }

    /** The dtype, or {@code fallback} when none was given (factories differ: arange infers). */
    public DType dtypeOr(DType fallback) {
        return dtype == null ? fallback : dtype;
    }

    public DType dtype() {
        return dtypeOr(DType.defaultFloat());
    }

    public Device device() {
        return device;
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }
}
