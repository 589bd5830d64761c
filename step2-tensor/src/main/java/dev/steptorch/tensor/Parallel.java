package dev.steptorch.tensor;

import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * PyTorch's {@code at::parallel_for} for the layers above: runs {@code body(0..n-1)} on the common
 * pool's threads, and while a body runs, the CPU's matrix products, copies, elementwise and window
 * kernels do not cut their own work across threads again (a reduction still does: its cut fixes
 * the order of its sums). A convolution that gives each core a group of images wants each group's
 * products on one thread: cut again, every product would pack its operands once per piece and
 * wait for its slowest piece, while the other core is busy with its own group anyway.
 */
public final class Parallel {
    private static final ThreadLocal<Boolean> INSIDE = ThreadLocal.withInitial(() -> false);

    private Parallel() {
    }

    /** Runs body for 0..n-1, in parallel when n > 1; the calling thread takes part. */
    public static void forEach(int n, IntConsumer body) {
        IntStream all = IntStream.range(0, n);
        (n > 1 ? all.parallel() : all).forEach(i -> {
            boolean outer = INSIDE.get();
            INSIDE.set(true);
            try {
                body.accept(i);
            } finally {
                INSIDE.set(outer);
            }
        });
    }

    /** True inside a body of {@link #forEach}: a kernel runs on its caller's thread alone. */
    public static boolean inParallelRegion() {
        return INSIDE.get();
    }
}
