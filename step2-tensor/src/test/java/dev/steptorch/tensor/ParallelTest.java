package dev.steptorch.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.steptorch.ndarray.Parallel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ParallelTest {
    @Test
    void runsEveryIndexOnceInsideARegionThatEndsWithIt() {
        AtomicIntegerArray runs = new AtomicIntegerArray(37);
        AtomicIntegerArray inside = new AtomicIntegerArray(37);
        assertThat(Parallel.inParallelRegion()).isFalse();
        Parallel.forEach(37, i -> {
            runs.incrementAndGet(i);
            if (Parallel.inParallelRegion()) {
                inside.incrementAndGet(i);
            }
            // a nested region leaves the outer one as it found it
            Parallel.forEach(2, j -> { });
            assertThat(Parallel.inParallelRegion()).isTrue();
        });
        for (int i = 0; i < 37; i++) {
            assertThat(runs.get(i)).as("index %d", i).isEqualTo(1);
            assertThat(inside.get(i)).as("index %d", i).isEqualTo(1);
        }
        assertThat(Parallel.inParallelRegion()).isFalse();
    }

    @Test
    void anErrorInABodyReachesTheCallerAndEndsTheRegion() {
        assertThatThrownBy(() -> Parallel.forEach(4, i -> {
            if (i == 2) {
                throw new IllegalStateException("body 2");
            }
        })).isInstanceOf(IllegalStateException.class).hasMessage("body 2");
        assertThat(Parallel.inParallelRegion()).isFalse();
    }

    /** The caller runs index 0 of every job, so a kernel cut one piece per thread keeps its piece in its own cache. */
    @Test
    void theCallerAlwaysRunsTheFirstIndex() {
        Thread caller = Thread.currentThread();
        AtomicIntegerArray elsewhere = new AtomicIntegerArray(1);
        for (int job = 0; job < 5000; job++) {
            Parallel.forEach(2, i -> {
                if (i == 0 && Thread.currentThread() != caller) {
                    elsewhere.incrementAndGet(0);
                }
            });
        }
        assertThat(elsewhere.get(0)).as("jobs whose index 0 ran on a worker").isZero();
    }

    /** Workers asleep (idle longer than they poll) are woken: a job of slow bodies is shared out again. */
    @Test
    void workersThatWentToSleepAreWokenForTheNextJob() throws InterruptedException {
        for (int round = 0; round < 3; round++) {
            Thread.sleep(Parallel.SPIN_NANOS / 1_000_000 + 20);
            AtomicIntegerArray runs = new AtomicIntegerArray(32);
            Set<Thread> seen = ConcurrentHashMap.newKeySet();
            Parallel.forEach(32, i -> {
                seen.add(Thread.currentThread());
                runs.incrementAndGet(i);
                sleepQuietly(2);
            });
            for (int i = 0; i < 32; i++) {
                assertThat(runs.get(i)).as("round %d, index %d", round, i).isEqualTo(1);
            }
            assertThat(seen).as("threads that ran round %d", round).hasSize(Math.min(2, Parallel.threads()));
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Work under the grain stays on the caller, outside any region; at the grain it is a parallel op. */
    @Test
    void workUnderTheGrainRunsOnTheCaller() {
        Set<Thread> seen = ConcurrentHashMap.newKeySet();
        AtomicIntegerArray inside = new AtomicIntegerArray(8);
        Parallel.forEach(8, 99, 100, i -> {
            seen.add(Thread.currentThread());
            inside.set(i, Parallel.inParallelRegion() ? 1 : 0);
        });
        assertThat(seen).containsExactly(Thread.currentThread());
        for (int i = 0; i < 8; i++) {
            assertThat(inside.get(i)).as("index %d", i).isZero();
        }
        AtomicIntegerArray runs = new AtomicIntegerArray(8);
        Parallel.forEach(8, 100, 100, i -> {
            runs.incrementAndGet(i);
            inside.set(i, Parallel.inParallelRegion() ? 1 : 0);
        });
        for (int i = 0; i < 8; i++) {
            assertThat(runs.get(i)).as("index %d", i).isEqualTo(1);
            assertThat(inside.get(i)).as("index %d", i).isEqualTo(1);
        }
    }

    /** Two threads asking at once: one gets the pool, the other runs its own bodies; neither loses an index. */
    @Test
    void callersFromSeveralThreadsEachGetAllTheirIndicesRun() throws InterruptedException {
        int callers = 3, jobs = 2000, n = 17;
        AtomicIntegerArray[] runs = new AtomicIntegerArray[callers];
        Thread[] threads = new Thread[callers];
        Throwable[] failure = new Throwable[callers];
        for (int c = 0; c < callers; c++) {
            runs[c] = new AtomicIntegerArray(n);
            AtomicIntegerArray mine = runs[c];
            int id = c;
            threads[c] = new Thread(() -> {
                try {
                    for (int j = 0; j < jobs; j++) {
                        Parallel.forEach(n, mine::incrementAndGet);
                    }
                } catch (Throwable t) {
                    failure[id] = t;
                }
            });
            threads[c].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        for (int c = 0; c < callers; c++) {
            assertThat(failure[c]).as("caller %d", c).isNull();
            for (int i = 0; i < n; i++) {
                assertThat(runs[c].get(i)).as("caller %d, index %d", c, i).isEqualTo(jobs);
            }
        }
    }

    /** set_num_threads(1): every body on the calling thread; the default again afterwards uses the workers. */
    @Test
    void oneThreadRunsEveryBodyOnTheCaller() {
        int before = Torch.getNumThreads();
        Set<Thread> seen = ConcurrentHashMap.newKeySet();
        try {
            Torch.setNumThreads(1);
            Parallel.forEach(50, i -> seen.add(Thread.currentThread()));
            assertThat(seen).containsExactly(Thread.currentThread());
        } finally {
            Torch.setNumThreads(before);
        }
        assertThatThrownBy(() -> Torch.setNumThreads(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 0");
        assertThat(Torch.getNumThreads()).isEqualTo(before);
    }

    /** Products, copies and window ops big enough to be cut across threads outside a region run whole inside one. */
    @Test
    void kernelsInsideARegionComputeWhatTheyComputeOutside() {
        Torch.manualSeed(3);
        Tensor a = Torch.randn(70, 300), b = Torch.randn(300, 130), x = Torch.randn(4, 8, 40, 40);
        Tensor[] inside = new Tensor[4];
        Parallel.forEach(2, i -> {
            if (i == 0) {
                inside[0] = a.mm(b);
                inside[1] = a.t().contiguous();
            } else {
                inside[2] = Torch.unfold(x, 3, 3, 1, 1, 1, 1);
                inside[3] = Torch.maxPool2dWithIndices(x, 2, 2, 2, 2, 0, 0).values();
            }
        });
        // the product's sums may be cut along k outside a region, so they may round differently
        float[] product = a.mm(b).toFloatArray(), whole = inside[0].toFloatArray();
        for (int i = 0; i < product.length; i++) {
            assertThat(whole[i]).as("product entry %d", i).isCloseTo(product[i], within(1e-3f));
        }
        assertThat(inside[1].toFloatArray()).isEqualTo(a.t().contiguous().toFloatArray());
        assertThat(inside[2].toFloatArray()).isEqualTo(Torch.unfold(x, 3, 3, 1, 1, 1, 1).toFloatArray());
        assertThat(inside[3].toFloatArray()).isEqualTo(Torch.maxPool2dWithIndices(x, 2, 2, 2, 2, 0, 0).values().toFloatArray());
    }
}
