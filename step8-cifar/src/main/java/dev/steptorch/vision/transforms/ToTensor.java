package dev.steptorch.vision.transforms;

import java.util.Random;

/** uint8 pixels (0..255) to a float tensor image in [0, 1], torchvision's {@code ToTensor}. */
public final class ToTensor implements Transform {
    @Override
    public Image apply(Image image, Random random) {
        if (!image.pixels()) {
            throw new IllegalArgumentException("ToTensor expects a pixel image (uint8), got a tensor image " + image);
        }
        float[] out = new float[image.data().length];
        float[] in = image.data();
        for (int i = 0; i < out.length; i++) {
            out[i] = in[i] / 255f;
        }
        return new Image(image.channels(), image.height(), image.width(), out, false);
    }

    @Override
    public String toString() {
        return "ToTensor()";
    }
}
