package dev.steptorch.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steptorch.data.Sample;
import dev.steptorch.vision.transforms.ToTensor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {
    @TempDir
    Path root;

    /** A w x h PNG whose pixel (x, y) is RGB (seed, x, y). */
    private static void png(Path file, int w, int h, int seed) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, (seed << 16) | (x << 8) | y);
            }
        }
        assertThat(ImageIO.write(img, "png", file.toFile())).isTrue();
    }

    @Test
    void classesAreSortedFolderNamesAndImagesSortedPaths() throws IOException {
        png(root.resolve("zebra/b.png"), 2, 2, 1);
        png(root.resolve("zebra/a.png"), 2, 2, 2);
        png(root.resolve("ant/x.PNG"), 3, 2, 3);
        png(root.resolve("ant/nested/y.png"), 2, 2, 4);
        png(root.resolve("mole/only.png"), 2, 2, 5);
        Files.writeString(root.resolve("mole/notes.txt"), "not an image");
        Files.writeString(root.resolve("stray.png"), "files at the top level are not samples");
        ImageFolder ds = new ImageFolder(root, null);
        assertThat(ds.classes()).containsExactly("ant", "mole", "zebra");
        assertThat(ds.classToIdx()).containsExactly(Map.entry("ant", 0), Map.entry("mole", 1), Map.entry("zebra", 2));
        assertThat(ds.size()).isEqualTo(5);
        assertThat(root.relativize(ds.path(0)).toString().replace('\\', '/')).isEqualTo("ant/nested/y.png");
        assertThat(root.relativize(ds.path(1)).toString().replace('\\', '/')).isEqualTo("ant/x.PNG");
        assertThat(root.relativize(ds.path(3)).toString().replace('\\', '/')).isEqualTo("zebra/a.png");
        assertThat(new int[] {ds.label(0), ds.label(1), ds.label(2), ds.label(3), ds.label(4)}).containsExactly(0, 0, 1, 2, 2);
    }

    @Test
    void decodesPixelsExactly() throws IOException {
        png(root.resolve("c/img.png"), 3, 2, 200);
        ImageFolder ds = new ImageFolder(root, new ToTensor());
        Sample s = ds.get(0);
        assertThat(s.image().shape()).containsExactly(3, 2, 3);
        float[] v = s.image().toFloatArray();
        // R plane is all 200, G plane is x, B plane is y.
        assertThat(v[0]).isEqualTo(200 / 255f);
        assertThat(v[6 + 2]).isEqualTo(2 / 255f);
        assertThat(v[12 + 3]).isEqualTo(1 / 255f);
        assertThat(s.label()).isZero();
    }

    @Test
    void anUnreadableImageNamesTheFile() throws IOException {
        png(root.resolve("c/good.png"), 2, 2, 1);
        Files.writeString(root.resolve("c/broken.jpg"), "this is not a JPEG");
        ImageFolder ds = new ImageFolder(root, null);
        assertThat(ds.size()).isEqualTo(2);
        assertThatThrownBy(() -> ds.get(0))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("broken.jpg");
        assertThat(ds.get(1).image().shape()).containsExactly(3, 2, 2);
    }

    @Test
    void emptyOrMissingFoldersAreReported() throws IOException {
        assertThatThrownBy(() -> new ImageFolder(root.resolve("none"), null)).hasMessageContaining("not a directory");
        assertThatThrownBy(() -> new ImageFolder(root, null)).hasMessageContaining("Couldn't find any class folder");
        Files.createDirectories(root.resolve("empty"));
        assertThatThrownBy(() -> new ImageFolder(root, null)).hasMessageContaining("Found no valid file for the classes [empty]");
    }
}
