package dev.steptorch.data;

import dev.steptorch.tensor.Tensor;

/** Collated samples: images [B, C, H, W] float32 and labels [B] int64, as the default collate gives. */
public record Batch(Tensor images, Tensor labels) {
    public int size() {
        return labels.size(0);
    }
}
