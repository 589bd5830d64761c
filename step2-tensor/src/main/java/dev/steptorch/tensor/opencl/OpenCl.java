package dev.steptorch.tensor.opencl;

/**
 * The OpenCL backend's public face: whether a usable device exists (what
 * {@code Device.isGpuAvailable()} answers, like {@code torch.cuda.is_available()}), why not, and
 * which device it is. Asking for the first time looks for an OpenCL platform and compiles the
 * tensor kernel (a second or two on PoCL); the answer is kept.
 */
public final class OpenCl {
    private OpenCl() {
    }

    /** True when an OpenCL device exists and the tensor kernel compiles for it. */
    public static boolean isAvailable() {
        return OpenClRuntime.isAvailable();
    }

    /** Why the GPU device is unavailable, with how to get one; null when it is available. */
    public static String unavailableReason() {
        return OpenClRuntime.isAvailable() ? null : OpenClRuntime.unavailableReason();
    }

    /** For example "OpenCL CPU pthread-skylake-avx512-AMD EPYC (The pocl project)". */
    public static String deviceDescription() {
        return OpenClRuntime.get().describe();
    }
}
