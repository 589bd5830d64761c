package dev.steptorch.exercise;

import dev.steptorch.exercise.Regions.Region;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ./exercise verify}: the reference passes every exercise's tests; each exercise cut alone
 * leaves a copy that compiles and fails that exercise's tests; no stub keeps solution text. It
 * works in one scratch copy of the project, cutting and restoring one file at a time, and builds
 * only the exercise's module and those below it, running only the named tests.
 */
final class Verify {
    private final Project p;
    private final PrintStream out;
    private final List<String> problems = new ArrayList<>();

    Verify(Project p, PrintStream out) {
        this.p = p;
        this.out = out;
    }

    int run(List<Exercise> chosen, String workOption, long t0) {
        for (Exercise e : chosen) {
            checkStub(e);
        }
        Path work = workDir(workOption);
        try {
            return run(chosen, work, t0);
        } finally {
            if (workOption == null) {
                Maven.deleteTree(work);
            }
        }
    }

    private int run(List<Exercise> chosen, Path work, long t0) {
        out.println("verifying " + chosen.size() + " exercise(s) in " + work);
        Main.copy(p, work, List.of());
        delete(work.resolve(Project.CUT_FILE));

        long t = System.nanoTime();
        Maven.Run ref = Maven.test(work, chosen, true);
        for (Exercise e : chosen) {
            Results.Outcome r = Results.judge(e, ref.cases().getOrDefault(e.module(), List.of()), ref.whyNotBuilt(e.module()));
            if (r.status() != Results.Status.PASSED) {
                problem(e.id() + ": in the reference, " + r.why());
            }
        }
        out.printf("reference: every exercise's tests %s (%.0f s)%n", problems.isEmpty() ? "pass" : "do NOT all pass", secs(t));
        if (!problems.isEmpty()) {
            return finish(t0);
        }

        for (Exercise e : chosen) {
            t = System.nanoTime();
            Region r = p.regions.get(e.id());
            Path file = work.resolve(r.file());
            List<String> original = Project.read(file);
            Project.write(file, Regions.stub(original, List.of(r), id -> e.stubMessage()));
            try {
                Maven.Run run = Maven.test(work, List.of(e), true);
                Results.Outcome o = Results.judge(e, run.cases().getOrDefault(e.module(), List.of()), run.whyNotBuilt(e.module()));
                String verdict = switch (o.status()) {
                    case FAILED -> "ok, the cut fails its tests: " + o.why();
                    case PASSED -> problem(e.id() + ": cut out, its tests still pass; they do not test the region");
                    case NOT_COMPILED -> problem(e.id() + ": the cut copy does not compile: " + o.why());
                    case NOT_RUN -> problem(e.id() + ": cut out, " + o.why());
                };
                out.printf("  %-28s %4.0f s  %s%n", e.id(), secs(t), verdict.length() > 150 ? verdict.substring(0, 147) + "..." : verdict);
            } finally {
                Project.write(file, original);
            }
        }
        return finish(t0);
    }

    /** The problems found so far. */
    List<String> problems() {
        return List.copyOf(problems);
    }

    /** The stub keeps no solution line, and the hint quotes none. */
    void checkStub(Exercise e) {
        Region r = p.regions.get(e.id());
        List<String> lines = Project.read(p.root.resolve(r.file()));
        List<String> stubbed = Regions.stub(lines, List.of(r), id -> e.stubMessage());
        List<String> stubBody = stubbed.subList(r.begin(), stubbed.size() - (lines.size() - r.end()) - 1);
        for (String line : r.body(lines)) {
            String code = line.strip();
            if (code.length() < 6 || code.matches("[{}();,\\s]*")) {
                continue;
            }
            if (stubBody.stream().anyMatch(s -> s.contains(code))) {
                problem(e.id() + ": the stub keeps the solution line '" + code + "'");
            }
            if (code.length() >= 12 && e.hint().contains(code)) {
                problem(e.id() + ": the hint quotes the solution line '" + code + "'");
            }
        }
        if (stubBody.stream().noneMatch(s -> s.contains("Exercise " + e.id() + ": "))) {
            problem(e.id() + ": the stub does not name the exercise");
        }
    }

    private String problem(String s) {
        problems.add(s);
        return "PROBLEM: " + s;
    }

    private int finish(long t0) {
        if (problems.isEmpty()) {
            out.printf("verify: all good (%.0f s in all)%n", secs(t0));
            return 0;
        }
        out.println("verify found " + problems.size() + " problem(s):");
        problems.forEach(s -> out.println("  " + s));
        out.printf("(%.0f s in all)%n", secs(t0));
        return 1;
    }

    private Path workDir(String option) {
        try {
            if (option == null) {
                return Files.createTempDirectory("steptorch-verify");
            }
            Path d = Path.of(option).toAbsolutePath();
            if (p.root.startsWith(d) || d.startsWith(p.root)) {
                throw new IllegalArgumentException("--work " + d + " must lie outside the project");
            }
            Maven.deleteTree(d);
            Files.createDirectories(d);
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path f) {
        try {
            Files.deleteIfExists(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double secs(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
