package dev.steptorch.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;

/**
 * The command line of every lesson and tool, the same everywhere: {@code --help} prints the usage
 * (every option with its default, and an example) and exits with 0; a bad option or value, and
 * any error while running, is one line on stderr and exit code 2, never a stack trace (set
 * {@code STEPTORCH_TRACE=1} to see the trace as well).
 *
 * <p>Lessons with options declare them as a picocli {@code @Command} class and call
 * {@link #parse(Object, String[])}; the others describe their few positional values with
 * {@link #lesson(String[], String, String, String, Value...)}. Both end in {@link #run}.
 */
public final class Cli {
    /** The exit code of a bad command line or a failed run, as in the shell's convention for misuse. */
    public static final int USAGE = 2;

    private static final IntConsumer DEFAULT_EXIT = System::exit;
    private static IntConsumer exit = DEFAULT_EXIT;

    private Cli() {
    }

    /** Thrown instead of exiting when a test has replaced the exit with {@link #exitWith}. */
    public static final class Exit extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int code;

        public Exit(int code) {
            super("exit " + code, null, false, false);
            this.code = code;
        }

        public int code() {
            return code;
        }
    }

    /** For tests: what happens instead of {@code System.exit}. The consumer must not return normally. */
    public static void exitWith(IntConsumer handler) {
        exit = handler == null ? DEFAULT_EXIT : handler;
    }

    private static RuntimeException exit(int code) {
        exit.accept(code);
        return new Exit(code); // reached only if the handler returned
    }

    /** A lesson's body, which may throw anything; {@link #run} turns that into one line. */
    @FunctionalInterface
    public interface Body {
        void run() throws Exception;
    }

    /**
     * Parses {@code args} into {@code command} (an {@code @Command} object with {@code @Option}
     * fields): {@code --help} prints the usage and exits 0, a bad option or value prints one line
     * and exits 2. A command that implements {@link Validated} checks the values it got.
     */
    public static <T> T parse(T command, String[] args) {
        return parse(command, args, System.out, System.err);
    }

    public static <T> T parse(T command, String[] args, PrintStream out, PrintStream err) {
        CommandLine cl = commandLine(command);
        oneLineUncaught(cl.getCommandName());
        try {
            cl.parseArgs(args);
            if (cl.isUsageHelpRequested()) {
                cl.usage(out, CommandLine.Help.Ansi.OFF);
                throw exit(0);
            }
            if (command instanceof Validated v) {
                v.validate();
            }
        } catch (ParameterException e) {
            throw usageError(cl.getCommandName(), e.getMessage(), err);
        } catch (IllegalArgumentException e) {
            throw usageError(cl.getCommandName(), e.getMessage(), err);
        }
        return command;
    }

    /**
     * Parses {@code args} into {@code command} and checks it as {@link #parse(Object, String[])}
     * does, but throws IllegalArgumentException with the one-line message instead of printing and
     * exiting, and knows no {@code --help}: for tests, and for code that builds a command line.
     */
    public static <T> T parseOrThrow(T command, String[] args) {
        CommandLine cl = commandLine(command);
        try {
            cl.parseArgs(args);
        } catch (ParameterException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (command instanceof Validated v) {
            v.validate();
        }
        return command;
    }

    private static CommandLine commandLine(Object command) {
        CommandLine cl = new CommandLine(command);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setOverwrittenOptionsAllowed(true); // the last of a repeated option wins, as in most tools
        return cl;
    }

    /** A command whose values need checks beyond their types (a positive count, say). */
    public interface Validated {
        /** Throws IllegalArgumentException with a message naming the option and the value. */
        void validate();
    }

    private static RuntimeException usageError(String name, String message, PrintStream err) {
        err.println(name + ": " + message + " (see " + name + " --help)");
        return exit(USAGE);
    }

    /** A check of a value after parsing: unless {@code ok}, one line {@code NAME: message} and exit code 2. */
    public static void require(boolean ok, String name, String message) {
        if (!ok) {
            throw usageError(name, message, System.err);
        }
    }

    /** {@code value}, which must be 1 or more, else one line naming it and exit code 2. */
    public static int positive(int value, String name, String label) {
        require(value >= 1, name, label + " must be 1 or more, not " + value);
        return value;
    }

    /** One optional positional value of a lesson: its label, type, meaning and default. */
    public record Value(String label, Class<?> type, String description, String defaultValue) {
    }

    /** The values a lesson got, by position; a value not given is its default (null for "decided later"). */
    public record Values(List<Object> values) {
        @SuppressWarnings("unchecked")
        public <V> V get(int index) {
            return (V) values.get(index);
        }
    }

    /**
     * The command line of a lesson with no options, only optional positional values (or none):
     * answers {@code --help} with the summary, the values and the example; refuses anything else.
     */
    public static Values lesson(String[] args, String name, String summary, String example, Value... values) {
        return lesson(args, System.out, System.err, name, summary, example, values);
    }

    public static Values lesson(String[] args, PrintStream out, PrintStream err, String name, String summary,
                                String example, Value... values) {
        CommandSpec spec = CommandSpec.create().name(name).mixinStandardHelpOptions(true);
        spec.usageMessage().description(summary).footerHeading("%nExample:%n").footer("  " + example);
        List<picocli.CommandLine.Model.ArgSpec> order = new ArrayList<>();
        int index = 0;
        for (Value v : values) {
            String description = v.description() + " (default: " + (v.defaultValue() == null ? "see above" : v.defaultValue()) + ")";
            if (v.label().startsWith("-")) { // a flag
                OptionSpec o = OptionSpec.builder(v.label()).type(v.type()).arity("0").description(description).build();
                spec.addOption(o);
                order.add(o);
                continue;
            }
            PositionalParamSpec.Builder b = PositionalParamSpec.builder().index(String.valueOf(index++)).arity("0..1")
                    .paramLabel(v.label()).type(v.type()).description(description);
            if (v.defaultValue() != null) {
                b.defaultValue(v.defaultValue());
            }
            PositionalParamSpec p = b.build();
            spec.addPositional(p);
            order.add(p);
        }
        CommandLine cl = new CommandLine(spec);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        oneLineUncaught(name);
        try {
            cl.parseArgs(args);
        } catch (ParameterException e) {
            throw usageError(name, e.getMessage(), err);
        }
        if (cl.isUsageHelpRequested()) {
            cl.usage(out, CommandLine.Help.Ansi.OFF);
            throw exit(0);
        }
        if (cl.isVersionHelpRequested()) {
            out.println(name + " (StepTorch)");
            throw exit(0);
        }
        List<Object> got = new ArrayList<>();
        for (picocli.CommandLine.Model.ArgSpec a : order) {
            Object value = a.getValue();
            got.add(value == null && (a.type() == boolean.class || a.type() == Boolean.class) ? Boolean.FALSE : value);
        }
        return new Values(got);
    }

    /**
     * From here on an exception that nothing catches (in main or any other thread) ends the
     * program with one line, {@code NAME: message}, and exit code 2, as {@link #run} does. Only
     * in a real program: a test that replaced the exit with {@link #exitWith} keeps JUnit's handling.
     */
    private static void oneLineUncaught(String name) {
        if (exit != DEFAULT_EXIT) {
            return;
        }
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            System.err.println(name + ": " + oneLine(e));
            if (System.getenv("STEPTORCH_TRACE") != null) {
                e.printStackTrace();
            }
            System.exit(USAGE);
        });
    }

    /**
     * Runs a lesson's body: an exception becomes one line on stderr, {@code NAME: message}, and
     * exit code 2. With the environment variable {@code STEPTORCH_TRACE} set the trace follows.
     */
    public static void run(String name, Body body) {
        run(name, System.err, body);
    }

    public static void run(String name, PrintStream err, Body body) {
        try {
            body.run();
        } catch (Exit e) {
            throw e;
        } catch (Exception | StackOverflowError e) {
            err.println(name + ": " + oneLine(e));
            if (System.getenv("STEPTORCH_TRACE") != null) {
                e.printStackTrace(err);
            }
            throw exit(USAGE);
        }
    }

    /** Exceptions whose message says it all; others are named by their type too ("NoSuchFileException: x"). */
    private static final java.util.Set<Class<?>> PLAIN = java.util.Set.of(IllegalArgumentException.class,
            IllegalStateException.class, UnsupportedOperationException.class, java.io.IOException.class,
            java.io.FileNotFoundException.class);

    /** The message of an exception on one line; a bare NullPointerException etc. is named by its type. */
    public static String oneLine(Throwable e) {
        if (e instanceof java.io.UncheckedIOException && e.getCause() != null) {
            e = e.getCause();
        }
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            message = e.getClass().getSimpleName();
        } else if (!PLAIN.contains(e.getClass())) {
            message = e.getClass().getSimpleName() + ": " + message;
        }
        return message.replaceAll("\\s*\\R\\s*", " ").strip();
    }
}
