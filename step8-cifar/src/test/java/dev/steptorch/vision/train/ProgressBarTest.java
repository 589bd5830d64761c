package dev.steptorch.vision.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bar on a terminal redraws one line; into a file or pipe it prints a line per tenth; both end with the time taken. */
class ProgressBarTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void pipedOutputGetsALineEveryTenthWithElapsedTimeAndEta() {
        ProgressBar bar = new ProgressBar(out, "epoch 1", 100, false);
        for (int i = 1; i <= 100; i++) {
            bar.update(i, 4L * i);
        }
        bar.finish(100);
        List<String> lines = printed().lines().toList();
        assertThat(printed()).doesNotContain("\r");
        assertThat(lines).hasSize(10);
        assertThat(lines.get(0)).startsWith("epoch 1 [===>").contains("10/100", "img/s", "elapsed 0:0", "ETA 0:");
        assertThat(lines.get(8)).contains("90/100", "ETA");
        assertThat(lines.get(9)).startsWith("epoch 1: 100/100 in 0:0").contains(" s, ", "img/s)");
    }

    @Test
    void aTerminalGetsOneLineRedrawnInPlace() {
        ProgressBar bar = new ProgressBar(out, "epoch 2", 3, true);
        bar.update(1, 4);
        bar.clear();
        out.println("[2,     1] loss: 2.302");
        bar.update(3, 12);
        bar.finish(3);
        assertThat(printed()).startsWith("\repoch 2 [==========>").contains("\r" + " ".repeat(10), "[2,     1] loss: 2.302\n")
                .contains("3/3").endsWith("img/s)\n");
    }

    @Test
    void clockReadsLikeAStopwatch() {
        assertThat(ProgressBar.clock(75.2)).isEqualTo("1:15");
        assertThat(ProgressBar.clock(3723)).isEqualTo("1:02:03");
        assertThat(ProgressBar.clock(0.4)).isEqualTo("0:00");
    }
}
