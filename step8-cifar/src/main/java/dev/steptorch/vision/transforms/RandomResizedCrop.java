package dev.steptorch.vision.transforms;

import java.util.Random;

/**
 * A random window of random area and aspect ratio, resized to {@code size x size}: torchvision's
 * {@code RandomResizedCrop} with scale (0.08, 1) and ratio (3/4, 4/3) by default. After ten windows
 * that do not fit, it falls back to the largest central window with a ratio inside the range.
 */
public final class RandomResizedCrop implements Transform {
    private final int size;
    private final double[] scale;
    private final double[] ratio;

    public RandomResizedCrop(int size) {
        this(size, new double[] {0.08, 1.0}, new double[] {3.0 / 4.0, 4.0 / 3.0});
    }

    public RandomResizedCrop(int size, double[] scale, double[] ratio) {
        if (size <= 0 || scale.length != 2 || ratio.length != 2 || scale[0] > scale[1] || ratio[0] > ratio[1]) {
            throw new IllegalArgumentException("RandomResizedCrop: size must be positive and scale, ratio (min, max) pairs");
        }
        this.size = size;
        this.scale = scale.clone();
        this.ratio = ratio.clone();
    }

    @Override
    public Image apply(Image image, Random random) {
        int[] box = params(image.height(), image.width(), random);
        return Resize.bilinear(image.crop(box[0], box[1], box[2], box[3]), size, size);
    }

    /** The window {top, left, height, width}, torchvision's {@code get_params}. */
    int[] params(int height, int width, Random random) {
        double area = (double) height * width;
        double logLo = Math.log(ratio[0]), logHi = Math.log(ratio[1]);
        for (int attempt = 0; attempt < 10; attempt++) {
            double targetArea = area * uniform(random, scale[0], scale[1]);
            double aspect = Math.exp(uniform(random, logLo, logHi));
            int w = (int) Math.rint(Math.sqrt(targetArea * aspect));
            int h = (int) Math.rint(Math.sqrt(targetArea / aspect));
            if (0 < w && w <= width && 0 < h && h <= height) {
                int top = random.nextInt(height - h + 1);
                int left = random.nextInt(width - w + 1);
                return new int[] {top, left, h, w};
            }
        }
        double inRatio = (double) width / height;
        int w, h;
        if (inRatio < ratio[0]) {
            w = width;
            h = (int) Math.rint(w / ratio[0]);
        } else if (inRatio > ratio[1]) {
            h = height;
            w = (int) Math.rint(h * ratio[1]);
        } else {
            w = width;
            h = height;
        }
        return new int[] {(height - h) / 2, (width - w) / 2, h, w};
    }

    private static double uniform(Random random, double lo, double hi) {
        return lo + (hi - lo) * random.nextDouble();
    }

    @Override
    public String toString() {
        return "RandomResizedCrop(size=(" + size + ", " + size + "), scale=(" + scale[0] + ", " + scale[1] + "), ratio=("
                + ratio[0] + ", " + ratio[1] + "))";
    }
}
