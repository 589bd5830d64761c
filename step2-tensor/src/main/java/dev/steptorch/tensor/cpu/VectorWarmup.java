package dev.steptorch.tensor.cpu;

import java.util.ArrayList;
import java.util.List;

/**
 * Gets the JIT to compile the Vector API kernels (the matrix products, the bias sums, the mask
 * loops) in the background, from the first CPU tensor on, so that the first training steps do not
 * run them uncompiled.
 *
 * <p>A Vector API method is fast only once HotSpot's optimising compiler (C2) has compiled it:
 * then a {@code FloatVector} is a register and {@code fma} one instruction. Before that, in the
 * interpreter and in the first compiler's code, every vector is an object and every lane a call.
 * On the development machine {@code FloatGemm}'s kernel took 1,370 ns per step of k in that code
 * against 5 ns compiled, and C2 compiles a method only after it has run many times: the first
 * training step of the course's CNN at batch 64 took 1.2 to 2.2 s, the steps after the first
 * hundred 7 to 9 ms. A program loads its data before it trains, so a thread that calls each
 * kernel on small operands of its own, again and again, gets the compiling done in that time.
 *
 * <p>The thread, a daemon, stops calling a kernel once three calls in a row take the time of
 * compiled code, and ends when none is left, or after {@link #GIVE_UP_NANOS} (a JVM that cannot
 * compile the Vector API into vector instructions never gets there). Set the system property
 * {@code steptorch.warmup} to {@code false} to leave the kernels to the JIT's own pace.
 */
final class VectorWarmup {
    static final long GIVE_UP_NANOS = 20_000_000_000L;
    private static final int FAST_CALLS_IN_A_ROW = 3;
    private static boolean started;

    private VectorWarmup() {
    }

    /** One kernel to warm: a call on operands of its own, and the most that call takes once compiled. */
    static final class Kernel {
        private final String name;
        private final long compiledNanos;
        private final Runnable call;
        private volatile boolean compiled;
        private int fastCalls;

        /**
         * {@code compiledNanos}: ten times what the call takes compiled is a safe bar, since the code
         * before C2's is a hundred times slower or more.
         */
        Kernel(String name, long compiledNanos, Runnable call) {
            this.name = name;
            this.compiledNanos = compiledNanos;
            this.call = call;
        }

        boolean compiled() {
            return compiled;
        }

        private void callOnce() {
            long start = System.nanoTime();
            call.run();
            // a call can only be slowed down (by another thread, a collection), never sped up
            fastCalls = System.nanoTime() - start <= compiledNanos ? fastCalls + 1 : 0;
            compiled = fastCalls >= FAST_CALLS_IN_A_ROW;
        }

        @Override
        public String toString() {
            return name + (compiled ? " (compiled)" : " (not yet compiled)");
        }
    }

    /** Starts the warm-up thread, once per JVM; the first CPU backend calls it. */
    static synchronized void start() {
        if (started || !Boolean.parseBoolean(System.getProperty("steptorch.warmup", "true"))) {
            return;
        }
        started = true;
        List<Kernel> kernels = kernels();
        Thread t = new Thread(() -> warm(kernels, GIVE_UP_NANOS), "steptorch-vector-warmup");
        t.setDaemon(true);
        t.start();
    }

    /** Every Vector API kernel of the CPU backend, each on operands of its own. */
    static List<Kernel> kernels() {
        List<Kernel> kernels = new ArrayList<>(FloatGemm.warmupKernels());
        kernels.add(FloatDots.warmupKernel());
        kernels.add(ChannelLanes.warmupKernel());
        kernels.add(Reductions.warmupKernel());
        kernels.addAll(FloatLoops.warmupKernels());
        kernels.add(WindowRuns.warmupKernel());
        kernels.add(WindowRuns.poolWarmupKernel());
        return kernels;
    }

    /** Calls the kernels in turn, each until it runs compiled, for at most {@code giveUpNanos}. */
    static void warm(List<Kernel> kernels, long giveUpNanos) {
        long end = System.nanoTime() + giveUpNanos;
        boolean pending = true;
        while (pending && System.nanoTime() < end) {
            pending = false;
            for (Kernel k : kernels) {
                if (!k.compiled) {
                    k.callOnce();
                    pending = true;
                }
            }
        }
    }
}
