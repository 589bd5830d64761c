package dev.steptorch.vision.lessons;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steptorch.cli.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TransferLearning's two command lines (CIFAR cat/dog, and the tutorial's train/val folder): help and one-line refusals. */
class TransferLearningOptionsTest {
    private MainCapture capture;

    @BeforeEach
    void capture() {
        capture = new MainCapture();
    }

    @AfterEach
    void restore() {
        capture.close();
    }

    private int main(String... args) throws Exception {
        return capture.run(TransferLearning::main, args);
    }

    @Test
    void helpListsEveryOptionWithItsDefault() throws Exception {
        assertThat(main("--help")).isZero();
        assertThat(capture.out()).contains("Usage: TransferLearning", "--weights=FILE",
                "runs/cifar10/cifar_net.", "--epochs=N", "(default: 10)", "--per-class=N", "(default: 500)",
                "--lr=X", "--momentum=X", "--step-size=N", "--gamma=X", "--workers=N", "--seed=N", "--out=DIR", "Examples:");
    }

    @Test
    void theTutorialsFolderGetsTheTutorialsOptions(@TempDir Path tmp) throws Exception {
        Files.createDirectories(tmp.resolve("train"));
        Files.createDirectories(tmp.resolve("val"));
        assertThat(main("--data", tmp.toString(), "--help")).isZero();
        assertThat(capture.out()).contains("ResNet-18", "--mode=both|finetune|feature", "(default: 25)",
                "--width=N");
        assertThat(main("--data", tmp.toString(), "--mode", "all")).isEqualTo(Cli.USAGE);
        assertThat(capture.err()).startsWith("TransferLearning: --mode must be both, finetune or feature");
    }

    @Test
    void badValuesAreOneLineWithExitCode2() throws Exception {
        assertThat(main("--epochs", "ten")).isEqualTo(Cli.USAGE);
        assertThat(main("--epochs", "0")).isEqualTo(Cli.USAGE);
        assertThat(main("--per-class", "-5")).isEqualTo(Cli.USAGE);
        assertThat(capture.err().lines()).hasSize(3)
                .allSatisfy(l -> assertThat(l).startsWith("TransferLearning: "));
        assertThatThrownBy(() -> TransferLearning.Settings.parse(new String[] {"--workers", "-1"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--workers");
    }

    @Test
    void missingWeightsIsOneLine(@TempDir Path tmp) throws Exception {
        assertThat(main("--data", tmp.toString(), "--weights", tmp.resolve("none.safetensors").toString(), "--out",
                tmp.resolve("out").toString())).isEqualTo(Cli.USAGE);
        assertThat(capture.err().lines()).hasSize(1);
        assertThat(capture.err()).contains("TransferLearning: ");
    }
}
