package dev.steptorch.ndarray;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steptorch.ndarray.lessons.WarmupNumpy;
import dev.steptorch.ndarray.lessons.WarmupNumpyShapes;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The warm-up lessons do what the course's programs do. */
class WarmupLessonTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {0, 1})
    void theLossFallsBySixOrdersOfMagnitudeIn500Steps(long seed) {
        NumPy.random().seed(seed);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        double[] losses = WarmupNumpy.train(64, 1000, 100, 10, 500, 1e-6, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertThat(losses).hasSize(500);
        assertThat(losses[0] / losses[499]).isGreaterThanOrEqualTo(1e6);
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(500);
        assertThat(lines[0]).matches("0 \\d+\\.\\d+");                           // "t loss", as the course prints
        assertThat(lines[499]).startsWith("499 ");
        assertThat(Double.parseDouble(lines[499].substring(4))).isEqualTo(losses[499]);
    }

    @Test
    void theShapesLessonPrintsEveryShapeAndTheGradients() {
        PrintStream saved = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            WarmupNumpyShapes.main(new String[] {"2"});
        } finally {
            System.setOut(saved);
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("x shape: (4, 10)", "y shape: (4, 3)", "w1 shape: (10, 6)", "w2 shape: (6, 3)",
                "h shape: (4, 6)", "y_pred shape: (4, 3)", "loss shape: ()", "grad_w2 shape: (6, 3)",
                "grad_h_relu shape: (4, 6)", "1 grad_h: [[", "2 grad_h: [[", "grad_w1: [[");
        assertThat(out).containsPattern("\n1 \\d+\\.\\d+\n");
    }
}
