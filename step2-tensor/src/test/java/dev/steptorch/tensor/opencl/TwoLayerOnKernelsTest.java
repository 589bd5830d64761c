package dev.steptorch.tensor.opencl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steptorch.tensor.GpuRequired;
import net.jqwik.api.Example;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * The two-layer network of the course on the GPU kernels, every tensor resident on the device:
 * the loss must fall, and one iteration may move only the loss value to the host.
 */
@AddLifecycleHook(GpuRequired.class)
class TwoLayerOnKernelsTest {
    @Example
    void theLossFallsAndOnlyTheLossCrossesToTheHost() {
        TwoLayerOnDevice net = new TwoLayerOnDevice(0);
        float first = net.step();
        for (int it = 0; it < 28; it++) {
            net.step();
        }
        OpenClStats.reset();
        float last = net.step();
        assertThat(last).isLessThan(first / 2);
        assertThat(OpenClStats.hostToDeviceBytes()).isZero();
        // the loss is one float, fetched through the smallest staging array (16 floats)
        assertThat(OpenClStats.deviceToHostBytes()).isEqualTo(16 * Float.BYTES);
        assertThat(OpenClStats.launches()).as("15 ops and the gather of the loss").isEqualTo(16);
    }
}
