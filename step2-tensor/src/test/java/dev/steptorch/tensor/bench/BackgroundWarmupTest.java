package dev.steptorch.tensor.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BackgroundWarmupTest {
    @Test
    void awaitReturnsOnlyOnceEveryWarmupThreadHasEnded() throws InterruptedException {
        Thread fake = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "steptorch-test-warmup");
        fake.setDaemon(true);
        fake.start();
        assertThat(BackgroundWarmup.running()).isTrue();

        BackgroundWarmup.await();

        assertThat(fake.isAlive()).isFalse();
        assertThat(BackgroundWarmup.running()).isFalse();
    }

    @Test
    void otherThreadsAreNotWaitedFor() {
        BackgroundWarmup.await(); // the kernel warm-up's own thread, which may take seconds, is over
        Thread unrelated = new Thread(() -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "steptorch-parallel-test");
        unrelated.setDaemon(true);
        unrelated.start();
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
}
