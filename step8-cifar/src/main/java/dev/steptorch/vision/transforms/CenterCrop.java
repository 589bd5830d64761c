package dev.steptorch.vision.transforms;

import java.util.Random;

/**
 * The central {@code size x size} window, torchvision's {@code CenterCrop}: the corner is
 * {@code round((H - h) / 2)} with Python's round-half-to-even, and an image smaller than the crop is
 * first padded with zeros (the odd pixel going to the right and bottom).
 */
public final class CenterCrop implements Transform {
    private final int height;
    private final int width;

    public CenterCrop(int size) {
        this(size, size);
    }

    public CenterCrop(int height, int width) {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("CenterCrop: size must be positive, got (" + height + ", " + width + ")");
        }
        this.height = height;
        this.width = width;
    }

    @Override
    public Image apply(Image image, Random random) {
        return centerCrop(image, height, width);
    }

    static Image centerCrop(Image image, int height, int width) {
        int h = image.height(), w = image.width();
        if (height > h || width > w) {
            int padLeft = width > w ? (width - w) / 2 : 0;
            int padTop = height > h ? (height - h) / 2 : 0;
            int padRight = width > w ? (width - w + 1) / 2 : 0;
            int padBottom = height > h ? (height - h + 1) / 2 : 0;
            image = image.pad(padLeft, padTop, padRight, padBottom);
            h = image.height();
            w = image.width();
            if (height == h && width == w) {
                return image;
            }
        }
        int top = (int) Math.rint((h - height) / 2.0);
        int left = (int) Math.rint((w - width) / 2.0);
        return image.crop(top, left, height, width);
    }

    @Override
    public String toString() {
        return "CenterCrop(size=(" + height + ", " + width + "))";
    }
}
