package dev.steptorch.vision.transforms;

import java.util.Random;

/**
 * One step of a preprocessing pipeline, torchvision's transform objects.
 *
 * <p>Random transforms draw only from the {@code random} they are handed, never from a global
 * generator: the DataLoader gives every sample its own seeded generator, so a run is reproducible
 * whatever the number of worker threads. Deterministic transforms ignore it.
 */
@FunctionalInterface
public interface Transform {
    Image apply(Image image, Random random);
}
