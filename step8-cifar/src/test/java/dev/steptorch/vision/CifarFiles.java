package dev.steptorch.vision;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes small CIFAR-10 binary files whose every pixel is known. */
final class CifarFiles {
    static final String[] CLASSES = {"airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"};

    private CifarFiles() {
    }

    /** The pixel byte of record {@code id}, channel c, row y, column x. */
    static int pixel(int id, int c, int y, int x) {
        return (id * 7 + c * 50 + y * 3 + x) & 0xFF;
    }

    static byte[] record(int id, int label) {
        byte[] r = new byte[CIFAR10.RECORD_BYTES];
        r[0] = (byte) label;
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    r[1 + c * 1024 + y * 32 + x] = (byte) pixel(id, c, y, x);
                }
            }
        }
        return r;
    }

    /**
     * A full layout in {@code dir}: batch k (1..5) holds records 10(k-1) .. 10(k-1)+perBatch-1, the
     * test batch records 100 .. 100+testRecords-1; record id has label id % 10.
     */
    static void write(Path dir, int perBatch, int testRecords) throws IOException {
        Files.createDirectories(dir);
        for (int k = 1; k <= 5; k++) {
            byte[] file = new byte[perBatch * CIFAR10.RECORD_BYTES];
            for (int i = 0; i < perBatch; i++) {
                int id = 10 * (k - 1) + i;
                System.arraycopy(record(id, id % 10), 0, file, i * CIFAR10.RECORD_BYTES, CIFAR10.RECORD_BYTES);
            }
            Files.write(dir.resolve("data_batch_" + k + ".bin"), file);
        }
        byte[] test = new byte[testRecords * CIFAR10.RECORD_BYTES];
        for (int i = 0; i < testRecords; i++) {
            System.arraycopy(record(100 + i, (100 + i) % 10), 0, test, i * CIFAR10.RECORD_BYTES, CIFAR10.RECORD_BYTES);
        }
        Files.write(dir.resolve("test_batch.bin"), test);
        Files.writeString(dir.resolve("batches.meta.txt"), String.join("\n", CLASSES) + "\n\n");
    }
}
