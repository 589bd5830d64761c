package dev.steptorch.data;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Batches of a dataset, PyTorch's {@code torch.utils.data.DataLoader}: each {@code iterator()} is
 * one epoch.
 *
 * <p>Reproducibility: one {@code java.util.Random} seeded at construction draws, per epoch, the
 * shuffle permutation and an epoch seed; every sample is then loaded with its own generator derived
 * from the epoch seed and its position in the epoch. So the same seed gives the same batches, with
 * the same random augmentations, for any {@code numWorkers}.
 *
 * <p>With {@code numWorkers > 0}, worker threads load and collate whole batches in the background,
 * at most {@code prefetchFactor * numWorkers} ahead of the caller, and batches come back in order.
 * An exception in a worker is rethrown by {@code next()}. The epoch's threads stop when it is
 * exhausted, fails, or is closed; an abandoned iterator's threads exit after a second of idleness.
 */
public final class DataLoader<T, B> implements Iterable<B> {
    private final Dataset<T> dataset;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final int numWorkers;
    private final int prefetchFactor;
    private final Function<List<T>, B> collate;
    private final Random generator;

    private DataLoader(Builder<T, B> b) {
        this.dataset = b.dataset;
        this.batchSize = b.batchSize;
        this.shuffle = b.shuffle;
        this.dropLast = b.dropLast;
        this.numWorkers = b.numWorkers;
        this.prefetchFactor = b.prefetchFactor;
        this.collate = b.collate;
        this.generator = new Random(b.seed);
    }

    /** A loader of {@link Sample}s collated into {@link Batch}es. */
    public static Builder<Sample, Batch> builder(Dataset<Sample> dataset) {
        return new Builder<>(dataset, Collate::stack);
    }

    public static <T, B> Builder<T, B> builder(Dataset<T> dataset, Function<List<T>, B> collate) {
        return new Builder<>(dataset, collate);
    }

    public Dataset<T> dataset() {
        return dataset;
    }

    public int batchSize() {
        return batchSize;
    }

    /** The number of batches per epoch, {@code len(loader)}. */
    public int size() {
        int n = dataset.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** Starts an epoch; close it if you stop early, to stop its workers at once. */
    @Override
    public synchronized Epoch iterator() {
        int n = dataset.size();
        int[] order;
        if (shuffle) {
            order = randperm(n, generator);
        } else {
            order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
        }
        return new Epoch(order, generator.nextLong());
    }

    /** {@code torch.randperm(n)}: 0..n-1 in an order drawn from the generator (Fisher-Yates). */
    public static int[] randperm(int n, Random generator) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = generator.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** One pass over the dataset. */
    public final class Epoch implements Iterator<B>, AutoCloseable {
        private final int[] order;
        private final long epochSeed;
        private final int batches;
        private int nextToReturn;
        private int nextToSubmit;
        private final ThreadPoolExecutor workers;
        private final Deque<Future<B>> pending = new ArrayDeque<>();
        private boolean closed;

        private Epoch(int[] order, long epochSeed) {
            this.order = order;
            this.epochSeed = epochSeed;
            this.batches = size();
            if (numWorkers > 0 && batches > 0) {
                AtomicInteger ids = new AtomicInteger();
                workers = new ThreadPoolExecutor(numWorkers, numWorkers, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "DataLoader-worker-" + ids.getAndIncrement());
                    t.setDaemon(true);
                    return t;
                });
                workers.allowCoreThreadTimeOut(true);
                while (nextToSubmit < batches && pending.size() < prefetchFactor * numWorkers) {
                    submitNext();
                }
            } else {
                workers = null;
            }
        }

        private void submitNext() {
            int b = nextToSubmit++;
            pending.add(workers.submit(() -> load(b)));
        }

        private B load(int batch) {
            int start = batch * batchSize;
            int end = Math.min(start + batchSize, order.length);
            List<T> items = new ArrayList<>(end - start);
            for (int k = start; k < end; k++) {
                items.add(dataset.get(order[k], new Random(sampleSeed(epochSeed, k))));
            }
            return collate.apply(items);
        }

        @Override
        public boolean hasNext() {
            return !closed && nextToReturn < batches;
        }

        @Override
        public B next() {
            if (!hasNext()) {
                throw new NoSuchElementException(closed ? "this DataLoader epoch was closed" : "the epoch is exhausted");
            }
            int b = nextToReturn++;
            if (workers == null) {
                return load(b);
            }
            Future<B> future = pending.poll();
            if (nextToSubmit < batches) {
                submitNext();
            }
            try {
                B batch = future.get();
                if (nextToReturn == batches) {
                    close();
                }
                return batch;
            } catch (ExecutionException e) {
                close();
                Throwable cause = e.getCause();
                throw new RuntimeException("Caught " + cause.getClass().getName() + " in a DataLoader worker thread while loading batch "
                        + b + ": " + cause.getMessage(), cause);
            } catch (InterruptedException e) {
                close();
                Thread.currentThread().interrupt();
                throw new RuntimeException("interrupted while waiting for DataLoader batch " + b, e);
            } catch (CancellationException e) {
                close();
                throw new IllegalStateException("DataLoader batch " + b + " was cancelled", e);
            }
        }

        /** Stops the workers and drops prefetched batches; the epoch then reports no more batches. */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (workers != null) {
                for (Future<B> f : pending) {
                    f.cancel(true);
                }
                pending.clear();
                workers.shutdownNow();
            }
        }

        /** Whether the worker threads have all finished (true at once without workers). */
        public boolean awaitWorkers(long timeout, TimeUnit unit) throws InterruptedException {
            return workers == null || workers.awaitTermination(timeout, unit);
        }
    }

    /** SplitMix64's finaliser: neighbouring positions get unrelated seeds. */
    static long sampleSeed(long epochSeed, int position) {
        long z = epochSeed + (position + 1L) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public static final class Builder<T, B> {
        private final Dataset<T> dataset;
        private final Function<List<T>, B> collate;
        private int batchSize = 1;
        private boolean shuffle;
        private boolean dropLast;
        private int numWorkers;
        private int prefetchFactor = 2;
        private long seed;

        private Builder(Dataset<T> dataset, Function<List<T>, B> collate) {
            this.dataset = dataset;
            this.collate = collate;
        }

        public Builder<T, B> batchSize(int batchSize) {
            if (batchSize <= 0) {
                throw new IllegalArgumentException("batch_size should be a positive integer value, but got batch_size=" + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        public Builder<T, B> shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        public Builder<T, B> dropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        public Builder<T, B> numWorkers(int numWorkers) {
            if (numWorkers < 0) {
                throw new IllegalArgumentException("num_workers option should be non-negative; use num_workers=0 to disable "
                        + "multiprocessing.");
            }
            this.numWorkers = numWorkers;
            return this;
        }

        /** Batches loaded in advance per worker. */
        public Builder<T, B> prefetchFactor(int prefetchFactor) {
            if (prefetchFactor <= 0) {
                throw new IllegalArgumentException("prefetch_factor must be positive, got " + prefetchFactor);
            }
            this.prefetchFactor = prefetchFactor;
            return this;
        }

        public Builder<T, B> seed(long seed) {
            this.seed = seed;
            return this;
        }

        public DataLoader<T, B> build() {
            return new DataLoader<>(this);
        }
    }
}
