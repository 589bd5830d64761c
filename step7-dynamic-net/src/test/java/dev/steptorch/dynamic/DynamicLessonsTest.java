package dev.steptorch.dynamic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steptorch.dynamic.lessons.DynamicNetLesson;
import dev.steptorch.dynamic.lessons.StaticGraphLesson;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Both lessons train at the course's sizes: the loss falls, and a seed fixes every number. */
class DynamicLessonsTest {
    private static double mean(double[] v, int from, int to) {
        return Arrays.stream(v, from, to).average().orElseThrow();
    }

    @Test
    void dynamicNetLessonLearnsAndIsReproducible() {
        double[] losses = DynamicNetLesson.train(100, 1, null);
        // The depth changes from pass to pass, so single losses jump; compare averages.
        assertThat(mean(losses, 90, 100)).isLessThan(0.5 * mean(losses, 0, 10));
        assertThat(DynamicNetLesson.train(100, 1, null)).containsExactly(losses);
        assertThat(DynamicNetLesson.train(100, 2, null)).isNotEqualTo(losses);
    }

    @Test
    void staticGraphLessonLearnsAndIsReproducible() {
        double[] losses = StaticGraphLesson.train(30, 1, null, false);
        // The first steps may overshoot (lr 1e-6 on randn weights); after 30 the loss is far below its start.
        assertThat(losses[29]).isLessThan(0.05 * losses[0]);
        assertThat(StaticGraphLesson.train(30, 1, null, false)).containsExactly(losses);
        assertThat(StaticGraphLesson.train(30, 2, null, false)).isNotEqualTo(losses);
    }

    @Test
    void staticGraphLessonPrintsItsGraphOnRequest() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StaticGraphLesson.train(2, 0, new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertThat(printed).startsWith("x = placeholder[None, 1000]\ny = placeholder[None, 10]\nw1 = variable\n");
        assertThat(printed).contains("assign(w1, ", "assign(w2, ");
    }
}
