package dev.steptorch.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steptorch.ndarray.NDArray;
import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class DataLoaderTest {
    /**
     * Sample i is a 1x1x2 image (i, random draw) labelled i % 10: the first value says which index was
     * loaded and the second which random augmentation it got.
     */
    static class IndexDataset implements Dataset<Sample> {
        private final int size;

        IndexDataset(int size) {
            this.size = size;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public Sample get(int index) {
            return get(index, new Random(0));
        }

        @Override
        public Sample get(int index, Random random) {
            checkIndex(index);
            float[] v = {index, random.nextInt(1000)};
            return new Sample(Torch.fromNumpy(NDArray.wrap(v, 1, 1, 2)), index % 10);
        }
    }

    private static List<float[]> epoch(DataLoader<Sample, Batch> loader) {
        List<float[]> batches = new ArrayList<>();
        for (Batch b : loader) {
            batches.add(b.images().toFloatArray());
        }
        return batches;
    }

    private static List<Integer> indices(DataLoader<Sample, Batch> loader) {
        List<Integer> seen = new ArrayList<>();
        for (Batch b : loader) {
            float[] v = b.images().toFloatArray();
            for (int k = 0; k < b.size(); k++) {
                seen.add((int) v[2 * k]);
            }
        }
        return seen;
    }

    @Property(tries = 40)
    void everyIndexExactlyOncePerEpoch(@ForAll @IntRange(min = 1, max = 60) int n, @ForAll @IntRange(min = 1, max = 9) int batchSize,
                                       @ForAll boolean shuffle, @ForAll @IntRange(min = 0, max = 2) int workers) {
        DataLoader<Sample, Batch> loader = DataLoader.builder(new IndexDataset(n)).batchSize(batchSize).shuffle(shuffle)
                .numWorkers(workers).seed(n).build();
        for (int e = 0; e < 2; e++) {
            List<Integer> seen = indices(loader);
            assertThat(seen).hasSize(n);
            assertThat(seen).containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.range(0, n).boxed().toList());
            if (!shuffle) {
                assertThat(seen).isSorted();
            }
        }
        assertThat(loader.size()).isEqualTo((n + batchSize - 1) / batchSize);
    }

    @Test
    void batchesHaveTheDefaultCollateShapesAndDtypes() {
        DataLoader<Sample, Batch> loader = DataLoader.builder(new IndexDataset(10)).batchSize(4).build();
        List<Batch> batches = new ArrayList<>();
        loader.forEach(batches::add);
        assertThat(batches).hasSize(3);
        assertThat(batches.get(0).images().shape()).containsExactly(4, 1, 1, 2);
        assertThat(batches.get(0).images().dtype()).isEqualTo(DType.FLOAT32);
        assertThat(batches.get(0).labels().dtype()).isEqualTo(DType.INT64);
        assertThat(batches.get(2).labels().toLongArray()).containsExactly(8, 9);
        assertThat(batches.get(1).labels().toLongArray()).containsExactly(4, 5, 6, 7);
    }

    @Test
    void dropLastDropsTheIncompleteBatch() {
        DataLoader<Sample, Batch> loader = DataLoader.builder(new IndexDataset(10)).batchSize(4).dropLast(true).shuffle(true).build();
        assertThat(loader.size()).isEqualTo(2);
        List<Integer> seen = indices(loader);
        assertThat(seen).hasSize(8).doesNotHaveDuplicates();
        DataLoader<Sample, Batch> exact = DataLoader.builder(new IndexDataset(8)).batchSize(4).dropLast(true).build();
        assertThat(indices(exact)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
    }

    @Test
    void sameSeedSameOrderAndAugmentations() {
        DataLoader<Sample, Batch> a = DataLoader.builder(new IndexDataset(50)).batchSize(3).shuffle(true).seed(5).build();
        DataLoader<Sample, Batch> b = DataLoader.builder(new IndexDataset(50)).batchSize(3).shuffle(true).seed(5).build();
        DataLoader<Sample, Batch> c = DataLoader.builder(new IndexDataset(50)).batchSize(3).shuffle(true).seed(6).build();
        List<float[]> a1 = epoch(a), a2 = epoch(a);
        assertThat(a1).zipSatisfy(epoch(b), (x, y) -> assertThat(x).containsExactly(y));
        assertThat(a2).zipSatisfy(epoch(b), (x, y) -> assertThat(x).containsExactly(y));
        // A new epoch reshuffles, and another seed gives another order.
        assertThat(indicesOf(a1)).isNotEqualTo(indicesOf(a2));
        assertThat(indicesOf(a1)).isNotEqualTo(indicesOf(epoch(c)));
    }

    private static List<Integer> indicesOf(List<float[]> batches) {
        List<Integer> out = new ArrayList<>();
        for (float[] v : batches) {
            for (int k = 0; k < v.length; k += 2) {
                out.add((int) v[k]);
            }
        }
        return out;
    }

    @Test
    void workersGiveTheSameBatchesAsTheMainThread() {
        DataLoader<Sample, Batch> serial = DataLoader.builder(new IndexDataset(103)).batchSize(4).shuffle(true).seed(9).build();
        DataLoader<Sample, Batch> parallel = DataLoader.builder(new IndexDataset(103)).batchSize(4).shuffle(true).seed(9)
                .numWorkers(2).build();
        for (int e = 0; e < 3; e++) {
            List<float[]> s = epoch(serial), p = epoch(parallel);
            assertThat(p).hasSize(26);
            assertThat(s).zipSatisfy(p, (x, y) -> assertThat(y).containsExactly(x));
        }
    }

    @Test
    void aWorkerExceptionSurfacesInTheCaller() throws InterruptedException {
        Dataset<Sample> failing = new IndexDataset(20) {
            @Override
            public Sample get(int index, Random random) {
                if (index == 13) {
                    throw new IllegalStateException("bad record 13");
                }
                return super.get(index, random);
            }
        };
        DataLoader<Sample, Batch> loader = DataLoader.builder(failing).batchSize(4).numWorkers(2).build();
        DataLoader<Sample, Batch>.Epoch it = loader.iterator();
        it.next();
        it.next();
        it.next();
        assertThatThrownBy(it::next)
                .hasMessageContaining("DataLoader worker")
                .hasMessageContaining("batch 3")
                .hasMessageContaining("bad record 13")
                .hasCauseInstanceOf(IllegalStateException.class);
        assertThat(it.hasNext()).isFalse();
        assertThat(it.awaitWorkers(5, TimeUnit.SECONDS)).isTrue();
        // Without workers the exception is the dataset's own.
        DataLoader<Sample, Batch> serial = DataLoader.builder(failing).batchSize(4).build();
        assertThatThrownBy(() -> indices(serial)).isInstanceOf(IllegalStateException.class).hasMessage("bad record 13");
    }

    @Test
    void closingAnEpochEarlyStopsItsWorkers() throws InterruptedException {
        DataLoader<Sample, Batch> loader = DataLoader.builder(new IndexDataset(1000)).batchSize(2).numWorkers(2).build();
        DataLoader<Sample, Batch>.Epoch it = loader.iterator();
        it.next();
        it.close();
        assertThat(it.hasNext()).isFalse();
        assertThat(it.awaitWorkers(5, TimeUnit.SECONDS)).isTrue();
        // The loader itself is still usable for the next epoch.
        assertThat(indices(loader)).hasSize(1000);
    }

    @Test
    void prefetchIsBounded() throws InterruptedException {
        int[] loaded = new int[1];
        Dataset<Sample> counting = new IndexDataset(100) {
            @Override
            public Sample get(int index, Random random) {
                synchronized (loaded) {
                    loaded[0]++;
                }
                return super.get(index, random);
            }
        };
        DataLoader<Sample, Batch> loader = DataLoader.builder(counting).batchSize(5).numWorkers(2).prefetchFactor(2).build();
        DataLoader<Sample, Batch>.Epoch it = loader.iterator();
        it.next();
        // 4 batches in flight at the start, one more submitted when the first was taken: 25 samples,
        // and no more however long the workers are left alone.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (count(loaded) < 25 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Thread.sleep(200);
        assertThat(count(loaded)).isEqualTo(5 * 5);
        it.close();
    }

    private static int count(int[] counter) {
        synchronized (counter) {
            return counter[0];
        }
    }

    @Test
    void collateWithCatAgreesWithTheFilledArray() {
        IndexDataset ds = new IndexDataset(7);
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            samples.add(ds.get(i, new Random(i)));
        }
        Batch a = Collate.stack(samples), b = Collate.stackWithCat(samples);
        assertThat(b.images().shape()).containsExactly(7, 1, 1, 2);
        assertThat(a.images().toFloatArray()).containsExactly(b.images().toFloatArray());
        assertThat(a.labels().toLongArray()).containsExactly(b.labels().toLongArray());
        List<Sample> mixed = List.of(samples.get(0), new Sample(Torch.zeros(1, 2, 2), 0));
        assertThatThrownBy(() -> Collate.stack(mixed)).hasMessageContaining("stack expects each tensor to be equal size");
    }

    @Test
    void builderRejectsBadArguments() {
        assertThatThrownBy(() -> DataLoader.builder(new IndexDataset(3)).batchSize(0)).hasMessageContaining("batch_size");
        assertThatThrownBy(() -> DataLoader.builder(new IndexDataset(3)).numWorkers(-1)).hasMessageContaining("num_workers");
    }
}
