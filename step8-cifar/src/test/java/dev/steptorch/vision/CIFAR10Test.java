package dev.steptorch.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steptorch.data.Batch;
import dev.steptorch.data.DataLoader;
import dev.steptorch.data.Sample;
import dev.steptorch.tensor.DType;
import dev.steptorch.vision.transforms.Compose;
import dev.steptorch.vision.transforms.Normalize;
import dev.steptorch.vision.transforms.RandomCrop;
import dev.steptorch.vision.transforms.RandomHorizontalFlip;
import dev.steptorch.vision.transforms.ToTensor;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CIFAR10Test {
    @TempDir
    Path root;

    @Test
    void readsTrainingRecordsAcrossTheFiveBatchesInOrder() throws IOException {
        CifarFiles.write(root, 3, 2);
        CIFAR10 train = new CIFAR10(root, true, null);
        assertThat(train.size()).isEqualTo(15);
        assertThat(train.classes()).containsExactly(CifarFiles.CLASSES);
        // Index 7 is the second record of data_batch_3: id 21, label 1.
        assertThat(train.label(7)).isEqualTo(1);
        assertThat(train.image(7).get(2, 31, 5)).isEqualTo(CifarFiles.pixel(21, 2, 31, 5));
        assertThat(train.targets()).containsExactly(0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2);
        Sample s = train.get(14);
        assertThat(s.label()).isEqualTo(2);
        assertThat(s.image().shape()).containsExactly(3, 32, 32);
        assertThat(s.image().dtype()).isEqualTo(DType.FLOAT32);
        // Without ToTensor the values stay 0..255, plane by plane.
        float[] v = s.image().toFloatArray();
        assertThat(v[0]).isEqualTo(CifarFiles.pixel(42, 0, 0, 0));
        assertThat(v[1024 + 32 * 4 + 9]).isEqualTo(CifarFiles.pixel(42, 1, 4, 9));
        assertThat(v[3071]).isEqualTo(CifarFiles.pixel(42, 2, 31, 31));
    }

    @Test
    void readsTheTestSplitAndAppliesTheTransform() throws IOException {
        CifarFiles.write(root, 1, 4);
        CIFAR10 test = new CIFAR10(root, false,
                new Compose(new ToTensor(), new Normalize(new double[] {0.5, 0.5, 0.5}, new double[] {0.5, 0.5, 0.5})));
        assertThat(test.size()).isEqualTo(4);
        Sample s = test.get(3);
        assertThat(s.label()).isEqualTo(3);
        float[] v = s.image().toFloatArray();
        assertThat(v[32 * 2 + 1]).isEqualTo((CifarFiles.pixel(103, 0, 2, 1) / 255f - 0.5f) / 0.5f);
        assertThat(v[2048]).isEqualTo((CifarFiles.pixel(103, 2, 0, 0) / 255f - 0.5f) / 0.5f);
        assertThat(test.toString()).contains("Split: Test", "Normalize");
    }

    @Test
    void randomTransformsDrawFromTheGivenGenerator() throws IOException {
        CifarFiles.write(root, 1, 1);
        CIFAR10 test = new CIFAR10(root, false, new RandomHorizontalFlip(1.0));
        float[] v = test.get(0, new Random(1)).image().toFloatArray();
        assertThat(v[0]).isEqualTo(CifarFiles.pixel(100, 0, 0, 31));
        assertThat(test.get(0).image().toFloatArray()).containsExactly(test.get(0).image().toFloatArray());
    }

    @Test
    void augmentedBatchesAreTheSameWithAndWithoutWorkers() throws IOException {
        CifarFiles.write(root, 4, 1);
        CIFAR10 train = new CIFAR10(root, true, new Compose(new RandomCrop(32, 4), new RandomHorizontalFlip(), new ToTensor()));
        List<float[]> serial = new ArrayList<>(), parallel = new ArrayList<>();
        for (int workers : new int[] {0, 2}) {
            DataLoader<Sample, Batch> loader = DataLoader.builder(train).batchSize(3).shuffle(true).numWorkers(workers).seed(4).build();
            for (int epoch = 0; epoch < 2; epoch++) {
                for (Batch b : loader) {
                    (workers == 0 ? serial : parallel).add(b.images().toFloatArray());
                }
            }
        }
        assertThat(serial).hasSize(14);
        assertThat(parallel).zipSatisfy(serial, (p, q) -> assertThat(p).containsExactly(q));
        // Crops really vary: the 20 images of the two epochs are not all the untransformed ones.
        long unchanged = 0;
        for (float[] batch : serial) {
            for (int k = 0; k < batch.length / 3072; k++) {
                boolean same = false;
                for (int i = 0; i < train.size() && !same; i++) {
                    float[] plain = new ToTensor().apply(train.image(i), null).data();
                    same = java.util.Arrays.equals(plain, java.util.Arrays.copyOfRange(batch, k * 3072, (k + 1) * 3072));
                }
                unchanged += same ? 1 : 0;
            }
        }
        assertThat(unchanged).isLessThan(10);
    }

    @Test
    void findsTheOfficialSubfolder() throws IOException {
        CifarFiles.write(root.resolve(CIFAR10.BASE_FOLDER), 2, 2);
        assertThat(new CIFAR10(root, true, null).size()).isEqualTo(10);
    }

    @Test
    void aMissingDirectorySaysWhatIsExpectedAndHowToGetIt() {
        assertThatThrownBy(() -> new CIFAR10(root.resolve("nowhere"), true, null))
                .isInstanceOf(FileNotFoundException.class)
                .hasMessageContaining("no such directory")
                .hasMessageContaining("data_batch_1.bin")
                .hasMessageContaining("test_batch.bin")
                .hasMessageContaining("batches.meta.txt")
                .hasMessageContaining("download")
                .hasMessageContaining("ImagesToCifarBinary");
    }

    @Test
    void aMissingFileIsNamed() throws IOException {
        CifarFiles.write(root, 1, 1);
        Files.delete(root.resolve("data_batch_4.bin"));
        assertThatThrownBy(() -> new CIFAR10(root, false, null))
                .hasMessageContaining("missing [data_batch_4.bin]");
    }

    @Test
    void aTruncatedFileNamesTheFileAndTheIncompleteRecord() throws IOException {
        CifarFiles.write(root, 3, 1);
        try (RandomAccessFile f = new RandomAccessFile(root.resolve("data_batch_2.bin").toFile(), "rw")) {
            f.setLength(2 * 3073 + 1000);
        }
        assertThatThrownBy(() -> new CIFAR10(root, true, null))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("data_batch_2.bin")
                .hasMessageContaining("record 2, starting at byte offset 6146")
                .hasMessageContaining("1000 of 3073 bytes");
        // The test split does not read the damaged file.
        assertThat(new CIFAR10(root, false, null).size()).isEqualTo(1);
    }

    @Test
    void aLabelOutsideZeroToNineNamesTheFileAndOffset() throws IOException {
        CifarFiles.write(root, 1, 3);
        try (RandomAccessFile f = new RandomAccessFile(root.resolve("test_batch.bin").toFile(), "rw")) {
            f.seek(2 * 3073);
            f.write(12);
        }
        assertThatThrownBy(() -> new CIFAR10(root, false, null))
                .hasMessageContaining("test_batch.bin")
                .hasMessageContaining("record 2 at byte offset 6146 has label 12");
    }

    @Test
    void aMetaFileWithoutTenClassesIsRefused() throws IOException {
        CifarFiles.write(root, 1, 1);
        Files.writeString(root.resolve("batches.meta.txt"), "cat\ndog\n");
        assertThatThrownBy(() -> new CIFAR10(root, true, null)).hasMessageContaining("names 2: [cat, dog]");
    }

    @Test
    void indicesAreChecked() throws IOException {
        CifarFiles.write(root, 1, 1);
        CIFAR10 test = new CIFAR10(root, false, null);
        assertThatThrownBy(() -> test.get(1)).isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("index 1");
        assertThatThrownBy(() -> test.get(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
