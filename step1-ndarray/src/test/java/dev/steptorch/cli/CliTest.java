package dev.steptorch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steptorch.ndarray.lessons.WarmupNumpy;
import dev.steptorch.ndarray.lessons.WarmupNumpyShapes;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Every command answers --help with exit 0, and refuses a bad option or value in one line with exit 2. */
class CliTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
    private final PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);

    @BeforeEach
    void exitThrows() {
        Cli.exitWith(code -> {
            throw new Cli.Exit(code);
        });
    }

    @AfterEach
    void exitExits() {
        Cli.exitWith(null);
    }

    private int exitCode(Runnable r) {
        try {
            r.run();
        } catch (Cli.Exit e) {
            return e.code();
        }
        return -1;
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpPrintsTheSummaryEveryValueWithItsDefaultAndAnExample() {
        int code = exitCode(() -> Cli.lesson(new String[] {"--help"}, outStream, errStream, "Demo", "Fits a line.",
                "./lesson Demo 10", new Cli.Value("STEPS", int.class, "how many steps", "500")));
        assertThat(code).isZero();
        assertThat(out()).contains("Usage: Demo", "Fits a line.", "STEPS", "how many steps (default: 500)", "-h, --help",
                "Example:", "./lesson Demo 10");
        assertThat(err()).isEmpty();
    }

    @Test
    void aBadValueIsOneLineNamingItWithExitCode2() {
        int code = exitCode(() -> Cli.lesson(new String[] {"two"}, outStream, errStream, "Demo", "Fits a line.",
                "./lesson Demo 10", new Cli.Value("STEPS", int.class, "how many steps", "500")));
        assertThat(code).isEqualTo(Cli.USAGE);
        assertThat(err().lines()).hasSize(1);
        assertThat(err()).contains("Demo:", "'two'", "STEPS", "--help");
        assertThat(out()).isEmpty();
    }

    @Test
    void aLessonWithoutOptionsRefusesAnyAndTakesNone() {
        assertThat(exitCode(() -> Cli.lesson(new String[] {"--epochs", "2"}, outStream, errStream, "Demo", "s", "e")))
                .isEqualTo(Cli.USAGE);
        assertThat(err().lines()).hasSize(1);
        assertThat(err()).contains("--epochs");
        assertThat(Cli.lesson(new String[0], outStream, errStream, "Demo", "s", "e").values()).isEmpty();
    }

    @Test
    void valuesAndFlagsArriveTypedAndDefaultsFillTheRest() {
        Cli.Values v = Cli.lesson(new String[] {"--print-graph", "7"}, outStream, errStream, "Demo", "s", "e",
                new Cli.Value("SEED", long.class, "seed", "0"), new Cli.Value("--print-graph", boolean.class, "print", "false"));
        assertThat(v.<Long>get(0)).isEqualTo(7L);
        assertThat(v.<Boolean>get(1)).isTrue();
        Cli.Values none = Cli.lesson(new String[0], outStream, errStream, "Demo", "s", "e",
                new Cli.Value("SEED", long.class, "seed", "0"), new Cli.Value("--print-graph", boolean.class, "print", "false"));
        assertThat(none.<Long>get(0)).isZero();
        assertThat(none.<Boolean>get(1)).isFalse();
    }

    @Command(name = "Tool", mixinStandardHelpOptions = true, footer = "Example: Tool --count 3")
    static final class Tool implements Cli.Validated {
        @Option(names = "--count", description = "how many (default: ${DEFAULT-VALUE})")
        int count = 2;

        @Override
        public void validate() {
            if (count < 1) {
                throw new IllegalArgumentException("--count must be 1 or more, not " + count);
            }
        }
    }

    @Test
    void picocliCommandsGetHelpTypedValuesAndChecks() {
        assertThat(exitCode(() -> Cli.parse(new Tool(), new String[] {"--help"}, outStream, errStream))).isZero();
        assertThat(out()).contains("--count", "(default: 2)", "Example: Tool --count 3");
        assertThat(Cli.parse(new Tool(), new String[] {"--count", "5"}, outStream, errStream).count).isEqualTo(5);
        assertThat(exitCode(() -> Cli.parse(new Tool(), new String[] {"--count", "two"}, outStream, errStream)))
                .isEqualTo(Cli.USAGE);
        assertThat(exitCode(() -> Cli.parse(new Tool(), new String[] {"--count", "0"}, outStream, errStream)))
                .isEqualTo(Cli.USAGE);
        assertThat(exitCode(() -> Cli.parse(new Tool(), new String[] {"--cuont", "1"}, outStream, errStream)))
                .isEqualTo(Cli.USAGE);
        assertThat(err().lines()).hasSize(3).allSatisfy(line -> assertThat(line).startsWith("Tool: "));
        assertThat(err()).contains("'two' is not an int", "--count must be 1 or more, not 0", "--cuont");
    }

    @Test
    void aFailingRunIsOneLineWithExitCode2NeverATrace() {
        int code = exitCode(() -> Cli.run("Demo", errStream, () -> {
            throw new FileNotFoundException("CIFAR-10 not found in data.\nExpected data_batch_1.bin");
        }));
        assertThat(code).isEqualTo(Cli.USAGE);
        assertThat(err()).isEqualTo("Demo: CIFAR-10 not found in data. Expected data_batch_1.bin" + System.lineSeparator());
        assertThat(Cli.oneLine(new NullPointerException())).isEqualTo("NullPointerException");
        assertThat(Cli.oneLine(new java.nio.file.NoSuchFileException("x.bin"))).isEqualTo("NoSuchFileException: x.bin");
    }

    @Test
    void theStepOneLessonsAnswerHelpAndRefuseBadValues() {
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        System.setOut(outStream);
        System.setErr(errStream);
        try {
            assertThat(exitCode(() -> WarmupNumpy.main(new String[] {"--help"}))).isZero();
            assertThat(exitCode(() -> WarmupNumpyShapes.main(new String[] {"--help"}))).isZero();
            assertThat(exitCode(() -> WarmupNumpyShapes.main(new String[] {"two"}))).isEqualTo(Cli.USAGE);
            assertThat(exitCode(() -> WarmupNumpy.main(new String[] {"--fast"}))).isEqualTo(Cli.USAGE);
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
        assertThat(out()).contains("Usage: WarmupNumpy", "Usage: WarmupNumpyShapes", "STEPS", "(default: 500)");
        assertThat(err().lines()).hasSize(2);
        assertThatThrownBy(() -> {
            throw new Cli.Exit(3);
        }).hasMessage("exit 3");
    }
}
