package dev.steptorch.tensor.bench;

import dev.steptorch.cli.Cli;
import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Device;
import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import dev.steptorch.tensor.opencl.OpenCl;
import dev.steptorch.tensor.opencl.OpenClStats;
import java.util.Arrays;
import java.util.function.DoubleSupplier;

/**
 * The Java half of {@code bench/run.sh}, which runs the same measurements in PyTorch
 * ({@code bench/tensor_torch.py}): float32 mm throughput at 1024, the matrix products of the
 * course's two-layer network one by one, and that network's hand-written-backprop training loop,
 * all through the public Tensor API, so what is timed is what a learner's program pays.
 *
 * <p>Every figure is the median of several timed rounds after untimed warm-up rounds (the JIT, and
 * on the GPU the kernel cache and device heap, settle first). On the GPU the loop also reports the
 * bytes that crossed between host and device per iteration, which is where a naive GPU loop loses.
 * When no OpenCL device is usable, {@code gpu} prints one {@code skip gpu ...} line and exits 0.
 *
 * <p>Output lines are {@code name value} (course products: {@code course_mm_us shape value}) for a
 * script to pick up. Arguments: {@code cpu|gpu [rounds (default 7)] [iterations per loop round
 * (default 300)]}.
 */
public final class TensorBenchmark {
    static final int N = 64, D_IN = 1000, H = 100, D_OUT = 10;
    static final double LEARNING_RATE = 1e-6;
    private static final int WARMUP_ROUNDS = 3;
    private static final double ROUND_US = 20_000;

    private final Options options;
    private final int rounds;

    private TensorBenchmark(Device device, int rounds) {
        this.options = Options.of(DType.FLOAT32, device);
        this.rounds = rounds;
    }

    public static void main(String[] args) {
        Cli.Values v = Cli.lesson(args, "TensorBenchmark", "Times the two-layer tensor loop on a device, to set beside "
                + "bench/tensor_torch.py.", "TensorBenchmark gpu 7 300",
                new Cli.Value("DEVICE", Device.class, "cpu or gpu", "cpu"),
                new Cli.Value("ROUNDS", int.class, "timed rounds; the median is reported", "7"),
                new Cli.Value("ITERATIONS", int.class, "iterations per round", "300"));
        Device device = v.get(0);
        int rounds = Cli.positive(v.get(1), "TensorBenchmark", "ROUNDS");
        int iterations = Cli.positive(v.get(2), "TensorBenchmark", "ITERATIONS");
        if (device == Device.GPU && !Device.isGpuAvailable()) {
            System.out.println("skip gpu " + OpenCl.unavailableReason());
            return;
        }
        System.out.println("device " + (device == Device.GPU ? OpenCl.deviceDescription() : "cpu")
                + ", " + Runtime.getRuntime().availableProcessors() + " processors");
        Torch.manualSeed(0);
        BackgroundWarmup.await(); // time the kernels, not the warm-up thread beside them
        TensorBenchmark bench = new TensorBenchmark(device, rounds);
        System.out.printf("mm1024_gflops %.2f%n", bench.mmGflops(1024));
        bench.courseProducts();
        bench.trainingLoop(iterations);
    }

    /** GFLOP/s of one float32 (n x n) @ (n x n) product. */
    private double mmGflops(int n) {
        Tensor a = Torch.randn(options, n, n);
        Tensor b = Torch.randn(options, n, n);
        double flops = 2.0 * n * n * n;
        return median(() -> {
            long t0 = System.nanoTime();
            a.mm(b);
            return flops / (System.nanoTime() - t0);
        });
    }

    /** The five products of one training iteration, each timed alone. */
    private void courseProducts() {
        Tensor x = Torch.randn(options, N, D_IN);
        Tensor w1 = Torch.randn(options, D_IN, H);
        Tensor hRelu = Torch.randn(options, N, H).clamp(0);
        Tensor w2 = Torch.randn(options, H, D_OUT);
        Tensor gradH = Torch.randn(options, N, H);
        Tensor gradYPred = Torch.randn(options, N, D_OUT);
        productTime("x@w1_64x1000x100", x, w1);
        productTime("h_relu@w2_64x100x10", hRelu, w2);
        productTime("x.t()@grad_h_1000x64x100", x.t(), gradH);
        productTime("h_relu.t()@grad_y_pred_100x64x10", hRelu.t(), gradYPred);
        productTime("grad_y_pred@w2.t()_64x10x100", gradYPred, w2.t());
    }

