package dev.steptorch.tensor.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BackgroundWarmupTest {
    @Test
    void awaitReturnsOnlyOnceEveryWarmupThreadHasEnded() {
        Thread fake = sleeper("steptorch-test-warmup", 300);
        assertThat(BackgroundWarmup.running()).isTrue();

        BackgroundWarmup.await();

        assertThat(fake.isAlive()).isFalse();
        assertThat(BackgroundWarmup.running()).isFalse();
    }

    @Test
    void otherThreadsAreNotWaitedFor() {
        BackgroundWarmup.await(); // the kernel warm-up's own thread, which may take seconds, is over
        Thread unrelated = sleeper("steptorch-parallel-test", 60_000);
        try {
            long t0 = System.nanoTime();
            BackgroundWarmup.await();
            // a wait for the pool's thread would last until await gives up (25 s)
            assertThat(System.nanoTime() - t0).isLessThan(5_000_000_000L);
            assertThat(unrelated.isAlive()).isTrue();
        } finally {
            unrelated.interrupt();
        }
    }

    /** A started daemon thread of that name that sleeps for ms (or until interrupted). */
    private static Thread sleeper(String name, long ms) {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
