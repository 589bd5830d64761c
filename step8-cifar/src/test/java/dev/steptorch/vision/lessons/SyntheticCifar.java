package dev.steptorch.vision.lessons;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * A tiny CIFAR-10 in the binary layout whose classes a small CNN can learn in a few epochs: each
 * image is dim noise with one bright 6x8 square, and the square's position is the class (five
 * columns, two rows). Labels cycle 0..9, so every class has the same number of images.
 */
final class SyntheticCifar {
    static final String[] CLASSES = {"airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"};
    private static final int RECORD = 1 + 3 * 32 * 32;

    private SyntheticCifar() {
    }

    /** The label of training image {@code i} (test images: the same rule). */
    static int label(int i) {
        return i % 10;
    }

    static byte[] image(int label, Random random) {
        byte[] r = new byte[RECORD];
        r[0] = (byte) label;
        int x0 = (label % 5) * 6 + 1;
        int y0 = (label / 5) * 16 + 4;
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    boolean square = x >= x0 && x < x0 + 6 && y >= y0 && y < y0 + 8;
                    r[1 + c * 1024 + y * 32 + x] = (byte) (square ? 200 + random.nextInt(56) : random.nextInt(90));
                }
            }
        }
        return r;
    }

    /** Writes {@code train} images (a multiple of 5, spread over the five batch files) and {@code test} images. */
    static void write(Path dir, int train, int test, long seed) throws IOException {
        Files.createDirectories(dir);
        Random random = new Random(seed);
        int perBatch = train / 5;
        for (int k = 0; k < 5; k++) {
            byte[] file = new byte[perBatch * RECORD];
            for (int i = 0; i < perBatch; i++) {
                System.arraycopy(image(label(k * perBatch + i), random), 0, file, i * RECORD, RECORD);
            }
            Files.write(dir.resolve("data_batch_" + (k + 1) + ".bin"), file);
        }
        byte[] file = new byte[test * RECORD];
        for (int i = 0; i < test; i++) {
            System.arraycopy(image(label(i), random), 0, file, i * RECORD, RECORD);
        }
        Files.write(dir.resolve("test_batch.bin"), file);
        Files.writeString(dir.resolve("batches.meta.txt"), String.join("\n", CLASSES) + "\n");
    }
}
