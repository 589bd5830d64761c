package dev.steptorch.vision.lessons;

import dev.steptorch.cli.Cli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Runs a lesson's {@code main} as the command line would, with stdout and stderr captured and
 * the exit turned into its code, for the tests of the lessons' options.
 */
final class MainCapture implements AutoCloseable {
    /** A lesson's main method. */
    interface Main {
        void run(String[] args) throws Exception;
    }

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final PrintStream stdout = System.out;
    private final PrintStream stderr = System.err;

    MainCapture() {
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        Cli.exitWith(code -> {
            throw new Cli.Exit(code);
        });
    }

    /** The exit code: 0 when main returns, else what it exited with. */
    int run(Main main, String... args) throws Exception {
        try {
            main.run(args);
        } catch (Cli.Exit e) {
            return e.code();
        }
        return 0;
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        System.setOut(stdout);
        System.setErr(stderr);
        Cli.exitWith(null);
    }
}
