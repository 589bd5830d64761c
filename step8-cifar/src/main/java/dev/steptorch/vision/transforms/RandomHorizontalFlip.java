package dev.steptorch.vision.transforms;

import java.util.Random;

/** Mirrors the image left-right with probability p, torchvision's {@code RandomHorizontalFlip}. */
public final class RandomHorizontalFlip implements Transform {
    private final double p;

    public RandomHorizontalFlip() {
        this(0.5);
    }

    public RandomHorizontalFlip(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("RandomHorizontalFlip: p must lie in [0, 1], got " + p);
        }
        this.p = p;
    }

    @Override
    public Image apply(Image image, Random random) {
        // Always draw, so the generator advances the same way whether or not this sample flips.
        return random.nextDouble() < p ? hflip(image) : image;
    }

    /** torchvision's {@code F.hflip}. */
    public static Image hflip(Image image) {
        int h = image.height(), w = image.width();
        Image out = image.blank(h, w);
        float[] in = image.data();
        for (int row = 0; row < image.channels() * h; row++) {
            int base = row * w;
            for (int x = 0; x < w; x++) {
                out.data()[base + x] = in[base + w - 1 - x];
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "RandomHorizontalFlip(p=" + p + ")";
    }
}
