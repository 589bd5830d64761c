package dev.steptorch.tensor.bench;

import dev.steptorch.tensor.Torch;

/**
 * Lets a benchmark start its clock only after StepTorch's background warm-up threads have ended.
 *
 * <p>The first CPU tensor starts a thread that gets the Vector API kernels compiled (step 2's
 * {@code VectorWarmup}), and the first {@code Conv2d} one that trains a small network (step 5's
 * {@code LayerWarmup}). A program is better off for them, but a benchmark that times its rounds in
 * the JVM's first seconds would time them too: on a 2-core machine the warm-up thread holds one of
 * the two cores, and a 1024 x 1024 product measured then ran at half its speed. The benchmarks
 * here run warm-up rounds of their own, so they wait for the threads, then measure.
 */
public final class BackgroundWarmup {
    /** The warm-up threads give up by themselves after 20 s; this waits a little longer at most. */
    private static final long MAX_WAIT_NANOS = 25_000_000_000L;
    /**
     * How long a benchmark runs warm-up rounds of its own, at least: the JIT compiles the code
     * around the kernels (packing, tiling, the threads' hand-off) only after many calls. A 1024^3
     * product ran at 30-96 GFLOP/s for its first 15 calls, 167-215 after; the autograd loop of
     * step 4 took 0.50 ms an iteration after one warm-up round of 500 iterations, 0.38-0.39 after a
     * second of them. A second was not enough either: that loop's rounds took 0.27-0.40 ms from
     * its first second to its third and 0.20-0.25 after, so in one JVM, each after one second's
     * warm-up, the loop timed first took 0.27-0.37 ms and those timed after it 0.22-0.27: the
     * figure a benchmark printed first looked up to a fifth slower than the same work printed
     * after it.
     */
    public static final long MIN_WARMUP_NANOS = 4_000_000_000L;

    private BackgroundWarmup() {
    }

    /** Starts the kernel warm-up (by making a CPU tensor) and returns once no warm-up thread is alive. */
    public static void await() {
        Torch.zeros(1);
        long end = System.nanoTime() + MAX_WAIT_NANOS;
        while (running() && System.nanoTime() < end) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** True while a thread named {@code steptorch-...-warmup} runs (both warm-ups name theirs so). */
    static boolean running() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().startsWith("steptorch-") && t.getName().endsWith("-warmup"));
    }
}
