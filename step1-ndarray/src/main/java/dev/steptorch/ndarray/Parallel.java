package dev.steptorch.ndarray;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * The intra-op thread pool: the threads OpenBLAS gives NumPy's {@code dot} (step 1's products use
 * it), and PyTorch's pool with its {@code at::parallel_for} (step 2's kernels on; {@code
 * Torch.setNumThreads} sets its size). {@code forEach(n, body)} runs
 * {@code body(0..n-1)} on the calling thread (body(0) always) and {@link #threads()} - 1 workers, and while a body
 * runs, the CPU's matrix products, copies, elementwise and window kernels do not cut their own
 * work across threads again (a reduction cuts the same chunks, and sums them in the same order,
 * on one thread). A convolution that gives each core a group of images wants each group's products
 * on one thread: cut again, every product would pack its operands once per piece and wait for
 * its slowest piece, while the other core is busy with its own group anyway.
 *
 * <p>Why not Java's common fork-join pool: its idle workers go to sleep at once, and a sleeping
 * thread took 30 to 50 µs to start on the development machine, as long as one of the course's
 * small products. The workers here do what OpenMP's do under PyTorch: after a job they keep
 * polling for the next one for {@link #SPIN_NANOS} before they sleep, so the many small parallel
 * ops of a training step find them awake (1 to 3 µs to start).
 *
 * <p>One job runs at a time. A second thread that asks for the pool while it is busy (a data
 * loader's worker, say) runs its bodies itself, one after the other.
 */
public final class Parallel {
    /** How long an idle worker keeps polling for the next job before it sleeps. */
    public static final long SPIN_NANOS = 1_000_000;

    private static final ThreadLocal<Boolean> INSIDE = ThreadLocal.withInitial(() -> false);
    private static final ReentrantLock OWNER = new ReentrantLock();
    private static final List<Worker> WORKERS = new ArrayList<>();
    private static volatile int threads = Runtime.getRuntime().availableProcessors();
    /** The job workers should help with; replaced (never changed) for each new job. */
    private static volatile Job current;

    private Parallel() {
    }

    /** Runs body for 0..n-1, in parallel when n > 1 and the pool has workers; the calling thread takes part. */
    public static void forEach(int n, IntConsumer body) {
        if (n <= 0) {
            return;
        }
        boolean outer = INSIDE.get();
        if (n == 1 || threads < 2 || outer || !OWNER.tryLock()) {
            runAlone(n, body, outer);
            return;
        }
        try {
            Job job = new Job(body, n, Math.min(threads, n) - 1);
            wake(job);
            INSIDE.set(true);
            try {
                job.workFirst();
            } finally {
                INSIDE.set(false);
            }
            job.awaitDone();
            // the job's body holds the op's arrays: let them go now, not at the next op
            current = null;
            Throwable error = job.error.get();
            if (error instanceof RuntimeException r) {
                throw r;
            }
            if (error instanceof Error e) {
                throw e;
            }
            if (error != null) {
                throw new IllegalStateException(error);
            }
        } finally {
            OWNER.unlock();
        }
    }

    /**
     * {@link #forEach} with PyTorch's grain size: work (in the caller's units: elements,
     * multiply-adds) under grain runs on the calling thread, since handing it out costs more.
     */
    public static void forEach(int n, long work, long grain, IntConsumer body) {
        if (work >= grain) {
            forEach(n, body);
            return;
        }
        for (int i = 0; i < n; i++) {
            body.accept(i);
        }
    }

    private static void runAlone(int n, IntConsumer body, boolean outer) {
        INSIDE.set(true);
        try {
            for (int i = 0; i < n; i++) {
                body.accept(i);
            }
        } finally {
            INSIDE.set(outer);
        }
    }

    /** True inside a body of {@link #forEach}: a kernel runs on its caller's thread alone. */
    public static boolean inParallelRegion() {
        return INSIDE.get();
    }

    /** The threads a parallel op uses, the caller's included (PyTorch's {@code get_num_threads}). */
    public static int threads() {
        return threads;
    }

    /** PyTorch's {@code set_num_threads}: 1 runs every op on the calling thread. */
    public static void setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("set_num_threads: the number of threads must be positive, but got " + n);
        }
        threads = n;
    }

    /** Publishes the job, starting workers the first time they are needed and waking those asleep. */
    private static void wake(Job job) {
        while (WORKERS.size() < job.helpers) {
            Worker w = new Worker(WORKERS.size());
            WORKERS.add(w);
            w.thread.start();
        }
        current = job;
        // a worker sets its flag before it looks at current a last time, and this reads the flags
        // after writing current: one of the two sees the other, so no worker sleeps through a job
        for (int i = 0; i < job.helpers; i++) {
            Worker w = WORKERS.get(i);
            if (w.sleeping) {
                LockSupport.unpark(w.thread);
            }
        }
    }

    /** One parallel op: index 0 to the caller, the others handed out one at a time to whoever asks next. */
    private static final class Job {
        final IntConsumer body;
        final int n;
        final int helpers;
        /** Index 0 is the caller's, so that the same thread takes the same piece op after op. */
        final AtomicInteger next = new AtomicInteger(1);
        final AtomicInteger done = new AtomicInteger();
        final AtomicReference<Throwable> error = new AtomicReference<>();

        Job(IntConsumer body, int n, int helpers) {
            this.body = body;
            this.n = n;
            this.helpers = helpers;
        }

        /** The caller's share: index 0, then whatever the workers have not taken. */
        void workFirst() {
            run(0);
            work();
        }

        void work() {
            for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                run(i);
            }
        }

        private void run(int i) {
            try {
                if (error.get() == null) {
                    body.accept(i);
                }
            } catch (Throwable t) {
                error.compareAndSet(null, t);
            } finally {
                done.incrementAndGet();
            }
        }

        /** The caller's own indices are done; the rest are being run by workers already awake. */
        void awaitDone() {
            while (done.get() < n) {
                Thread.onSpinWait();
            }
        }
    }

    private static final class Worker implements Runnable {
        final int id;
        final Thread thread;
        volatile boolean sleeping;

        Worker(int id) {
            this.id = id;
            this.thread = new Thread(this, "steptorch-parallel-" + (id + 1));
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            INSIDE.set(true);
            Job seen = null;
            while (true) {
                Job job = next(seen);
                seen = job;
                if (id < job.helpers) {
                    job.work();
                }
            }
        }

        /** Polls for a job other than seen (null: none) for SPIN_NANOS, then sleeps until one is published. */
        private Job next(Job seen) {
            long start = System.nanoTime();
            while (System.nanoTime() - start < SPIN_NANOS) {
                Job job = current;
                if (job != null && job != seen) {
                    return job;
                }
                // give the core to any thread that wants it (the JIT's compilers, the collector):
                // spinning in place for only 200 µs made a short program slower
                Thread.yield();
            }
            while (true) {
                sleeping = true;
                Job job = current;
                if (job != null && job != seen) {
                    sleeping = false;
                    return job;
                }
                LockSupport.park(this);
                sleeping = false;
                job = current;
                if (job != null && job != seen) {
                    return job;
                }
            }
        }
    }
}
