package dev.steptorch.vision.bench;

import dev.steptorch.data.Batch;
import dev.steptorch.data.DataLoader;
import dev.steptorch.data.Dataset;
import dev.steptorch.data.Sample;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Random;

/**
 * The fastest way to feed a small dataset, and the one a user who wants speed takes in PyTorch:
 * every image transformed once, up front, into one tensor [N, C, H, W] beside one label tensor,
 * and each epoch's shuffled mini-batches cut from them with {@code index_select}. No loader
 * threads, no per-image work inside the timed loop; what remains is the network's own time.
 */
final class PreloadedBatches {
    private final Tensor images;
    private final Tensor labels;

    PreloadedBatches(Dataset<Sample> data) {
        int n = data.size();
        Tensor first = data.get(0).image();
        int per = first.numel();
        float[] pixels = new float[n * per];
        long[] targets = new long[n];
        for (int i = 0; i < n; i++) {
            Sample s = data.get(i);
            System.arraycopy(s.image().toFloatArray(), 0, pixels, i * per, per);
            targets[i] = s.label();
        }
        int[] shape = new int[first.dim() + 1];
        shape[0] = n;
        System.arraycopy(first.shape(), 0, shape, 1, first.dim());
        images = Torch.fromArray(pixels, shape);
        labels = Torch.fromArray(targets, n);
    }

    int size() {
        return labels.size(0);
    }

    /** One epoch of mini-batches in an order drawn from {@code seed}, as a shuffling DataLoader gives them. */
    Iterable<Batch> epoch(int batchSize, long seed) {
        int n = size();
        Tensor permutation = Torch.fromArray(Arrays.stream(DataLoader.randperm(n, new Random(seed))).asLongStream().toArray(), n);
        return () -> new Iterator<>() {
            private int start;

            @Override
            public boolean hasNext() {
                return start < n;
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Tensor index = permutation.narrow(0, start, Math.min(batchSize, n - start));
                start += batchSize;
                return new Batch(images.indexSelect(0, index), labels.indexSelect(0, index));
            }
        };
    }

    int batches(int batchSize) {
        return (size() + batchSize - 1) / batchSize;
    }
}
