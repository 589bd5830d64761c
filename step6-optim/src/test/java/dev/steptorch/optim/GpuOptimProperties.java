package dev.steptorch.optim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Device;
import dev.steptorch.tensor.GpuRequired;
import dev.steptorch.tensor.Tensor;
import java.util.List;
import net.jqwik.api.Example;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * The optimizers are written with tensor ops only, so they run where the parameters live: on the
 * GPU, ten float32 steps match the same ten steps on the CPU, and the state stays on the GPU.
 */
@AddLifecycleHook(GpuRequired.class)
class GpuOptimProperties {
    private static final double RTOL = 1e-4;
    private static final double ATOL = 1e-5;

    private static void gpuMatchesCpu(String caseName) {
        OptimReference.Case c = OptimReference.get().cases.get(caseName);
        TinyProblem cpu = new TinyProblem(DType.FLOAT32, Device.CPU);
        TinyProblem gpu = new TinyProblem(DType.FLOAT32, Device.GPU);
        assertThat(gpu.w.device()).isEqualTo(Device.GPU);
        Optimizer onGpu = Optimizers.make(c, gpu.params());
        List<double[][]> expected = cpu.train(Optimizers.make(c, cpu.params()), 10);
        Trajectories.assertClose(gpu.train(onGpu, 10), expected, RTOL, ATOL);
        for (Object value : onGpu.state(gpu.w).values()) {
            if (value instanceof Tensor t && t.numel() > 1) {
                assertThat(t.device()).as(caseName).isEqualTo(Device.GPU);
            }
        }
    }

    @Example
    void sgdWithMomentumOnTheGpuMatchesTheCpu() {
        gpuMatchesCpu("sgd_momentum");
        gpuMatchesCpu("sgd_nesterov");
    }

    @Example
    void adamOnTheGpuMatchesTheCpu() {
        gpuMatchesCpu("adam_lr");
        gpuMatchesCpu("adam_amsgrad");
    }

    @Example
    void stateSavedOnTheCpuIsLoadedOntoTheGpu() {
        OptimReference.Case c = OptimReference.get().cases.get("adam_weight_decay");
        TinyProblem cpu = new TinyProblem(DType.FLOAT32, Device.CPU);
        Optimizer cpuAdam = Optimizers.make(c, cpu.params());
        cpu.train(cpuAdam, 5);

        TinyProblem gpu = new TinyProblem(DType.FLOAT32, Device.GPU);
        gpu.copyWeightsFrom(cpu);
        Optimizer gpuAdam = Optimizers.make(c, gpu.params());
        gpuAdam.loadStateDict(cpuAdam.stateDict());
        assertThat(((Tensor) gpuAdam.state(gpu.w).get("exp_avg")).device()).isEqualTo(Device.GPU);
        assertThat(((Tensor) gpuAdam.state(gpu.w).get("step")).device()).isEqualTo(Device.CPU);

        Trajectories.assertClose(gpu.train(gpuAdam, 5), cpu.train(cpuAdam, 5), RTOL, ATOL);
    }
}
