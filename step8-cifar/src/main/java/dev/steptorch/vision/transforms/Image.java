package dev.steptorch.vision.transforms;

import dev.steptorch.ndarray.NDArray;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.util.Arrays;

/**
 * One image as the transforms see it: {@code channels x height x width} floats in CHW order.
 *
 * <p>torchvision passes either a PIL image (uint8 pixels) or a float tensor through its transforms;
 * {@code pixels} records which of the two this is. A pixel image holds whole numbers 0..255, as a
 * dataset decodes them; {@link ToTensor} turns it into a tensor image with values in [0, 1], and
 * {@link Normalize} accepts only tensor images, as in torchvision. Both kinds share the CHW layout so
 * that every geometric transform is written once.
 */
public record Image(int channels, int height, int width, float[] data, boolean pixels) {

    public Image {
        if (channels <= 0 || height < 0 || width < 0) {
            throw new IllegalArgumentException("image dimensions must be positive, got " + channels + "x" + height + "x" + width);
        }
        if (data.length != channels * height * width) {
            throw new IllegalArgumentException("data of length " + data.length + " does not fit a " + channels + "x" + height
                    + "x" + width + " image");
        }
    }

    /** A pixel image from interleaved HWC bytes (PIL's and ImageIO's order), read as unsigned. */
    public static Image fromHwcBytes(byte[] hwc, int height, int width, int channels) {
        float[] chw = new float[channels * height * width];
        int plane = height * width;
        for (int p = 0; p < plane; p++) {
            for (int c = 0; c < channels; c++) {
                chw[c * plane + p] = hwc[p * channels + c] & 0xFF;
            }
        }
        return new Image(channels, height, width, chw, true);
    }

    /** A pixel image from planar CHW bytes (CIFAR-10's binary order), read as unsigned. */
    public static Image fromChwBytes(byte[] chw, int offset, int channels, int height, int width) {
        float[] data = new float[channels * height * width];
        for (int i = 0; i < data.length; i++) {
            data[i] = chw[offset + i] & 0xFF;
        }
        return new Image(channels, height, width, data, true);
    }

    /** A tensor image holding a copy of a float CHW tensor's values. */
    public static Image fromTensor(Tensor chw) {
        if (chw.dim() != 3) {
            throw new IllegalArgumentException("expected a tensor of shape [C, H, W], got " + chw.size());
        }
        return new Image(chw.size(0), chw.size(1), chw.size(2), chw.contiguous().toFloatArray(), false);
    }

    /** A float32 tensor of shape [C, H, W] sharing this image's data. */
    public Tensor toTensor() {
        return Torch.fromNumpy(NDArray.wrap(data, channels, height, width));
    }

    public float get(int c, int y, int x) {
        return data[(c * height + y) * width + x];
    }

    /** A same-kind image of another size, zero-filled, for transforms to write into. */
    Image blank(int newHeight, int newWidth) {
        return new Image(channels, newHeight, newWidth, new float[channels * newHeight * newWidth], pixels);
    }

    /** The {@code h x w} window whose top-left corner is (top, left); all of it must lie inside. */
    Image crop(int top, int left, int h, int w) {
        Image out = blank(h, w);
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < h; y++) {
                System.arraycopy(data, (c * height + top + y) * width + left, out.data, (c * h + y) * w, w);
            }
        }
        return out;
    }

    /** This image framed by zeros: torchvision's {@code pad(img, [left, top, right, bottom], fill=0)}. */
    Image pad(int left, int top, int right, int bottom) {
        Image out = blank(height + top + bottom, width + left + right);
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < height; y++) {
                System.arraycopy(data, (c * height + y) * width, out.data, (c * out.height + top + y) * out.width + left, width);
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Image other && channels == other.channels && height == other.height && width == other.width
                && pixels == other.pixels && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data) * 31 + height * 7 + width;
    }

    @Override
    public String toString() {
        return (pixels ? "PixelImage" : "TensorImage") + "(" + channels + "x" + height + "x" + width + ")";
    }
}
