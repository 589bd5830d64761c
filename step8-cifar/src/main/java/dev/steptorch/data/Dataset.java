package dev.steptorch.data;

import java.util.Random;

/**
 * A map-style dataset, PyTorch's {@code torch.utils.data.Dataset}: a size and random access by index.
 *
 * <p>Implementations must allow concurrent {@code get} calls, since DataLoader workers load
 * different indices at once.
 */
public interface Dataset<T> {
    int size();

    T get(int index);

    /**
     * The item with any random augmentation drawn from {@code random}; the DataLoader calls this with
     * a generator seeded per sample, so results do not depend on which thread loads the sample.
     * Datasets without randomness need not override it.
     */
    default T get(int index, Random random) {
        return get(index);
    }

    /** The index checked against the size, with PyTorch's wording. */
    default int checkIndex(int index) {
        if (index < 0 || index >= size()) {
            throw new IndexOutOfBoundsException("index " + index + " is out of bounds for a dataset of size " + size());
        }
        return index;
    }
}
