package dev.steptorch.exercise;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code make} on the real project: the copy of step 1 with its exercises cut compiles, each stub
 * names its exercise, and nothing of a solution is left. Also the checks {@code verify} makes
 * before it builds anything, on every exercise of the project, and the steps' pages list them.
 */
class MakeTest {
    /** The project: Surefire runs in this module's folder. */
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    /** In a student copy the regions hold stubs, not solutions: nothing to check there. */
    @BeforeAll
    static void onlyInTheReference() {
        Assumptions.assumeFalse(Files.exists(ROOT.resolve(Project.CUT_FILE)), "this is a student copy");
    }

    @Test
    void theProjectsCatalogMarkersAndDocsAgree() {
        Project p = Project.open(ROOT);
        assertThat(p.catalog.all()).hasSizeGreaterThanOrEqualTo(30);
        for (int step = 1; step <= 8; step++) {
            int s = step;
            assertThat(p.catalog.all().stream().filter(e -> e.step() == s)).as("exercises of step " + s).hasSizeGreaterThanOrEqualTo(3);
        }
        for (Exercise e : p.catalog.all()) {
            assertThat(ROOT.resolve("docs/" + e.module() + ".md")).as("the step's page lists its exercises").content()
                    .contains("`" + e.id() + "`");
        }
        assertThat(ROOT.resolve("docs/teaching.md")).exists();
        assertThat(ROOT.resolve("docs/zh/teaching.md")).exists();
        Verify v = new Verify(p, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        p.catalog.all().forEach(v::checkStub);
        assertThat(v.problems()).isEmpty();
    }

    @Test
    void aCopyOfStepOneWithItsExercisesCutCompiles(@TempDir Path tmp) throws IOException {
        Path copy = tmp.resolve("student");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = new Main(ROOT, new PrintStream(out, true, StandardCharsets.UTF_8)).run(List.of("make", copy.toString(), "--steps", "1"));
        assertThat(code).isZero();
        Project p = Project.open(ROOT);
        List<Exercise> stepOne = p.catalog.all().stream().filter(e -> e.step() == 1).toList();
        assertThat(Files.readAllLines(copy.resolve(Project.CUT_FILE))).containsAll(stepOne.stream().map(Exercise::id).toList());
        assertThat(copy.resolve("exercise")).exists();
        // a plain `mvn verify` in the copy runs the graded tests alone
        assertThat(Files.readAllLines(copy.resolve(".mvn/maven.config"))).contains("-Dtest=*ExercisesTest");
        assertThat(copy.resolve("exercise-tool/src/main/java/dev/steptorch/exercise/Main.java")).exists();

        for (Exercise e : stepOne) {
            Regions.Region r = p.regions.get(e.id());
            List<String> copied = Project.read(copy.resolve(r.file()));
            Regions.Region stub = Regions.parse(r.file(), copied).stream().filter(x -> x.id().equals(e.id())).findFirst().orElseThrow();
            String cut = String.join("\n", stub.body(copied));
            assertThat(cut).contains("throw new UnsupportedOperationException(\"Exercise " + e.id() + ": ");
            for (String line : r.body(Project.read(ROOT.resolve(r.file())))) {
                if (line.strip().length() > 6) {
                    assertThat(cut).as(e.id() + " leaves no solution line").doesNotContain(line.strip());
                }
            }
        }
        // a region of another step is left as it is
        Regions.Region mul = p.regions.get("step3.mul-backward");
        assertThat(Files.readString(copy.resolve(mul.file()))).isEqualTo(Files.readString(ROOT.resolve(mul.file())));

        List<String> sources = new ArrayList<>();
        for (String dir : List.of("step1-ndarray/src/main/java", "step1-ndarray/lessons")) {
            try (Stream<Path> s = Files.walk(copy.resolve(dir))) {
                s.filter(f -> f.toString().endsWith(".java")).forEach(f -> sources.add(f.toString()));
            }
        }
        // step 1's libraries (picocli) are on this test's class path
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> args = new ArrayList<>(List.of("-d", tmp.resolve("classes").toString(), "--release", "17",
                "--add-modules", "jdk.incubator.vector", "-nowarn", "-encoding", "UTF-8", "-cp", classPath));
        args.addAll(sources);
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int javac = ToolProvider.getSystemJavaCompiler().run(null, errors, errors, args.toArray(String[]::new));
        assertThat(javac).as(errors.toString(StandardCharsets.UTF_8)).isZero();
    }
}
