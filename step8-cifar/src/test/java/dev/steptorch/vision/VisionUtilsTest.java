package dev.steptorch.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steptorch.ndarray.NDArray;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VisionUtilsTest {
    @TempDir
    Path dir;

    /** Image k of the batch has every value equal to k + 1 (so it differs from padding 0). */
    private static Tensor batch(int b, int c, int h, int w) {
        float[] v = new float[b * c * h * w];
        for (int i = 0; i < v.length; i++) {
            v[i] = i / (c * h * w) + 1;
        }
        return Torch.fromNumpy(NDArray.wrap(v, b, c, h, w));
    }

    @Test
    void gridShapeFollowsTorchvision() {
        // 5 images of 3x4x6, 2 per row: 3 rows; H = 3 * (4 + 2) + 2 = 20, W = 2 * (6 + 2) + 2 = 18.
        assertThat(VisionUtils.makeGrid(batch(5, 3, 4, 6), 2).shape()).containsExactly(3, 20, 18);
        // nrow larger than the batch: one row of 3.
        assertThat(VisionUtils.makeGrid(batch(3, 3, 4, 6), 8).shape()).containsExactly(3, 8, 26);
        // One channel becomes three; padding 0 packs tightly.
        assertThat(VisionUtils.makeGrid(batch(4, 1, 5, 5), 2, 0, 0).shape()).containsExactly(3, 10, 10);
        // A single image comes back as it is, unpadded.
        assertThat(VisionUtils.makeGrid(batch(1, 3, 4, 6), 8).shape()).containsExactly(3, 4, 6);
    }

    @Test
    void gridPlacesEachImageInsideItsPaddedCell() {
        Tensor grid = VisionUtils.makeGrid(batch(3, 1, 2, 2), 2, 1, 0.5);
        // 2 per row, 2 rows: H = 2 * 3 + 1 = 7, W = 7; cell k at top 1 + 3 * (k / 2), left 1 + 3 * (k % 2).
        assertThat(grid.shape()).containsExactly(3, 7, 7);
        float[] g = grid.toFloatArray();
        float[][] expected = {
                {.5f, .5f, .5f, .5f, .5f, .5f, .5f},
                {.5f, 1, 1, .5f, 2, 2, .5f},
                {.5f, 1, 1, .5f, 2, 2, .5f},
                {.5f, .5f, .5f, .5f, .5f, .5f, .5f},
                {.5f, 3, 3, .5f, .5f, .5f, .5f},
                {.5f, 3, 3, .5f, .5f, .5f, .5f},
                {.5f, .5f, .5f, .5f, .5f, .5f, .5f}};
        for (int ch = 0; ch < 3; ch++) {
            for (int y = 0; y < 7; y++) {
                for (int x = 0; x < 7; x++) {
                    assertThat(g[(ch * 7 + y) * 7 + x]).as("c%d y%d x%d", ch, y, x).isEqualTo(expected[y][x]);
                }
            }
        }
        assertThatThrownBy(() -> VisionUtils.makeGrid(Torch.zeros(1, 1, 1, 1, 1), 2)).hasMessageContaining("make_grid expects");
    }

    @Test
    void saveImageWritesRoundedPixelsAndNoTemporaryFile() throws IOException {
        // 3x1x3: red (0, 0.5, 1), green (0.1, -1, 2), blue (1/255 - tiny, 0.998, 0.2)
        float[] v = {0f, 0.5f, 1f, 0.1f, -1f, 2f, 0.0039f, 0.998f, 0.2f};
        Path file = dir.resolve("out.png");
        Files.writeString(file, "old content is replaced");
        VisionUtils.saveImage(Torch.fromNumpy(NDArray.wrap(v, 3, 1, 3)), file);
        BufferedImage img = ImageIO.read(file.toFile());
        assertThat(img.getWidth()).isEqualTo(3);
        assertThat(img.getHeight()).isEqualTo(1);
        // floor(x * 255 + 0.5) clamped: 0, 128, 255 | 26, 0, 255 | 1, 254, 51
        assertThat(img.getRGB(0, 0) & 0xFFFFFF).isEqualTo((0 << 16) | (26 << 8) | 1);
        assertThat(img.getRGB(1, 0) & 0xFFFFFF).isEqualTo((128 << 16) | (0 << 8) | 254);
        assertThat(img.getRGB(2, 0) & 0xFFFFFF).isEqualTo((255 << 16) | (255 << 8) | 51);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("out.png");
        }
    }

    @Test
    void saveImageOfABatchWritesTheGrid() throws IOException {
        Path file = dir.resolve("grid.png");
        VisionUtils.saveImage(batch(10, 3, 4, 4).mul(0.1), file);
        BufferedImage img = ImageIO.read(file.toFile());
        // 8 per row, 2 rows: 2 * 6 + 2 = 14 high, 8 * 6 + 2 = 50 wide.
        assertThat(img.getHeight()).isEqualTo(14);
        assertThat(img.getWidth()).isEqualTo(50);
        assertThat(img.getRGB(0, 0) & 0xFF).isZero();
        // Image 9 (value 1.0) sits in row 1, column 1: top 8, left 8.
        assertThat(img.getRGB(8, 8) & 0xFF).isEqualTo(255);
        assertThatThrownBy(() -> VisionUtils.saveImage(Torch.zeros(2, 3, 3), dir.resolve("x.png")))
                .hasMessageContaining("C = 1 or 3");
    }

    /** Two 1x1x2 images, (0, 2) and (4, 8), laid side by side without padding. */
    private static float[] grid(boolean normalize, double[] range, boolean scaleEach) {
        Tensor two = Torch.fromNumpy(NDArray.wrap(new float[] {0, 2, 4, 8}, 2, 1, 1, 2));
        // one channel becomes three; the first channel is enough
        return java.util.Arrays.copyOf(VisionUtils.makeGrid(two, 2, 0, normalize, range, scaleEach, 0).toFloatArray(), 4);
    }

    @Test
    void normalizeStretchesTheBatchOrEachImageOrAGivenRangeToZeroOne() {
        float eps = 1e-5f;
        assertThat(grid(false, null, false)).containsExactly(0, 2, 4, 8);
        // the batch's min 0 and max 8
        assertThat(grid(true, null, false)).containsExactly(0, 2 / (8 + eps), 4 / (8 + eps), 8 / (8 + eps));
        // scale_each: (0, 2) by its own 0..2, (4, 8) by 4..8
        assertThat(grid(true, null, true)).containsExactly(0, 2 / (2 + eps), 0, 4 / (4 + eps));
        // range (1, 5): clamped first, so 0 -> 1 and 8 -> 5
        assertThat(grid(true, new double[] {1, 5}, false)).containsExactly(0, 1 / (4 + eps), 3 / (4 + eps), 4 / (4 + eps));
        // a constant image stays 0 rather than dividing by zero
        Tensor flat = Torch.fromNumpy(NDArray.wrap(new float[] {3, 3}, 1, 1, 2));
        assertThat(VisionUtils.makeGrid(flat, 8, 2, true, null, false, 0).toFloatArray()).containsOnly(0);
        assertThatThrownBy(() -> grid(true, new double[] {5, 1}, false)).hasMessageContaining("min < max");
    }

    @Test
    void saveImageTakesTheNotesArguments() throws IOException {
        Path file = dir.resolve("normalized.png");
        // values 1..10, far outside [0, 1]: normalize maps image 1 to black and image 10 to white
        VisionUtils.saveImage(batch(10, 3, 4, 4), file, 5, 1, true, null, false);
        BufferedImage img = ImageIO.read(file.toFile());
        // 5 per row, 2 rows, padding 1: 2 * 5 + 1 = 11 high, 5 * 5 + 1 = 26 wide
        assertThat(img.getHeight()).isEqualTo(11);
        assertThat(img.getWidth()).isEqualTo(26);
        assertThat(img.getRGB(1, 1) & 0xFF).isZero();
        assertThat(img.getRGB(4 * 5 + 1, 5 + 1) & 0xFF).isEqualTo(255);
    }
}
