package dev.steptorch.vision.transforms;

import java.util.Random;

/**
 * Bilinear resizing, torchvision's {@code Resize} on a tensor with {@code antialias=False} (the
 * 1.13-era default for tensors): {@code Resize(size)} scales the shorter edge to {@code size} and
 * keeps the aspect ratio, {@code Resize(h, w)} gives exactly that size.
 *
 * <p>Pixel images are resized as floats, then rounded and clamped back to 0..255, which is what
 * torchvision does with uint8 tensors. (PIL's own bilinear filter antialiases, so it differs when
 * shrinking.)
 */
public final class Resize implements Transform {
    private final int height;
    private final int width;
    private final boolean shorterEdge;

    /** Shorter edge to {@code size}, aspect ratio kept. */
    public Resize(int size) {
        this(size, size, true);
    }

    /** Exactly {@code height x width}. */
    public Resize(int height, int width) {
        this(height, width, false);
    }

    private Resize(int height, int width, boolean shorterEdge) {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("Resize: size must be positive, got (" + height + ", " + width + ")");
        }
        this.height = height;
        this.width = width;
        this.shorterEdge = shorterEdge;
    }

    @Override
    public Image apply(Image image, Random random) {
        int h = image.height(), w = image.width();
        int outH = height, outW = width;
        if (shorterEdge) {
            int shortSide = Math.min(h, w), longSide = Math.max(h, w);
            // Python's int(size * long / short): a float division truncated toward zero.
            int newLong = (int) ((double) height * longSide / shortSide);
            outH = w <= h ? newLong : height;
            outW = w <= h ? height : newLong;
        }
        return bilinear(image, outH, outW);
    }

    /** {@code F.interpolate(mode="bilinear", align_corners=False)} on one CHW image. */
    public static Image bilinear(Image image, int outH, int outW) {
        int h = image.height(), w = image.width();
        if (outH == h && outW == w) {
            return image;
        }
        int[] y0 = new int[outH], y1 = new int[outH];
        float[] wy = new float[outH];
        sourceIndices(h, outH, y0, y1, wy);
        int[] x0 = new int[outW], x1 = new int[outW];
        float[] wx = new float[outW];
        sourceIndices(w, outW, x0, x1, wx);
        Image out = image.blank(outH, outW);
        float[] in = image.data();
        float[] o = out.data();
        for (int c = 0; c < image.channels(); c++) {
            int inBase = c * h * w, outBase = c * outH * outW;
            for (int y = 0; y < outH; y++) {
                int r0 = inBase + y0[y] * w, r1 = inBase + y1[y] * w;
                float ly = wy[y];
                for (int x = 0; x < outW; x++) {
                    float lx = wx[x];
                    float top = (1 - lx) * in[r0 + x0[x]] + lx * in[r0 + x1[x]];
                    float bottom = (1 - lx) * in[r1 + x0[x]] + lx * in[r1 + x1[x]];
                    float v = (1 - ly) * top + ly * bottom;
                    o[outBase + y * outW + x] = image.pixels() ? Math.max(0f, Math.min(255f, (float) Math.rint(v))) : v;
                }
            }
        }
        return out;
    }

    /**
     * PyTorch's {@code area_pixel_compute_source_index}: output pixel centres mapped back to input
     * coordinates, clamped at 0 on the left; the right neighbour is clamped at the last pixel.
     */
    private static void sourceIndices(int in, int out, int[] i0, int[] i1, float[] lambda) {
        float scale = (float) in / out;
        for (int d = 0; d < out; d++) {
            float src = Math.max(0f, scale * (d + 0.5f) - 0.5f);
            int lo = (int) src;
            i0[d] = lo;
            i1[d] = lo < in - 1 ? lo + 1 : lo;
            lambda[d] = src - lo;
        }
    }

    @Override
    public String toString() {
        return shorterEdge ? "Resize(size=" + height + ", interpolation=bilinear)"
                : "Resize(size=(" + height + ", " + width + "), interpolation=bilinear)";
    }
}
