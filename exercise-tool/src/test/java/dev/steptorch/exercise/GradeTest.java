package dev.steptorch.exercise;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steptorch.exercise.Results.Case;
import dev.steptorch.exercise.Results.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Grading from what Maven leaves behind: Surefire's XML reports of copies with some exercises
 * solved, and the output of a copy whose module does not compile.
 */
class GradeTest {
    private static Exercise exercise(String id, String module, int points, String tests) {
        return new Exercise(id, Catalog.stepOf(module), module, id, id, "s", "easy", points, "the hint", "", List.of(tests.split(",")),
                List.of());
    }

    private static final Exercise MUL = exercise("step3.mul-backward", "step3-autograd", 2, "AutogradExercisesTest#mulBackward");
    private static final Exercise MM = exercise("step3.mm-backward", "step3-autograd", 3, "AutogradExercisesTest#mmBackward");
    private static final Exercise ADAM = exercise("step6.adam", "step6-optim", 4, "OptimExercisesTest#adam*");

    private static void report(Path dir, String cls, String... cases) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("TEST-dev.steptorch." + cls + ".xml"), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<testsuite name=\"dev.steptorch." + cls + "\">" + String.join("", cases) + "</testsuite>");
    }

    private static String pass(String cls, String method) {
        return "<testcase name=\"" + method + "\" classname=\"dev.steptorch." + cls + "\" time=\"0.1\"/>";
    }

    private static String fail(String cls, String method, String message, String trace) {
        return "<testcase name=\"" + method + "\" classname=\"dev.steptorch." + cls + "\"><failure message=\"" + message
                + "\" type=\"java.lang.AssertionError\">" + trace + "</failure></testcase>";
    }

    @Test
    void copiesWithSomeExercisesSolvedScoreThoseAndExplainTheRest(@TempDir Path tmp) throws IOException {
        // alice solved mul; her mm still throws its stub
        Path alice = tmp.resolve("alice/step3-autograd/target/surefire-reports");
        report(alice, "AutogradExercisesTest", pass("AutogradExercisesTest", "mulBackward"),
                fail("AutogradExercisesTest", "mmBackward", "Exercise step3.mm-backward: the hint",
                        "java.lang.UnsupportedOperationException: Exercise step3.mm-backward: the hint\n"
                                + "\tat dev.steptorch.autograd.Derivatives.mm(Derivatives.java:140)"));
        // bob solved both, but mm gives a wrong element
        Path bob = tmp.resolve("bob/step3-autograd/target/surefire-reports");
        report(bob, "AutogradExercisesTest", pass("AutogradExercisesTest", "mulBackward"),
                fail("AutogradExercisesTest", "mmBackward", "a.grad for y = a.mm(b) at [0, 1]: expected 3.0, got 0.0",
                        "java.lang.AssertionError: a.grad ...\n\tat dev.steptorch.tensor.ExerciseAssert.close(ExerciseAssert.java:38)\n"
                                + "\tat dev.steptorch.autograd.AutogradExercisesTest.mmBackward(AutogradExercisesTest.java:60)"));
        List<Grades.Row> rows = new ArrayList<>();
        for (String student : List.of("alice", "bob")) {
            List<Case> cases = Results.read(tmp.resolve(student).resolve("step3-autograd/target/surefire-reports"));
            for (Exercise e : List.of(MUL, MM)) {
                rows.add(new Grades.Row(student, Results.judge(e, cases, null)));
            }
        }
        assertThat(rows).extracting(r -> r.outcome().score()).containsExactly(2, 0, 2, 0);
        assertThat(rows.get(1).outcome().why())
                .isEqualTo("not written yet: the code of step3.mm-backward still throws its stub (test AutogradExercisesTest#mmBackward)");
        assertThat(rows.get(3).outcome().why()).contains("a.grad for y = a.mm(b) at [0, 1]: expected 3.0, got 0.0");

        assertThat(Grades.csv(rows)).containsExactly("student,exercise,step,points,max,status,note",
                "alice,step3.mul-backward,3,2,2,passed,1 test(s) pass",
                "alice,step3.mm-backward,3,0,3,failed,not written yet: the code of step3.mm-backward still throws its stub "
                        + "(test AutogradExercisesTest#mmBackward)",
                "bob,step3.mul-backward,3,2,2,passed,1 test(s) pass",
                "bob,step3.mm-backward,3,0,3,failed,\"test AutogradExercisesTest#mmBackward fails: a.grad for y = a.mm(b) at [0, 1]: "
                        + "expected 3.0, got 0.0\"");
        assertThat(Grades.markdown(rows)).contains("| alice | 2/5 |", "| bob | 2/5 |");
    }

    @Test
    void aModuleThatDoesNotCompileScoresZeroForItsExercisesAndTheOnesAboveAndSaysWhy() {
        String output = """
                [ERROR] COMPILATION ERROR :
                [ERROR] /home/s/copy/step3-autograd/src/main/java/dev/steptorch/autograd/Derivatives.java:[69,30] ';' expected
                [ERROR] Failed to execute goal org.apache.maven.plugins:maven-compiler-plugin:3.13.0:compile (default-compile) \
                on project step3-autograd: Compilation failure
                """;
        Map<String, String> broken = Maven.broken(output);
        assertThat(broken).containsEntry("step3-autograd", "does not compile: Derivatives.java line 69: ';' expected");
        Maven.Run run = new Maven.Run(1, Map.of(), broken, output);
        Results.Outcome mul = Results.judge(MUL, List.of(), run.whyNotBuilt("step3-autograd"));
        Results.Outcome adam = Results.judge(ADAM, List.of(), run.whyNotBuilt("step6-optim"));
        assertThat(mul.status()).isEqualTo(Status.NOT_COMPILED);
        assertThat(mul.score()).isZero();
        assertThat(mul.why()).isEqualTo("step3-autograd does not compile: Derivatives.java line 69: ';' expected");
        assertThat(adam.score()).isZero();
        assertThat(adam.why())
                .isEqualTo("step6-optim builds on step3-autograd, which does not compile: Derivatives.java line 69: ';' expected");
    }

    @Test
    void anExerciseWhoseTestsDidNotRunScoresZero() {
        Results.Outcome o = Results.judge(ADAM, List.of(new Case("OptimExercisesTest", "sgdMomentum", true, "", "")), null);
        assertThat(o.status()).isEqualTo(Status.NOT_RUN);
        assertThat(Results.judge(ADAM, List.of(new Case("OptimExercisesTest", "adamBiasCorrection", true, "", "")), null).score())
                .isEqualTo(4);
    }
}
