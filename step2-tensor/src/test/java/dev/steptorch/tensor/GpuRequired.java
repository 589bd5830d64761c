package dev.steptorch.tensor;

import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

/**
 * Skips GPU tests, with the reason, on a machine without a usable OpenCL device, except in CI
 * ({@code CI=true}): there the tests run anyway and fail on the first use of the device, with the
 * message saying why it is unavailable, because CI installs PoCL precisely so that they run.
 * The one copy for every step's tests (step 2's test-jar).
 */
public final class GpuRequired implements SkipExecutionHook {
    @Override
    public SkipResult shouldBeSkipped(LifecycleContext context) {
        if (Device.isGpuAvailable() || runningInCi()) {
            return SkipResult.doNotSkip();
        }
        return SkipResult.skip("no usable OpenCL device (install pocl-opencl-icd to run these tests on the CPU)");
    }

    public static boolean runningInCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }
}
