package dev.steptorch.vision.lessons;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steptorch.cli.Cli;
import dev.steptorch.vision.CifarNet;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TrainCifar's command line: --help with every option and its default, and one-line refusals with exit code 2. */
class TrainCifarOptionsTest {
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
        return capture.run(TrainCifar::main, args);
    }

    @Test
    void helpListsEveryOptionWithItsDefaultAndExamples() throws Exception {
        assertThat(main("--help")).isZero();
        String help = capture.out();
        assertThat(help).contains("Usage: TrainCifar", "--data=DIR", "(default: data)", "--download", "--device=cpu|gpu",
                "--epochs=N", "(default: 2)", "--batch-size=N", "(default: 4)", "--workers=N", "--lr=X", "(default: 0.001)",
                "--momentum=X", "(default: 0.9)", "--out=DIR", "--resume", "--seed=N", "--limit=N", "--print-every=N",
                "Examples:", "./lesson TrainCifar --download");
        assertThat(capture.err()).isEmpty();
    }

    @Test
    void badValuesAreOneLineWithExitCode2() throws Exception {
        assertThat(main("--epochs", "two")).isEqualTo(Cli.USAGE);
        assertThat(main("--epochs", "0")).isEqualTo(Cli.USAGE);
        assertThat(main("--limit", "-5")).isEqualTo(Cli.USAGE);
        assertThat(main("--device", "tpu")).isEqualTo(Cli.USAGE);
        assertThat(main("--epoch", "2")).isEqualTo(Cli.USAGE);
        assertThat(main("--batch-size", "0")).isEqualTo(Cli.USAGE);
        assertThat(main("--lr", "-1")).isEqualTo(Cli.USAGE);
        assertThat(capture.err().lines()).hasSize(7).allSatisfy(line -> assertThat(line).startsWith("TrainCifar: "));
        assertThat(capture.err()).contains("'two' is not an int", "--epochs must be 1 or more, not 0",
                "--limit must be a positive number of images (or 0 for all), not -5", "tpu", "--epoch", "--batch-size",
                "--lr must be a positive number");
        assertThat(capture.err()).doesNotContain("Exception", "\tat ");
    }

    @Test
    void missingDataIsOneLineWithExitCode2(@TempDir Path tmp) throws Exception {
        assertThat(main("--data", tmp.resolve("none").toString(), "--out", tmp.resolve("out").toString(), "--device", "cpu"))
                .isEqualTo(Cli.USAGE);
        assertThat(capture.err().lines()).hasSize(1);
        assertThat(capture.err()).startsWith("TrainCifar: CIFAR-10 not found in").contains("--download");
    }

    @Test
    void parseThrowsTheSameMessagesForCallersThatDoNotExit() {
        assertThatThrownBy(() -> TrainCifar.Settings.parse(new String[] {"--epochs", "0"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--epochs must be 1 or more, not 0");
    }

    @Test
    void theBlitzCifarNetHasPyTorchsParameterCountAndSummary() {
        CifarNet net = new CifarNet();
        // PyTorch: sum(p.numel() for p in Net().parameters()) == 62006 for the blitz's CIFAR-10 network
        assertThat(net.numParameters(true)).isEqualTo(62006);
        String summary = net.summary(4, 3, 32, 32);
        assertThat(summary).contains("├─Conv2d: 1-1", "[4, 6, 28, 28]", "456", "├─MaxPool2d: 1-2", "[4, 6, 14, 14]",
                "[4, 16, 10, 10]", "2,416", "[4, 16, 5, 5]", "48,120", "10,164", "[4, 10]", "850", "Total params: 62,006",
                "Trainable params: 62,006", "Non-trainable params: 0");
    }
}
