package dev.steptorch.ndarray.bench;

import dev.steptorch.cli.Cli;
import dev.steptorch.ndarray.NDArray;
import dev.steptorch.ndarray.NumPy;
import dev.steptorch.ndarray.lessons.WarmupNumpy;

/**
 * Times the warm-up lesson's training loop (N, D_in, H, D_out = 64, 1000, 100, 10) on NDArray:
 * the Java half of {@code bench/run.sh}, which runs the same loop in NumPy. It times the lesson's
 * own loop ({@link WarmupNumpy#train(NDArray, NDArray, NDArray, NDArray, int, double,
 * java.io.PrintStream)}), so what is measured is what learners run. Warm-up rounds let the JIT
 * compile the kernels first, as in any long training run. Prints {@code java_ms_per_iter <median>}.
 *
 * <p>Arguments: [rounds (default 7)] [iterations per round (default 500)].
 */
public final class WarmupBenchmark {
    /**
     * Untimed rounds run for at least this long (and at least 3 of them): the JIT keeps compiling
     * the code around the kernels for the loop's first seconds, as step 2's
     * {@code BackgroundWarmup.MIN_WARMUP_NANOS} says, which the other steps' benchmarks wait out too.
     */
    private static final long WARMUP_NANOS = 4_000_000_000L;

    private WarmupBenchmark() {
    }

    public static void main(String[] args) {
        Cli.Values v = Cli.lesson(args, "WarmupBenchmark", "Times the warm-up lesson's training loop on NDArray "
                + "(bench/run.sh runs the same loop in NumPy); prints java_ms_per_iter MEDIAN.", "WarmupBenchmark 7 500",
                new Cli.Value("ROUNDS", int.class, "timed rounds; the median is reported", "7"),
                new Cli.Value("ITERATIONS", int.class, "training iterations per round", "500"));
        int rounds = Cli.positive(v.get(0), "WarmupBenchmark", "ROUNDS");
        int iterations = Cli.positive(v.get(1), "WarmupBenchmark", "ITERATIONS");
        NumPy.random().seed(0);
        NDArray x = NumPy.random().randn(64, 1000);
        NDArray y = NumPy.random().randn(64, 10);

        long warm = System.nanoTime() + WARMUP_NANOS;
        for (int i = 0; i < 3 || System.nanoTime() < warm; i++) {
            round(x, y, iterations);
        }
        double[] times = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            times[r] = round(x, y, iterations);
        }
        java.util.Arrays.sort(times);
        System.out.printf("java_ms_per_iter %.4f%n", times[rounds / 2]);
    }

    /** One training run from fresh weights; milliseconds per iteration of the loop alone. */
    private static double round(NDArray x, NDArray y, int iterations) {
        NDArray w1 = NumPy.random().randn(1000, 100);
        NDArray w2 = NumPy.random().randn(100, 10);
        long start = System.nanoTime();
        double[] losses = WarmupNumpy.train(x, y, w1, w2, iterations, 1e-6, null);
        double ms = (System.nanoTime() - start) / 1e6 / iterations;
        if (!(losses[iterations - 1] < losses[0])) {
            throw new IllegalStateException("the loss did not fall: " + losses[0] + " -> " + losses[iterations - 1]);
        }
        return ms;
    }
}
