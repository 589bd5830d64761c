package dev.steptorch.tensor.bench;

import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.util.Locale;

/**
 * GFLOP/s of float32 {@code mm} on the CPU for the shapes that matter in the course: 1024^3, the
 * two-layer network's products, the products behind the CIFAR network's convolutions at batch
 * 64 (forward, input gradient, weight gradient), and those of one of ResNet-18's convolutions.
 * Each figure is the best of many calls after warm-up calls, output allocation included, so it
 * measures the kernel rather than the noise.
 * The thread count is {@code Torch.getNumThreads()}, the processors the JVM sees: {@code -XX:ActiveProcessorCount=1}
 * runs everything on the calling thread.
 *
 * <p>Usage: {@code MatmulBenchmark [calls (default 20)]}. Prints {@code gemm_gflops SHAPE VALUE}, SHAPE
 * as {@code MxKxN} with {@code At}/{@code Bt} when that operand is a transposed view.
 */
public final class MatmulBenchmark {
    private static final int[][] SHAPES = {
        {1024, 1024, 1024, 0, 0},
        {64, 1000, 100, 0, 0}, {1000, 64, 100, 1, 0}, {64, 100, 10, 0, 0},
        {6, 75, 50176, 0, 0}, {75, 50176, 6, 0, 1},
        {16, 150, 6400, 0, 0}, {150, 16, 6400, 1, 0}, {150, 6400, 16, 0, 1},
        {64, 400, 120, 0, 1},
        // a 3 x 3 convolution of ResNet-18's layer1 at batch 16: forward, input gradient, weight gradient
        {64, 576, 50176, 0, 0}, {576, 64, 50176, 1, 0}, {576, 50176, 64, 0, 1},
    };

    private MatmulBenchmark() {
    }

    public static void main(String[] args) {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        Torch.manualSeed(0);
        BackgroundWarmup.await(); // time the kernels, not the warm-up thread beside them
        System.out.println("threads " + Torch.getNumThreads());
        for (int[] s : SHAPES) {
            int m = s[0], k = s[1], n = s[2];
            // a transposed operand is the transpose of a contiguous tensor, as x.t() is in the course
            Tensor a = s[3] == 1 ? Torch.randn(k, m).t() : Torch.randn(m, k);
            Tensor b = s[4] == 1 ? Torch.randn(n, k).t() : Torch.randn(k, n);
            // warm-up calls for half a second at least: the JIT compiles the code around the kernels late
            long warm = System.nanoTime() + 500_000_000L;
            for (int i = 0; i < 5 || System.nanoTime() < warm; i++) {
                a.mm(b);
            }
            long best = Long.MAX_VALUE;
            for (int i = 0; i < calls; i++) {
                long t0 = System.nanoTime();
                a.mm(b);
                best = Math.min(best, System.nanoTime() - t0);
            }
            String shape = m + "x" + k + "x" + n + (s[3] == 1 ? "At" : "") + (s[4] == 1 ? "Bt" : "");
            System.out.printf(Locale.ROOT, "gemm_gflops %s %.1f%n", shape, 2.0 * m * k * n / best);
        }
    }
}
