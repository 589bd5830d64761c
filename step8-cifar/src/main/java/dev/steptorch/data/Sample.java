package dev.steptorch.data;

import dev.steptorch.tensor.Tensor;

/** One labelled example: an image tensor [C, H, W] and its class index (torchvision's (img, target)). */
public record Sample(Tensor image, int label) {
}
