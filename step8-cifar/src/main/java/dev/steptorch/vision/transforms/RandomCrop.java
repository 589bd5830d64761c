package dev.steptorch.vision.transforms;

import java.util.Random;

/**
 * A {@code size x size} window at a uniformly random position, after optional zero padding on every
 * side: torchvision's {@code RandomCrop(size, padding)} with {@code fill=0, padding_mode="constant"}.
 */
public final class RandomCrop implements Transform {
    private final int height;
    private final int width;
    private final int padding;

    public RandomCrop(int size) {
        this(size, 0);
    }

    public RandomCrop(int size, int padding) {
        this(size, size, padding);
    }

    public RandomCrop(int height, int width, int padding) {
        if (height <= 0 || width <= 0 || padding < 0) {
            throw new IllegalArgumentException("RandomCrop: size must be positive and padding non-negative, got size ("
                    + height + ", " + width + "), padding " + padding);
        }
        this.height = height;
        this.width = width;
        this.padding = padding;
    }

    @Override
    public Image apply(Image image, Random random) {
        Image padded = padding > 0 ? image.pad(padding, padding, padding, padding) : image;
        int h = padded.height(), w = padded.width();
        if (h < height || w < width) {
            throw new IllegalArgumentException("Required crop size (" + height + ", " + width
                    + ") is larger than input image size (" + h + ", " + w + ")");
        }
        if (h == height && w == width) {
            return padded;
        }
        int top = random.nextInt(h - height + 1);
        int left = random.nextInt(w - width + 1);
        return padded.crop(top, left, height, width);
    }

    @Override
    public String toString() {
        return "RandomCrop(size=(" + height + ", " + width + "), padding=" + padding + ")";
    }
}
