package dev.steptorch.vision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steptorch.data.Batch;
import dev.steptorch.data.DataLoader;
import dev.steptorch.data.Sample;
import dev.steptorch.vision.transforms.Compose;
import dev.steptorch.vision.transforms.Normalize;
import dev.steptorch.vision.transforms.ToTensor;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** The real data set; CIFAR10_DIR names a folder with the binary layout (see the ImagesToCifarBinary tool). */
@EnabledIfEnvironmentVariable(named = "CIFAR10_DIR", matches = ".+",
        disabledReason = "CIFAR10_DIR is not set: point it at the CIFAR-10 binary files to run the real-data checks")
class CIFAR10RealDataTest {
    private static Path dir() {
        return Path.of(System.getenv("CIFAR10_DIR"));
    }

    @Test
    void allRecordsLoadWithBalancedClasses() throws IOException {
        for (boolean train : new boolean[] {true, false}) {
            CIFAR10 ds = new CIFAR10(dir(), train, null);
            assertThat(ds.size()).isEqualTo(train ? 50_000 : 10_000);
            int[] perClass = new int[10];
            for (int label : ds.targets()) {
                perClass[label]++;
            }
            assertThat(perClass).containsOnly(train ? 5000 : 1000);
            assertThat(ds.classes()).containsExactly(CifarFiles.CLASSES);
        }
    }

    @Test
    void oneEpochOfTheTestSetThroughTheLoader() throws IOException {
        CIFAR10 test = new CIFAR10(dir(), false,
                new Compose(new ToTensor(), new Normalize(new double[] {0.5, 0.5, 0.5}, new double[] {0.5, 0.5, 0.5})));
        DataLoader<Sample, Batch> loader = DataLoader.builder(test).batchSize(4).shuffle(true).numWorkers(2).seed(0).build();
        int images = 0;
        double min = Double.MAX_VALUE, max = -Double.MAX_VALUE;
        for (Batch b : loader) {
            assertThat(b.images().shape()).containsExactly(4, 3, 32, 32);
            for (float v : b.images().toFloatArray()) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            images += b.size();
        }
        assertThat(images).isEqualTo(10_000);
        assertThat(min).isGreaterThanOrEqualTo(-1.0).isLessThan(-0.9);
        assertThat(max).isLessThanOrEqualTo(1.0).isGreaterThan(0.9);
    }
}
