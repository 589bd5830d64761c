package dev.steptorch.vision.transforms;

import java.util.Arrays;
import java.util.Random;

/** {@code (x - mean[c]) / std[c]} for every channel c, torchvision's {@code Normalize}. */
public final class Normalize implements Transform {
    private final float[] mean;
    private final float[] std;

    public Normalize(double[] mean, double[] std) {
        if (mean.length != std.length) {
            throw new IllegalArgumentException("Normalize: mean has " + mean.length + " values but std has " + std.length);
        }
        this.mean = new float[mean.length];
        this.std = new float[std.length];
        for (int c = 0; c < mean.length; c++) {
            this.mean[c] = (float) mean[c];
            this.std[c] = (float) std[c];
            if (this.std[c] == 0f) {
                throw new IllegalArgumentException("std evaluated to zero after conversion to float32, leading to division by zero.");
            }
        }
    }

    @Override
    public Image apply(Image image, Random random) {
        if (image.pixels()) {
            throw new IllegalArgumentException("Normalize expects a tensor image; put ToTensor() before it");
        }
        int channels = image.channels();
        if (mean.length != 1 && mean.length != channels) {
            throw new IllegalArgumentException(this + " has " + mean.length + " channel values but the image has " + channels
                    + " channels");
        }
        int plane = image.height() * image.width();
        float[] in = image.data();
        float[] out = new float[in.length];
        // BEGIN SOLUTION step8.normalize
        for (int c = 0; c < channels; c++) {
            float m = mean[mean.length == 1 ? 0 : c];
            float s = std[std.length == 1 ? 0 : c];
            for (int i = c * plane, end = i + plane; i < end; i++) {
                out[i] = (in[i] - m) / s;
            }
        }
        // END SOLUTION
        return new Image(channels, image.height(), image.width(), out, false);
    }

    @Override
    public String toString() {
        return "Normalize(mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + ")";
    }
}
