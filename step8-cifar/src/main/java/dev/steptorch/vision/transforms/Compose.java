package dev.steptorch.vision.transforms;

import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;

/** Several transforms applied in order, sharing the sample's generator. */
public final class Compose implements Transform {
    private final List<Transform> transforms;

    public Compose(Transform... transforms) {
        this.transforms = List.of(transforms);
    }

    @Override
    public Image apply(Image image, Random random) {
        for (Transform t : transforms) {
            image = t.apply(image, random);
        }
        return image;
    }

    @Override
    public String toString() {
        return transforms.stream().map(t -> "    " + t).collect(Collectors.joining("\n", "Compose(\n", "\n)"));
    }
}
