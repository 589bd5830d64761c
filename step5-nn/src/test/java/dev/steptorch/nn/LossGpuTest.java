package dev.steptorch.nn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steptorch.serialization.Safetensors;
import dev.steptorch.tensor.Device;
import dev.steptorch.tensor.GpuRequired;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import net.jqwik.api.Example;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * The losses are made of tensor ops, so they run on the GPU unchanged (the one-hot mask of
 * NLL included): values and input gradients there match the CPU's. State dicts of a model on
 * the GPU save to and load from files like any other.
 */
@AddLifecycleHook(GpuRequired.class)
class LossGpuTest {
    private static void agrees(String loss, Tensor input, Tensor target) {
        for (Reduction reduction : Reduction.values()) {
            Tensor xCpu = input.clone().requiresGrad_(true);
            Tensor xGpu = input.to(Device.GPU).requiresGrad_(true);
            Tensor outCpu = LossReferenceTest.lossModule(loss, reduction).call(xCpu, target);
            Tensor outGpu = LossReferenceTest.lossModule(loss, reduction).call(xGpu, target.to(Device.GPU));
            assertThat(outGpu.device()).isEqualTo(Device.GPU);
            close(loss + " " + reduction + " output", outGpu, outCpu);
            Tensor g = Torch.rand(outCpu.shape()).add(0.5);
            outCpu.backward(g);
            outGpu.backward(g.to(Device.GPU));
            close(loss + " " + reduction + " grad", xGpu.grad(), xCpu.grad());
        }
    }

    private static void close(String what, Tensor gpu, Tensor cpu) {
        assertThat(gpu.cpu().allclose(cpu, 1e-4, 1e-5))
                .as("%s: GPU %s vs CPU %s", what, Arrays.toString(gpu.toFloatArray()), Arrays.toString(cpu.toFloatArray()))
                .isTrue();
    }

    @Example
    void mseLoss() {
        Torch.manualSeed(1);
        agrees("MSELoss", Torch.randn(4, 5), Torch.randn(4, 5));
    }

    @Example
    void nllLoss() {
        Torch.manualSeed(2);
        agrees("NLLLoss", Torch.randn(6, 4), Torch.tensor(new long[] {0, 3, 1, 3, 2, 2}));
    }

    @Example
    void crossEntropyLoss() {
        Torch.manualSeed(3);
        agrees("CrossEntropyLoss", Torch.randn(6, 4).mul(5.0), Torch.tensor(new long[] {0, 3, 1, 3, 2, 2}));
    }

    @Example
    void bceLoss() {
        Torch.manualSeed(4);
        agrees("BCELoss", Torch.rand(3, 4).mul(0.9).add(0.05), Torch.rand(3, 4));
    }

    @Example
    void stateDictOfAGpuModelRoundTripsThroughAFile() throws IOException {
        Torch.manualSeed(5);
        Sequential onGpu = new Sequential(new Linear(4, 3), new ReLU(), new Linear(3, 2));
        onGpu.to(Device.GPU);
        Path dir = Files.createTempDirectory("steptorch-gpu");
        try {
            Path file = dir.resolve("gpu.safetensors");
            Checkpoints.saveStateDict(onGpu, file);
            Map<String, Tensor> back = Safetensors.load(file);
            assertThat(back.get("0.weight").device()).isEqualTo(Device.CPU);
            assertThat(back.get("0.weight").toFloatArray()).containsExactly(onGpu.stateDict().get("0.weight").toFloatArray());

            Torch.manualSeed(6);
            Sequential other = new Sequential(new Linear(4, 3), new ReLU(), new Linear(3, 2));
            other.to(Device.GPU);
            Checkpoints.loadStateDict(other, file, true);
            Tensor x = Torch.randn(5, 4).to(Device.GPU);
            assertThat(other.call(x).toFloatArray()).containsExactly(onGpu.call(x).toFloatArray());
            assertThat(other.parameters()).allMatch(p -> p.device() == Device.GPU);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }
}
