package dev.steptorch.exercise;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs the tests of some exercises with Maven and reads what came out. Offline ({@code -o}) by
 * default, since the reference was built once already; {@code EXERCISE_MAVEN_ARGS} replaces that.
 */
public final class Maven {
    private static final Pattern FAILED_PROJECT = Pattern.compile("on project ([\\w.-]+): (.*)");
    private static final Pattern JAVAC_ERROR = Pattern.compile("\\[ERROR\\] (?:.*/)?([^/\\s]+\\.java):\\[(\\d+),\\d+\\] (.*)");

    private Maven() {
    }

    /** What a run gave: per module, its cases, or why it did not build. */
    public record Run(int exitCode, Map<String, List<Results.Case>> cases, Map<String, String> broken, String output) {
        /** Why {@code module} has no results: its own compile error, or one of a module below it. */
        public String whyNotBuilt(String module) {
            if (broken.containsKey(module)) {
                return module + " " + broken.get(module);
            }
            for (var e : broken.entrySet()) {
                if (Catalog.stepOf(e.getKey()) < Catalog.stepOf(module)) {
                    return module + " builds on " + e.getKey() + ", which " + e.getValue();
                }
            }
            return null;
        }
    }

    /**
     * Runs the tests of {@code exercises} in {@code root}: only their modules and the ones below,
     * only the named tests, and test failures do not stop the build.
     */
    public static Run test(Path root, Collection<Exercise> exercises) {
        return test(root, exercises, false);
    }

    /**
     * As {@link #test(Path, Collection)}; with {@code onlyChangedFiles} javac recompiles only the
     * sources newer than their classes instead of the whole module, which is right when a change
     * keeps every signature (verify's stubs) and saves most of the time of a run.
     */
    public static Run test(Path root, Collection<Exercise> exercises, boolean onlyChangedFiles) {
        List<String> modules = exercises.stream().map(Exercise::module).distinct().sorted(Comparator.comparingInt(Catalog::stepOf))
                .toList();
        String selector = String.join(",", exercises.stream().flatMap(e -> e.tests().stream()).distinct().toList());
        for (String m : modules) {
            deleteTree(root.resolve(m).resolve("target/surefire-reports"));
        }
        List<String> cmd = new ArrayList<>(List.of(mvn(), "-B", "-q", "-Dstyle.color=never"));
        String extra = System.getenv().getOrDefault("EXERCISE_MAVEN_ARGS", "-o");
        for (String a : extra.trim().split("\\s+")) {
            if (!a.isEmpty()) {
                cmd.add(a);
            }
        }
        if (onlyChangedFiles) {
            cmd.add("-Dmaven.compiler.useIncrementalCompilation=false");
        }
        cmd.addAll(List.of("-fae", "-pl", String.join(",", modules), "-am", "test", "-Dtest=" + selector,
                "-Dsurefire.failIfNoSpecifiedTests=false", "-Dmaven.test.failure.ignore=true"));
        String output;
        int code;
        try {
            Path log = Files.createTempFile("exercise-mvn", ".log");
            try {
                Process p = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true)
                        .redirectOutput(log.toFile()).start();
                code = p.waitFor();
                output = Files.readString(log, StandardCharsets.UTF_8);
            } finally {
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run Maven (" + mvn() + "): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Map<String, String> broken = broken(output);
        Map<String, List<Results.Case>> cases = new LinkedHashMap<>();
        for (String m : modules) {
            if (!broken.containsKey(m)) {
                cases.put(m, Results.read(root.resolve(m).resolve("target/surefire-reports")));
            }
        }
        return new Run(code, cases, broken, output);
    }

    /** The modules whose build failed, each with the first compiler error in plain words. */
    static Map<String, String> broken(String output) {
        Map<String, String> out = new LinkedHashMap<>();
        String firstJavac = null;
        for (String line : output.split("\n")) {
            Matcher j = JAVAC_ERROR.matcher(line.strip());
            if (j.find() && firstJavac == null) {
                firstJavac = j.group(1) + " line " + j.group(2) + ": " + j.group(3).strip();
            }
            Matcher f = FAILED_PROJECT.matcher(line);
            if (line.startsWith("[ERROR] Failed to execute goal") && f.find()) {
                String module = f.group(1);
                String why = f.group(2).contains("Compilation failure") && firstJavac != null ? "does not compile: " + firstJavac
                        : f.group(2).strip();
                out.putIfAbsent(module, why);
                firstJavac = null;
            }
        }
        return out;
    }

    /**
     * EXERCISE_MVN if set, else the repository's Maven wrapper (./mvnw, which reads its pinned
     * version beside itself, so it serves student copies too), else mvn on the PATH.
     */
    static String mvn() {
        String chosen = System.getenv("EXERCISE_MVN");
        if (chosen != null && !chosen.isBlank()) {
            return chosen;
        }
        Path wrapper = Path.of(System.getProperty("exercise.root", ".")).resolve("mvnw").toAbsolutePath();
        return Files.isExecutable(wrapper) ? wrapper.toString() : "mvn";
    }

    static void deleteTree(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
