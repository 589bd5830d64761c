package dev.steptorch.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** torchvision's cifar-10-batches-py folder (scripts/make_cifar_pickles.py), read with the restricted unpickler. */
class CIFAR10PickleTest {
    private static final List<String> FILES = List.of("data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4",
            "data_batch_5", "test_batch", "batches.meta");

    @TempDir
    Path root;

    private Path folder() throws IOException {
        Path dir = Files.createDirectories(root.resolve("cifar-10-batches-py"));
        for (String f : FILES) {
            try (InputStream in = getClass().getResourceAsStream("/cifar-10-batches-py/" + f)) {
                Files.write(dir.resolve(f), in.readAllBytes());
            }
        }
        return dir;
    }

    @Test
    void readsPython2AndPython3PickledBatchesAsTorchvisionDoes() throws IOException {
        folder();
        CIFAR10 train = new CIFAR10(root, true, null);
        CIFAR10 test = new CIFAR10(root, false, null);
        assertThat(train.classes()).startsWith("airplane", "automobile").hasSize(10);
        assertThat(train.size()).isEqualTo(10);
        assertThat(test.size()).isEqualTo(2);
        // image k of batch b: label (b + k) % 10, pixel j = (7k + 13j + b) % 256
        for (int b = 0; b <= 5; b++) {
            for (int k = 0; k < 2; k++) {
                CIFAR10 split = b == 0 ? test : train;
                int index = b == 0 ? k : 2 * (b - 1) + k;
                assertThat(split.label(index)).isEqualTo((b + k) % 10);
                float[] px = split.image(index).data();
                for (int j : new int[] {0, 1, 1000, 3071}) {
                    assertThat(px[j]).isEqualTo((7 * k + 13 * j + b) % 256);
                }
            }
        }
    }

    @Test
    void refusesForeignGlobalsAndDamageWithTheFileNamed() throws IOException {
        Path dir = folder();
        Path batch = dir.resolve("data_batch_3");
        byte[] good = Files.readAllBytes(batch);
        // a pickle that names os.system instead of NumPy's array rebuilder
        Files.write(batch, "\u0080\u0002cos\nsystem\nU\u0002ls\u0085R.".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> new CIFAR10(root, true, null)).hasMessageContaining(batch.toString())
                .hasMessageContaining("refusing the global os.system");
        Files.write(batch, java.util.Arrays.copyOf(good, good.length - 100));
        assertThatThrownBy(() -> new CIFAR10(root, true, null)).hasMessageContaining(batch.toString())
                .hasMessageContaining("ends early");
    }
}