    private void productTime(String name, Tensor a, Tensor b) {
        // rounds of about 20 ms: long enough for the clock, and the warm-up rounds then run enough
        // calls that the JIT has compiled the small-product path, not just the kernel's loop
        callsTime(a, b, 100);
        int calls = Math.max(10, (int) (ROUND_US / callsTime(a, b, 100)));
        double us = median(() -> callsTime(a, b, calls));
        System.out.printf("course_mm_us %s %.2f%n", name, us);
    }

    /** Microseconds per call of {@code a.mm(b)} over the given number of calls. */
    private static double callsTime(Tensor a, Tensor b, int calls) {
        long t0 = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            a.mm(b);
        }
        return (System.nanoTime() - t0) / 1e3 / calls;
    }

    private void trainingLoop(int iterations) {
        Tensor x = Torch.randn(options, N, D_IN);
        Tensor y = Torch.randn(options, N, D_OUT);
        long[] bytes = new long[2];
        // rounds (warm-up ones included): whose loss did not fall, all
        int[] badRounds = new int[1], allRounds = new int[1];
        double ms = median(() -> {
            allRounds[0]++;
            Tensor w1 = Torch.randn(options, D_IN, H);
            Tensor w2 = Torch.randn(options, H, D_OUT);
            OpenClStats.reset();
            long t0 = System.nanoTime();
            double[] losses = train(x, y, w1, w2, iterations);
            double perIter = (System.nanoTime() - t0) / 1e6 / iterations;
            bytes[0] = OpenClStats.hostToDeviceBytes();
            bytes[1] = OpenClStats.deviceToHostBytes();
            if (!(losses[iterations - 1] < losses[0])) {
                // a wrong result makes the time meaningless, but the run goes on so the other figures survive
                badRounds[0]++;
                System.out.println("loop_loss_did_not_fall " + losses[0] + " -> " + losses[iterations - 1]);
            }
            return perIter;
        });
        System.out.printf("loop_ms_per_iter %.4f%n", ms);
        System.out.println("loop_bad_rounds " + badRounds[0] + " " + allRounds[0]);
        if (options.device() == Device.GPU) {
            System.out.println("gpu_bytes_h2d_per_iter " + bytes[0] / iterations);
            System.out.println("gpu_bytes_d2h_per_iter " + bytes[1] / iterations);
        }
    }

    /** The course's loop on tensors, op for op; returns the loss of every iteration. */
    static double[] train(Tensor x, Tensor y, Tensor w1, Tensor w2, int iterations) {
        double[] losses = new double[iterations];
        for (int t = 0; t < iterations; t++) {
            Tensor h = x.mm(w1);
            Tensor hRelu = h.clamp(0);
            Tensor yPred = hRelu.mm(w2);
            losses[t] = yPred.sub(y).pow(2).sum().item();

            Tensor gradYPred = yPred.sub(y).mul(2.0);
            Tensor gradW2 = hRelu.t().mm(gradYPred);
            Tensor gradHRelu = gradYPred.mm(w2.t());
            Tensor gradH = gradHRelu.clone();
            gradH.maskedFill_(h.lt(0), 0);
            Tensor gradW1 = x.t().mm(gradH);

            w1.sub_(gradW1.mul(LEARNING_RATE));
            w2.sub_(gradW2.mul(LEARNING_RATE));
        }
        return losses;
    }

    /** Median of {@code rounds} samples, after untimed warm-up samples (at least 3, for at least {@link BackgroundWarmup#MIN_WARMUP_NANOS}). */
    private double median(DoubleSupplier sample) {
        long end = System.nanoTime() + BackgroundWarmup.MIN_WARMUP_NANOS;
        for (int i = 0; i < WARMUP_ROUNDS || System.nanoTime() < end; i++) {
            sample.getAsDouble();
        }
        double[] v = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            v[r] = sample.getAsDouble();
        }
        Arrays.sort(v);
        return v[rounds / 2];
    }
}
