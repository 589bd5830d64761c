package dev.steptorch.tensor.opencl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.steptorch.tensor.GpuRequired;
import net.jqwik.api.Example;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * In CI (CI=true, PoCL installed) the OpenCL device must be there: this fails, saying why, if it is
 * not. Elsewhere it is skipped with the reason when there is no OpenCL.
 */
@AddLifecycleHook(GpuRequired.class)
class GpuAvailabilityTest {
    @Example
    void theOpenClDeviceIsUsable() {
        assertThatCode(OpenClRuntime::get).doesNotThrowAnyException();
        assertThat(OpenClRuntime.isAvailable()).isTrue();
        assertThat(OpenClRuntime.unavailableReason()).isNull();
        assertThat(OpenClRuntime.get().describe()).startsWith("OpenCL ");
    }
}
