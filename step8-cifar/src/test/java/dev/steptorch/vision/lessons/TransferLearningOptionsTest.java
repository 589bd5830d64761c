package dev.steptorch.vision.lessons;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steptorch.cli.Cli;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TransferLearning's two command lines (CIFAR cat/dog, and the tutorial's train/val folder): help and one-line refusals. */
class TransferLearningOptionsTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream stdout;
    private PrintStream stderr;

    @BeforeEach
    void capture() {
        stdout = System.out;
        stderr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        Cli.exitWith(code -> {
            throw new Cli.Exit(code);
        });
    }

    @AfterEach
    void restore() {
        System.setOut(stdout);
        System.setErr(stderr);
        Cli.exitWith(null);
    }

    private int main(String... args) throws IOException {
        try {
            TransferLearning.main(args);
        } catch (Cli.Exit e) {
            return e.code();
        }
        return 0;
    }

    @Test
    void helpListsEveryOptionWithItsDefault() throws IOException {
        assertThat(main("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Usage: TransferLearning", "--weights=FILE",
                "runs/cifar10/cifar_net.", "--epochs=N", "(default: 10)", "--per-class=N", "(default: 500)",
                "--lr=X", "--momentum=X", "--step-size=N", "--gamma=X", "--workers=N", "--seed=N", "--out=DIR", "Examples:");
    }

    @Test
    void theTutorialsFolderGetsTheTutorialsOptions(@TempDir Path tmp) throws IOException {
        Files.createDirectories(tmp.resolve("train"));
        Files.createDirectories(tmp.resolve("val"));
        assertThat(main("--data", tmp.toString(), "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("ResNet-18", "--mode=both|finetune|feature", "(default: 25)",
                "--width=N");
        assertThat(main("--data", tmp.toString(), "--mode", "all")).isEqualTo(Cli.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("TransferLearning: --mode must be both, finetune or feature");
    }

    @Test
    void badValuesAreOneLineWithExitCode2() throws IOException {
        assertThat(main("--epochs", "ten")).isEqualTo(Cli.USAGE);
        assertThat(main("--epochs", "0")).isEqualTo(Cli.USAGE);
        assertThat(main("--per-class", "-5")).isEqualTo(Cli.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8).lines()).hasSize(3)
                .allSatisfy(l -> assertThat(l).startsWith("TransferLearning: "));
        assertThatThrownBy(() -> TransferLearning.Settings.parse(new String[] {"--workers", "-1"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--workers");
    }

    @Test
    void missingWeightsIsOneLine(@TempDir Path tmp) throws IOException {
        assertThat(main("--data", tmp.toString(), "--weights", tmp.resolve("none.safetensors").toString(), "--out",
                tmp.resolve("out").toString())).isEqualTo(Cli.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8).lines()).hasSize(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("TransferLearning: ");
    }
}
