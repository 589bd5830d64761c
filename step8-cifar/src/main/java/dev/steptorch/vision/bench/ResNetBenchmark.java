package dev.steptorch.vision.bench;

import dev.steptorch.nn.CrossEntropyLoss;
import dev.steptorch.optim.SGD;
import dev.steptorch.tensor.Device;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import dev.steptorch.vision.models.ResNet;
import java.util.Arrays;
import java.util.Locale;

/**
 * One training step of ResNet-18 on the CPU, to set beside {@code bench/resnet_torch.py}:
 * a batch of 16 images of 224 x 224, forward, cross-entropy, backward, SGD (lr 0.001, momentum
 * 0.9), on tensors made once (no loading), so only the network is timed.
 *
 * <p>Usage: {@code ResNetBenchmark [STEPS] [WARMUP] [--batch N] [--size S] [--frozen]}; {@code --frozen}
 * times the tutorial's fixed feature extractor instead (all frozen but fc). Prints
 * {@code step_seconds_median M}, {@code step_seconds_min S} and {@code cpu_seconds_median C} (process CPU
 * time, all threads), the lines the Python script prints.
 */
public final class ResNetBenchmark {
    private ResNetBenchmark() {
    }

    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int batch = 16;
        int size = 224;
        boolean frozen = false;
        for (int i = 2; i < args.length; i++) {
            switch (args[i]) {
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--size" -> size = Integer.parseInt(args[++i]);
                case "--frozen" -> frozen = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Torch.manualSeed(0);
        ResNet model = ResNet.resnet18();
        if (frozen) {
            model.requiresGrad_(false);
            model.setModule("fc", new dev.steptorch.nn.Linear(model.fc().inFeatures(), 2));
        }
        model.to(Device.CPU).train();
        SGD optimizer = new SGD(frozen ? model.fc().parameters() : model.parameters(), SGD.defaults().lr(0.001).momentum(0.9));
        CrossEntropyLoss criterion = new CrossEntropyLoss();
        Tensor x = Torch.randn(batch, 3, size, size);
        long[] labels = new long[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = i % (frozen ? 2 : 1000);
        }
        Tensor y = Torch.tensor(labels);
        double[] times = new double[steps];
        double[] cpu = new double[steps];
        // CPU time too: on a shared machine the wall clock also measures the neighbours
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        for (int s = -warmup; s < steps; s++) {
            long c0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            optimizer.zeroGrad();
            Tensor loss = criterion.call(model.call(x), y);
            loss.backward();
            optimizer.step();
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (s >= 0) {
                times[s] = seconds;
                cpu[s] = (os.getProcessCpuTime() - c0) / 1e9;
            }
            System.err.printf(Locale.ROOT, "step %d: %.3f s, loss %.4f%n", s, seconds, loss.item());
        }
        Arrays.sort(times);
        Arrays.sort(cpu);
        System.out.printf(Locale.ROOT, "step_seconds_median %.4f%nstep_seconds_min %.4f%ncpu_seconds_median %.4f%n",
                times[steps / 2], times[0], cpu[steps / 2]);
    }
}
