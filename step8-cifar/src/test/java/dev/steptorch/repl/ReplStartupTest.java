package dev.steptorch.repl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import org.junit.jupiter.api.Test;

/**
 * The startup script of {@code ./lesson --jshell} runs in JShell with every step's classes, and
 * then the docs' first line, {@code var x = Torch.randn(2, 3)}, works as typed.
 */
class ReplStartupTest {
    private static final Path STARTUP = Path.of("..", "repl", "startup.jsh");

    @Test
    void theStartupScriptRunsAndTheFirstLineOfTheDocsWorks() throws IOException {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        try (JShell shell = JShell.builder().executionEngine("local")
                .compilerOptions("--add-modules", "jdk.incubator.vector").build()) {
            for (String entry : classPath.split(File.pathSeparator)) {
                if (!entry.isBlank()) {
                    shell.addToClasspath(entry);
                }
            }
            List<String> problems = new ArrayList<>();
            run(shell, Files.readString(STARTUP), problems);
            assertThat(problems).as("the startup script's snippets").isEmpty();
            assertThat(shell.imports().map(i -> i.fullname())).contains("dev.steptorch.tensor.*", "dev.steptorch.autograd.*",
                    "dev.steptorch.nn.*", "dev.steptorch.optim.*");

            run(shell, "var x = Torch.randn(2, 3);", problems);
            run(shell, "var y = x.mul(2).sum();", problems);
            run(shell, "var net = new Sequential(new Linear(3, 2), new ReLU());", problems);
            run(shell, "var opt = new SGD(net.parameters(), SGD.defaults().lr(0.1));", problems);
            assertThat(problems).isEmpty();
            assertThat(value(shell, "java.util.Arrays.toString(x.shape())")).isEqualTo("\"[2, 3]\"");
            assertThat(value(shell, "net.numParameters(true)")).isEqualTo("8");
        }
    }

    /** Evaluates every snippet of {@code source}, noting each that is rejected or throws. */
    private static void run(JShell shell, String source, List<String> problems) {
        String rest = source;
        while (!rest.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = shell.sourceCodeAnalysis().analyzeCompletion(rest);
            String snippet = info.source() != null ? info.source() : rest;
            for (SnippetEvent e : shell.eval(snippet)) {
                if (e.status() == Snippet.Status.REJECTED) {
                    problems.add("rejected: " + snippet.strip() + " " + shell.diagnostics(e.snippet())
                            .map(d -> d.getMessage(null)).toList());
                } else if (e.exception() != null) {
                    problems.add("threw: " + snippet.strip() + " " + e.exception());
                }
            }
            rest = info.remaining() == null ? "" : info.remaining();
            if (info.source() == null) {
                break;
            }
        }
    }

    private static String value(JShell shell, String expression) {
        List<SnippetEvent> events = shell.eval(expression + ";");
        return events.get(0).value();
    }
}
