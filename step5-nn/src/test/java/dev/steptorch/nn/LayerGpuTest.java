package dev.steptorch.nn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Device;
import dev.steptorch.tensor.GpuRequired;
import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.util.Map;
import java.util.function.Supplier;
import net.jqwik.api.Example;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * The layers are built from tensor ops only, so they run on the GPU unchanged: forward and
 * backward there agree with the CPU within float32 tolerance, for the same weights and inputs.
 */
@AddLifecycleHook(GpuRequired.class)
class LayerGpuTest {
    private static final double RTOL = 1e-4;
    private static final double ATOL = 1e-5;

    /**
     * Runs two copies of one layer (same state) on the CPU and the GPU; compares the outputs, the
     * gradients of sum(out * g) with respect to input and parameters, and the buffers afterwards.
     */
    private static void agrees(Supplier<Module> make, int... inputShape) {
        agrees(make, DType.FLOAT32, inputShape);
    }

    private static void agrees(Supplier<Module> make, DType dtype, int... inputShape) {
        Torch.manualSeed(7);
        Module cpu = make.get();
        Module gpu = make.get();
        gpu.loadStateDict(cpu.stateDict(), true);
        gpu.to(Device.GPU);

        Tensor x = Torch.randn(Options.dtype(dtype), inputShape).mul(2.0);
        Tensor xCpu = x.clone().requiresGrad_(true);
        Tensor xGpu = x.to(Device.GPU).requiresGrad_(true);
        Tensor outCpu = cpu.call(xCpu);
        Tensor outGpu = gpu.call(xGpu);
        assertThat(outGpu.device()).isEqualTo(Device.GPU);
        close(cpu + " output", outGpu, outCpu);

        Tensor g = Torch.randn(Options.dtype(dtype), outCpu.shape());
        outCpu.mul(g).sum().backward();
        outGpu.mul(g.to(Device.GPU)).sum().backward();
        close(cpu + " input gradient", xGpu.grad(), xCpu.grad());
        Map<String, Tensor> paramsGpu = gpu.namedParameters();
        cpu.namedParameters().forEach((name, p) -> close(cpu + " gradient of " + name, paramsGpu.get(name).grad(), p.grad()));
        Map<String, Tensor> buffersGpu = gpu.namedBuffers();
        cpu.namedBuffers().forEach((name, b) -> close(cpu + " buffer " + name, buffersGpu.get(name), b));
    }

    private static void close(String what, Tensor gpu, Tensor cpu) {
        assertThat(gpu).as(what).isNotNull();
        assertThat(gpu.shape()).as("shape of %s", what).containsExactly(cpu.shape());
        double[] expected = cpu.toDoubleArray();
        double[] actual = gpu.cpu().toDoubleArray();
        for (int i = 0; i < expected.length; i++) {
            assertThat(Math.abs(actual[i] - expected[i])).as("%s element %d: GPU %s, CPU %s", what, i, actual[i], expected[i])
                    .isLessThanOrEqualTo(ATOL + RTOL * Math.abs(expected[i]));
        }
    }

    @Example
    void conv2d() {
        agrees(() -> new Conv2d(3, 4, 3), 2, 3, 8, 7);
    }

    @Example
    void conv2dWithStrideAndPadding() {
        agrees(() -> new Conv2d(2, 3, 3, 2, 1), 2, 2, 7, 6);
    }

    @Example
    void conv2dInFloat64() {
        agrees(() -> new Conv2d(2, 3, new int[] {3, 2}, new int[] {1, 2}, new int[] {2, 1}, true,
                Options.dtype(DType.FLOAT64)), DType.FLOAT64, 2, 2, 5, 6);
    }

    @Example
    void maxPool2d() {
        agrees(() -> new MaxPool2d(2), 2, 3, 6, 8);
        agrees(() -> new MaxPool2d(3, 2, 1), 1, 2, 7, 5);
    }

    @Example
    void batchNorm2dInTrainingUpdatesTheSameRunningStatistics() {
        agrees(() -> new BatchNorm2d(3), 4, 3, 5, 5);
    }

    @Example
    void batchNorm2dInEval() {
        agrees(() -> {
            BatchNorm2d bn = new BatchNorm2d(3);
            bn.call(Torch.randn(4, 3, 2, 2).add(1.0));
            return bn.eval();
        }, 2, 3, 4, 4);
    }

    @Example
    void logSoftmax() {
        agrees(() -> new LogSoftmax(1), 4, 10);
    }

    @Example
    void theBlitzNet() {
        agrees(() -> new BlitzNet(1), 2, 1, 32, 32);
    }
}
