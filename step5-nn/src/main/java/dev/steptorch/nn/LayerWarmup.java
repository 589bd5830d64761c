package dev.steptorch.nn;

import dev.steptorch.autograd.GradMode;
import dev.steptorch.tensor.Shapes;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;

/**
 * Gets the JIT going on the layers' code (convolution, pooling, ReLU, linear and loss ops, forward
 * and backward, and the autograd engine between them) in the background, from the first
 * {@link Conv2d} on, the way step 2's {@code VectorWarmup} does for its vector kernels.
 *
 * <p>A training step goes through hundreds of methods, and HotSpot first runs each of them in its
 * interpreter, then in quickly compiled code, and compiles it well only after thousands of calls.
 * A program builds its network and then loads its data; meanwhile this thread trains a small CNN
 * of its own (batch 8, the course's layer sizes), so that the classes are loaded and the first
 * compiling is done when the real training starts. It stops when the program's own first Conv2d
 * forward pass runs (after at most {@link #STEPS} steps): running on into the training took the
 * core the training wanted and made the first epoch slower.
 *
 * <p>The thread touches nothing global: its numbers come from a {@link Random} of its own, not
 * from the generator {@code Torch.manualSeed} seeds, and autograd's grad mode is per thread, so a
 * seeded run computes exactly what it computed without it. Set the system property
 * {@code steptorch.warmup} to {@code false} to leave the layers to the JIT's own pace.
 */
final class LayerWarmup {
    static final int STEPS = 300;
    /** A JVM that never gets the steps fast does not keep a core busy for longer. */
    static final long GIVE_UP_NANOS = 20_000_000_000L;
    private static final int BATCH = 8;
    private static boolean started;
    private static volatile boolean stopped;

    private LayerWarmup() {
    }

    /** Starts the thread, once per JVM; the first Conv2d calls it. */
    static synchronized void start() {
        if (started || !Boolean.parseBoolean(System.getProperty("steptorch.warmup", "true"))) {
            return;
        }
        started = true;
        Thread t = new Thread(() -> warmQuietly(() -> stopped), "steptorch-layer-warmup");
        t.setDaemon(true);
        t.start();
    }

    /**
     * The thread's body. A failure ends it without a word: a warm-up only saves time, and the
     * program's own calls report the problem where it belongs (in an exercise, a layer whose code
     * the student has not written yet throws from both).
     */
    static void warmQuietly(BooleanSupplier stop) {
        try {
            train(STEPS, GIVE_UP_NANOS, stop);
        } catch (RuntimeException e) {
            // nothing to do: see above
        }
    }

    /**
     * The program's own network has started: every Conv2d forward calls this, and the thread ends
     * after its current step rather than take a core from the real training.
     */
    static void stop() {
        // read before written: a volatile write per forward would cost more than the check
        if (!stopped) {
            stopped = true;
        }
    }

    static boolean stopped() {
        return stopped;
    }

    /**
     * Trains the small CNN on one random batch for the given steps or time, or until {@code stop}
     * says so, whichever comes first; returns each step's loss.
     */
    static List<Double> train(int steps, long nanos, BooleanSupplier stop) {
        Random random = new Random(0);
        Tensor x = uniform(random, false, BATCH, 3, 32, 32);
        long[] classes = new long[BATCH];
        for (int i = 0; i < BATCH; i++) {
            classes[i] = i % 10;
        }
        Tensor target = Torch.fromArray(classes, BATCH);
        Tensor w1 = uniform(random, true, 6, 3, 5, 5), b1 = uniform(random, true, 6);
        Tensor w2 = uniform(random, true, 16, 6, 5, 5), b2 = uniform(random, true, 16);
        Tensor w3 = uniform(random, true, 32, 16 * 5 * 5), b3 = uniform(random, true, 32);
        Tensor w4 = uniform(random, true, 10, 32), b4 = uniform(random, true, 10);
        List<Tensor> parameters = List.of(w1, b1, w2, b2, w3, b3, w4, b4);
        List<Double> losses = new ArrayList<>();
        long end = System.nanoTime() + nanos;
        while (losses.size() < steps && System.nanoTime() < end && !stop.getAsBoolean()) {
            Tensor h = F.maxPool2d(F.relu(F.conv2d(x, w1, b1)), 2);
            h = F.maxPool2d(F.relu(F.conv2d(h, w2, b2)), 2);
            h = F.relu(F.linear(h.view(BATCH, -1), w3, b3));
            Tensor loss = Losses.crossEntropy(F.linear(h, w4, b4), target);
            loss.backward();
            losses.add(loss.item());
            try (var ignored = GradMode.noGrad()) {
                for (Tensor p : parameters) {
                    // the update SGD makes, so that its loop is compiled too
                    p.add_(p.grad(), -0.1);
                    p.grad().zero_();
                }
            }
        }
        return losses;
    }

    /** Numbers in [-0.1, 0.1) from the warm-up's own generator. */
    private static Tensor uniform(Random random, boolean requiresGrad, int... shape) {
        float[] values = new float[Shapes.numel(shape)];
        for (int i = 0; i < values.length; i++) {
            values[i] = (random.nextFloat() - 0.5f) * 0.2f;
        }
        return Torch.fromArray(values, shape).requiresGrad_(requiresGrad);
    }
}
