package dev.steptorch.tensor.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The background warm-up calls each kernel until it runs at compiled speed, and no longer. */
class VectorWarmupTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void aKernelIsCalledUntilThreeCallsInARowAreFast() {
        AtomicInteger calls = new AtomicInteger();
        // calls 1, 2, 4, 5 and 6 are fast, call 3 is slow: the count of fast calls starts again after it
        VectorWarmup.Kernel k = new VectorWarmup.Kernel("test", 5 * MS, () -> {
            if (calls.incrementAndGet() == 3) {
                sleep(20);
            }
        });
        VectorWarmup.warm(List.of(k), TimeUnit.SECONDS.toNanos(30));
        assertThat(k.compiled()).as("%s", k).isTrue();
        assertThat(calls).hasValue(6);
    }

    @Test
    void aKernelThatNeverGetsFastIsGivenUp() {
        AtomicInteger fastCalls = new AtomicInteger();
        VectorWarmup.Kernel fast = new VectorWarmup.Kernel("fast", 5 * MS, fastCalls::incrementAndGet);
        VectorWarmup.Kernel slow = new VectorWarmup.Kernel("slow", MS / 10, () -> sleep(2));
        long start = System.nanoTime();
        VectorWarmup.warm(List.of(fast, slow), 200 * MS);
        assertThat(System.nanoTime() - start).as("time warming").isBetween(200 * MS, TimeUnit.SECONDS.toNanos(20));
        assertThat(fast.compiled()).isTrue();
        assertThat(fastCalls).as("calls after it was compiled").hasValue(3);
        assertThat(slow.compiled()).isFalse();
    }

    /**
     * The bars are right for this JVM: each Vector API kernel, called on its own operands, gets to
     * compiled speed (in about a second on the development machine).
     */
    @Test
    void theVectorKernelsGetCompiled() {
        List<VectorWarmup.Kernel> kernels = VectorWarmup.kernels();
        VectorWarmup.warm(kernels, TimeUnit.SECONDS.toNanos(60));
        assertThat(kernels).allMatch(VectorWarmup.Kernel::compiled);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
