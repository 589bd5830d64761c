package dev.steptorch.exercise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The catalog format: one block per exercise, and errors that name the file and line. */
class CatalogTest {
    private static final String GOOD = """
            # a comment
            [step3.mul-backward]
            title      = The backward row of mul
            title.zh   = mul 的反向公式行
            section    = Autograd
            difficulty = easy
            points     = 2
            hint       = d(a*b)/da = b
            tests      = AutogradExercisesTest#mulBackward, OtherTest

            [step3.mm-backward]
            title      = mm
            title.zh   = mm
            section    = Autograd
            difficulty = hard
            points     = 3
            hint       = G B^T
            tests      = AutogradExercisesTest#mm*+other
            depends    = step3.mul-backward
            """;

    private static List<Exercise> parse(String text) {
        return Catalog.parse("step3-autograd/exercises.txt", "step3-autograd", List.of(text.split("\n")));
    }

    @Test
    void readsEveryField() {
        List<Exercise> all = parse(GOOD);
        assertThat(all).hasSize(2);
        Exercise e = all.get(0);
        assertThat(e.id()).isEqualTo("step3.mul-backward");
        assertThat(e.step()).isEqualTo(3);
        assertThat(e.titleZh()).isEqualTo("mul 的反向公式行");
        assertThat(e.points()).isEqualTo(2);
        assertThat(e.tests()).containsExactly("AutogradExercisesTest#mulBackward", "OtherTest");
        assertThat(e.testSelector()).isEqualTo("AutogradExercisesTest#mulBackward,OtherTest");
        assertThat(e.stubMessage()).isEqualTo("Exercise step3.mul-backward: d(a*b)/da = b");
        assertThat(all.get(1).depends()).containsExactly("step3.mul-backward");
    }

    @Test
    void errorsNameTheFileAndLine() {
        assertThatThrownBy(() -> parse(GOOD.replace("[step3.mm-backward]", "[step3.mul-backward]")))
                .hasMessage("step3-autograd/exercises.txt:11: exercise step3.mul-backward is declared twice");
        assertThatThrownBy(() -> parse(GOOD.replace("points     = 3", "pints = 3")))
                .hasMessageStartingWith("step3-autograd/exercises.txt:16: unknown key 'pints'");
        assertThatThrownBy(() -> parse(GOOD.replace("hint       = G B^T\n", "")))
                .hasMessage("step3-autograd/exercises.txt:11: step3.mm-backward: 'hint' is missing");
        assertThatThrownBy(() -> parse(GOOD.replace("[step3.mm-backward]", "[step4.mm-backward]")))
                .hasMessage("step3-autograd/exercises.txt:11: step4.mm-backward: declared in step3-autograd but named for step 4");
        assertThatThrownBy(() -> parse(GOOD.replace("[step3.mm-backward]", "[Step3.MM]")))
                .hasMessageStartingWith("step3-autograd/exercises.txt:11: Step3.MM: an id looks like step3.mul-backward");
        assertThatThrownBy(() -> parse(GOOD.replace("points     = 2", "points     = two")))
                .hasMessage("step3-autograd/exercises.txt:2: step3.mul-backward: points must be a positive whole number, not two");
        assertThatThrownBy(() -> parse("title = x\n[step3.a]"))
                .hasMessage("step3-autograd/exercises.txt:1: expected [id] or key = value, got: title = x");
    }
}
