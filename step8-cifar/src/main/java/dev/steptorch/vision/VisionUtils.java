package dev.steptorch.vision;

import dev.steptorch.ndarray.NDArray;
import dev.steptorch.serialization.AtomicWrite;
import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** torchvision.utils: {@code make_grid} and {@code save_image}. */
public final class VisionUtils {
    private VisionUtils() {
    }

    public static Tensor makeGrid(Tensor batch, int nrow) {
        return makeGrid(batch, nrow, 2, 0.0);
    }

    /**
     * The images of a batch [B, C, H, W] tiled {@code nrow} to a row with {@code padding} pixels of
     * {@code padValue} around each: shape [C, ymaps * (H + padding) + padding, xmaps * (W + padding) + padding]
     * with {@code xmaps = min(nrow, B)}, {@code ymaps = ceil(B / xmaps)}. As in torchvision, a
     * one-channel batch is repeated to three channels, a [C, H, W] tensor counts as one image and a
     * single image comes back unpadded.
     */
    public static Tensor makeGrid(Tensor batch, int nrow, int padding, double padValue) {
        return makeGrid(batch, nrow, padding, false, null, false, padValue);
    }

    /**
     * The full {@code make_grid(tensor, nrow, padding, normalize, range, scale_each, pad_value)}.
     * With {@code normalize} the values are clamped to {@code range} ({@code {min, max}}; the data's
     * own min and max when null) and shifted and scaled into [0, 1], so that data of any scale shows
     * as a picture; {@code scaleEach} does that for every image on its own instead of the batch as
     * a whole. Today's torchvision calls {@code range} {@code value_range}.
     */
    public static Tensor makeGrid(Tensor batch, int nrow, int padding, boolean normalize, double[] range, boolean scaleEach,
            double padValue) {
        if (range != null && (range.length != 2 || !(range[0] < range[1]))) {
            throw new IllegalArgumentException("make_grid: range must be {min, max} with min < max");
        }
        if (nrow <= 0 || padding < 0) {
            throw new IllegalArgumentException("make_grid: nrow must be positive and padding non-negative");
        }
        Tensor t = batch.dtype() == DType.FLOAT32 ? batch : batch.to(DType.FLOAT32);
        if (t.dim() == 2) {
            t = t.unsqueeze(0);
        }
        if (t.dim() == 3) {
            t = t.unsqueeze(0);
        }
        if (t.dim() != 4) {
            throw new IllegalArgumentException("make_grid expects a tensor of shape [B, C, H, W] or [C, H, W], got " + batch.size());
        }
        if (t.size(1) == 1) {
            t = Torch.cat(1, t, t, t);
        }
        int b = t.size(0), c = t.size(1), h = t.size(2), w = t.size(3);
        float[] src = t.contiguous().toFloatArray();
        if (normalize) {
            // One span per image with scale_each, else the whole batch as one span.
            int span = scaleEach ? c * h * w : src.length;
            for (int from = 0; from < src.length; from += span) {
                normalizeSpan(src, from, from + span, range);
            }
        }
        if (b == 1) {
            return Torch.fromNumpy(NDArray.wrap(src, c, h, w));
        }
        int xmaps = Math.min(nrow, b);
        int ymaps = (b + xmaps - 1) / xmaps;
        int cellH = h + padding, cellW = w + padding;
        int gridH = cellH * ymaps + padding, gridW = cellW * xmaps + padding;
        float[] grid = new float[c * gridH * gridW];
        java.util.Arrays.fill(grid, (float) padValue);
        for (int k = 0; k < b; k++) {
            int top = (k / xmaps) * cellH + padding, left = (k % xmaps) * cellW + padding;
            for (int ch = 0; ch < c; ch++) {
                for (int y = 0; y < h; y++) {
                    System.arraycopy(src, ((k * c + ch) * h + y) * w, grid, (ch * gridH + top + y) * gridW + left, w);
                }
            }
        }
        return Torch.fromNumpy(NDArray.wrap(grid, c, gridH, gridW));
    }

