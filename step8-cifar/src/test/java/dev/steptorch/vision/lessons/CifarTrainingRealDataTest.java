package dev.steptorch.vision.lessons;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lesson on real CIFAR-10 images: a balanced subset of 5000 training and 1000 test images,
 * written with {@code java ImagesToCifarBinary.java OUT --per-class-train 500 --per-class-test 100}
 * and named by CIFAR10_SUBSET_DIR.
 *
 * <p>A tenth of the data for a few epochs cannot reach the course's 55 %, but it must clearly beat
 * guessing (10 %). With the course's lr of 0.001 the net is still near chance after one or two
 * epochs of 5000 images (21-35 % over seeds), so the run uses lr 0.005 for 3 epochs, which reached
 * 36-40 % over ten seeds (0.356 to 0.404); the bound of 30 % leaves room for changes in float rounding.
 */
@EnabledIfEnvironmentVariable(named = "CIFAR10_SUBSET_DIR", matches = ".+",
        disabledReason = "CIFAR10_SUBSET_DIR is not set: point it at a CIFAR-10 subset (500 train / 100 test images per class)")
class CifarTrainingRealDataTest {
    @TempDir
    Path out;

    @Test
    void threeEpochsOnTheSubsetBeatThirtyPercent() throws IOException {
        TrainCifar.Settings s = new TrainCifar.Settings();
        s.data = Path.of(System.getenv("CIFAR10_SUBSET_DIR"));
        s.epochs = 3;
        s.lr = 0.005;
        s.out = out;
        s.printEvery = 250;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TrainCifar.Result r = TrainCifar.run(s, new PrintStream(bytes, true, StandardCharsets.UTF_8), null);

        assertThat(r.trainImages()).as("the subset, 3 epochs").isEqualTo(3 * 5000);
        assertThat(r.evaluation().total()).isEqualTo(1000);
        assertThat(r.evaluation().accuracy()).as(bytes.toString(StandardCharsets.UTF_8)).isGreaterThan(0.30);
        // Training did something: the last epoch's losses are well below log(10) = 2.30 of a guess.
        double lastEpoch = r.losses().subList(2 * 1250, 3 * 1250).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertThat(lastEpoch).isLessThan(2.0);
    }
}