    /** torchvision's {@code norm_ip}: clamp to [lo, hi], then {@code (x - lo) / (hi - lo + 1e-5)}. */
    private static void normalizeSpan(float[] v, int from, int to, double[] range) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        if (range != null) {
            lo = range[0];
            hi = range[1];
        } else {
            for (int i = from; i < to; i++) {
                lo = Math.min(lo, v[i]);
                hi = Math.max(hi, v[i]);
            }
        }
        // The 1e-5 keeps a constant image (hi == lo) at 0 instead of dividing by zero.
        float low = (float) lo, scale = (float) (hi - lo + 1e-5);
        for (int i = from; i < to; i++) {
            v[i] = (Math.min(Math.max(v[i], low), (float) hi) - low) / scale;
        }
    }

    /**
     * {@code save_image(tensor, filename, nrow=8, padding=2, normalize=False, range=None, scale_each=False)}:
     * a batch goes through {@link #makeGrid(Tensor, int, int, boolean, double[], boolean, double)} with
     * these settings first, then is written as {@link #saveImage(Tensor, Path)} writes one image.
     */
    public static void saveImage(Tensor tensor, Path file, int nrow, int padding, boolean normalize, double[] range,
            boolean scaleEach) throws IOException {
        saveImage(makeGrid(tensor, nrow, padding, normalize, range, scaleEach, 0), file);
    }

    /**
     * Writes an image [C, H, W] (C = 1 or 3) or a batch [B, C, H, W] (as an 8-wide grid) to a PNG.
     * Values are taken to lie in [0, 1] and become {@code clamp(x * 255 + 0.5, 0, 255)} truncated, as in
     * torchvision; undoing Normalize is the caller's job. The file appears whole or not at all: it
     * is written beside the target and renamed.
     */
    public static void saveImage(Tensor tensor, Path file) throws IOException {
        Tensor grid = tensor.dim() == 4 ? makeGrid(tensor, 8) : tensor.dim() == 2 ? tensor.unsqueeze(0) : tensor;
        if (grid.dim() != 3 || (grid.size(0) != 1 && grid.size(0) != 3)) {
            throw new IllegalArgumentException("saveImage expects [C, H, W] with C = 1 or 3, or [B, C, H, W], got " + tensor.size());
        }
        int c = grid.size(0), h = grid.size(1), w = grid.size(2);
        float[] v = grid.to(DType.FLOAT32).contiguous().toFloatArray();
        BufferedImage img = new BufferedImage(w, h, c == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        int plane = h * w;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = y * w + x;
                if (c == 1) {
                    img.getRaster().setSample(x, y, 0, toByte(v[p]));
                } else {
                    img.setRGB(x, y, (toByte(v[p]) << 16) | (toByte(v[plane + p]) << 8) | toByte(v[2 * plane + p]));
                }
            }
        }
        savePng(img, file);
    }

    /**
     * The tutorial's {@code imshow(inp, title)} as a file: the image [C, H, W] with values in [0, 1]
     * (un-normalise first), under a white strip with {@code title} in black, since matplotlib's
     * title is part of what the course shows.
     */
    public static void saveTitledImage(Tensor image, String title, Path file) throws IOException {
        savePng(titledImage(image, title), file);
    }

    /** The picture {@link #saveTitledImage} writes, for laying several out together (matplotlib's subplots). */
    public static BufferedImage titledImage(Tensor image, String title) {
        if (image.dim() != 3 || image.size(0) != 3) {
            throw new IllegalArgumentException("saveTitledImage expects an RGB image [3, H, W], got " + image.size());
        }
        int h = image.size(1), w = image.size(2), strip = 22;
        float[] v = image.to(DType.FLOAT32).contiguous().toFloatArray();
        java.awt.FontMetrics probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics()
                .getFontMetrics(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 14));
        int width = Math.max(w, probe.stringWidth(title) + 8);
        BufferedImage img = new BufferedImage(width, h + strip, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = img.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, width, h + strip);
        g.setColor(java.awt.Color.BLACK);
        g.setFont(probe.getFont());
        g.setRenderingHint(java.awt.RenderingHints.KEY_TEXT_ANTIALIASING, java.awt.RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.drawString(title, 4, strip - 6);
        g.dispose();
        int plane = h * w, left = (width - w) / 2;
        for (int p = 0; p < plane; p++) {
            img.setRGB(left + p % w, strip + p / w, (toByte(v[p]) << 16) | (toByte(v[plane + p]) << 8) | toByte(v[2 * plane + p]));
        }
        return img;
    }

    /** Writes a picture as a PNG file through AtomicWrite, so the file appears whole or not at all. */
    public static void savePng(BufferedImage img, Path file) throws IOException {
        AtomicWrite.file(file, tmp -> {
            if (!ImageIO.write(img, "png", tmp.toFile())) {
                throw new IOException("no PNG writer available");
            }
        });
    }

    private static int toByte(float x) {
        float scaled = x * 255f + 0.5f;
        return (int) Math.max(0f, Math.min(255f, scaled));
    }
}
