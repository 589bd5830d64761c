package dev.steptorch.exercise;

import dev.steptorch.exercise.Regions.Region;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code ./exercise}: list, make, check, grade and verify the classroom exercises (docs/teaching.md). */
public final class Main {
    static final String USAGE = """
            usage: ./exercise COMMAND ...
              list [--step N]                        the exercises: id, step, section, title, points, tests
              make DIR [--steps A-B] [--only ID...]  a student copy of the project with the chosen exercises cut out
              check ID                               runs ID's tests here and says what is wrong, then the hint
              grade [--out DIR] COPY...              grades student copies into grades.csv and grades.md
              verify [--only ID...]                  the reference passes every exercise's tests; each cut alone
                                                     compiles and fails them; stubs keep no solution text
            """;

    private final PrintStream out;
    private final Path root;
    /** Where relative folders on the command line are resolved. */
    private final Path cwd;

    Main(Path root, PrintStream out) {
        this(root, root, out);
    }

    Main(Path root, Path cwd, PrintStream out) {
        this.root = root;
        this.cwd = cwd;
        this.out = out;
    }

    private Path folder(String arg) {
        return cwd.resolve(arg).toAbsolutePath().normalize();
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Path root = Path.of(System.getProperty("exercise.root", ".")).toAbsolutePath().normalize();
        Path cwd = Path.of(System.getProperty("exercise.cwd", ".")).toAbsolutePath().normalize();
        int code;
        try {
            code = new Main(root, cwd, out).run(List.of(args));
        } catch (Catalog.CatalogException | Regions.MarkerException | IllegalArgumentException e) {
            System.err.println("exercise: " + e.getMessage());
            code = 2;
        }
        System.exit(code);
    }

    int run(List<String> args) {
        if (args.isEmpty() || Set.of("-h", "--help", "help").contains(args.get(0))) {
            out.print(USAGE);
            return args.isEmpty() ? 2 : 0;
        }
        Options o = new Options(args.subList(1, args.size()));
        return switch (args.get(0)) {
            case "list" -> list(o);
            case "make" -> make(o);
            case "check" -> check(o);
            case "grade" -> grade(o);
            case "verify" -> verify(o);
            default -> throw new IllegalArgumentException("unknown command " + args.get(0) + "\n" + USAGE);
        };
    }

    /** Positional arguments and {@code --name value...} options. */
    static final class Options {
        final List<String> positional = new ArrayList<>();
        final Map<String, List<String>> named = new LinkedHashMap<>();

        Options(List<String> args) {
            String current = null;
            for (String a : args) {
                if (a.startsWith("--")) {
                    current = a.substring(2);
                    named.putIfAbsent(current, new ArrayList<>());
                } else if (current != null && (named.get(current).isEmpty() || current.equals("only"))) {
                    named.get(current).add(a);
                } else {
                    positional.add(a);
                }
            }
        }

        String one(String name) {
            List<String> v = named.get(name);
            if (v == null) {
                return null;
            }
            if (v.size() != 1) {
                throw new IllegalArgumentException("--" + name + " takes one value");
            }
            return v.get(0);
        }

        void allow(String... names) {
            for (String n : named.keySet()) {
                if (!List.of(names).contains(n)) {
                    throw new IllegalArgumentException("unknown option --" + n + "\n" + USAGE);
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------

    int list(Options o) {
        o.allow("step");
        Project p = Project.open(root);
        String step = o.one("step");
        int total = 0;
        int count = 0;
        out.printf("%-28s %-4s %-6s %-7s %s%n", "id", "step", "points", "level", "title / section / tests");
        for (Exercise e : p.catalog.all()) {
            if (step != null && e.step() != Integer.parseInt(step)) {
                continue;
            }
            out.printf("%-28s %-4d %-6d %-7s %s (%s)%n", e.id(), e.step(), e.points(), e.difficulty(), e.title(), e.titleZh());
            out.printf("%-28s %-4s %-6s %-7s section: %s%n", "", "", "", "", e.section());
            out.printf("%-28s %-4s %-6s %-7s tests: %s%s%n", "", "", "", "", e.testSelector(),
                    e.depends().isEmpty() ? "" : "; after " + String.join(", ", e.depends()));
            total += e.points();
            count++;
        }
        out.println(count + " exercises, " + total + " points");
        return 0;
    }

    // ---------------------------------------------------------------------------------------------

    int make(Options o) {
        o.allow("steps", "only");
        if (o.positional.size() != 1) {
            throw new IllegalArgumentException("make takes one folder\n" + USAGE);
        }
        Project p = Project.open(root);
        List<Exercise> chosen = choose(p, o.one("steps"), o.named.get("only"));
        Path dir = folder(o.positional.get(0));
        if (dir.startsWith(root)) {
            throw new IllegalArgumentException("make a copy outside the project, not in " + dir);
        }
        if (Files.exists(dir) && !isEmptyDir(dir)) {
            throw new IllegalArgumentException(dir + " exists and is not empty; choose a new folder");
        }
        copy(p, dir, chosen);
        out.println("wrote a student copy to " + dir + " with " + chosen.size() + " exercise(s) cut out:");
        for (Exercise e : chosen) {
            out.printf("  %-28s %s (%d points)%n", e.id(), e.title(), e.points());
        }
        for (String leak : leaks(p, chosen)) {
            out.println("note: " + leak);
        }
        out.println("students run: ./exercise check ID   (docs/teaching.md)");
        return 0;
    }

    List<Exercise> choose(Project p, String steps, List<String> only) {
        List<Exercise> chosen = new ArrayList<>();
        int from = 1;
        int to = Integer.MAX_VALUE;
        if (steps != null) {
            String[] ab = steps.split("-");
            from = Integer.parseInt(ab[0]);
            to = Integer.parseInt(ab[ab.length - 1]);
        }
        Set<String> ids = only == null ? null : new LinkedHashSet<>(only);
        if (ids != null) {
            ids.forEach(p.catalog::get);
        }
        for (Exercise e : p.catalog.all()) {
            if (e.step() >= from && e.step() <= to && (ids == null || ids.contains(e.id()))) {
                chosen.add(e);
            }
        }
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException("no exercise matches; ./exercise list shows them");
        }
        return chosen;
    }

    /** Copies the project into {@code dir} with the regions of {@code chosen} stubbed. */
    static void copy(Project p, Path dir, List<Exercise> chosen) {
        Map<String, List<Region>> byFile = new LinkedHashMap<>();
        for (Region r : p.regions.values()) {
            byFile.computeIfAbsent(r.file(), f -> new ArrayList<>()).add(r);
        }
        Set<String> cut = new LinkedHashSet<>();
        chosen.forEach(e -> cut.add(e.id()));
        try {
            for (String f : p.files()) {
                Path to = dir.resolve(f);
                Files.createDirectories(to.getParent());
                List<Region> regions = byFile.get(f);
                if (regions != null && regions.stream().anyMatch(r -> cut.contains(r.id()))) {
                    List<String> lines = Project.read(p.root.resolve(f));
                    Project.write(to, Regions.stub(lines, regions, id -> cut.contains(id) ? p.catalog.get(id).stubMessage() : null));
                } else {
                    Files.copy(p.root.resolve(f), to, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
            List<String> ids = new ArrayList<>(List.of("# the exercises cut from this copy; ./exercise grade grades these"));
            ids.addAll(cut);
            Project.write(dir.resolve(Project.CUT_FILE), ids);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Docs pages that quote a line of a cut solution: a teacher may want to trim them from the copy. */
    static List<String> leaks(Project p, List<Exercise> chosen) {
        List<String> out = new ArrayList<>();
        Map<String, String> lineToId = new LinkedHashMap<>();
        for (Exercise e : chosen) {
            Region r = p.regions.get(e.id());
            for (String line : r.body(Project.read(p.root.resolve(r.file())))) {
                String code = line.strip();
                if (code.length() >= 30 && !code.startsWith("//") && !code.startsWith("*")) {
                    lineToId.put(code, e.id());
                }
            }
        }
        for (String f : p.files()) {
            if (!f.endsWith(".md")) {
                continue;
            }
            List<String> lines = Project.read(p.root.resolve(f));
            List<Region> inFile = p.regions.values().stream().filter(r -> r.file().equals(f)).toList();
            for (int i = 0; i < lines.size(); i++) {
                int n = i + 1;
                if (inFile.stream().anyMatch(r -> n > r.begin() && n < r.end())) {
                    continue;
                }
                String id = lineToId.get(lines.get(i).strip());
                if (id != null) {
                    out.add(f + ":" + n + " quotes a line of the solution of " + id);
                }
            }
        }
        return out;
    }

    private static boolean isEmptyDir(Path dir) {
        try (var s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------------------------------------

    int check(Options o) {
        o.allow();
        if (o.positional.size() != 1) {
            throw new IllegalArgumentException("check takes one exercise id\n" + USAGE);
        }
        Project p = Project.open(root);
        Exercise e = p.catalog.get(o.positional.get(0));
        out.println(e.id() + ": " + e.title() + " (" + e.titleZh() + "), " + e.points() + " points");
        out.println("running " + e.testSelector() + " in " + e.module() + " ...");
        Maven.Run run = Maven.test(root, List.of(e));
        Results.Outcome r = Results.judge(e, run.cases().getOrDefault(e.module(), List.of()), run.whyNotBuilt(e.module()));
        switch (r.status()) {
            case PASSED -> out.println("PASS  " + e.id() + ": " + r.why());
            case NOT_COMPILED -> out.println("FAIL  " + e.id() + ": " + r.why());
            case NOT_RUN -> {
                out.println("FAIL  " + e.id() + ": " + r.why());
                out.println(tail(run.output(), 20));
            }
            case FAILED -> {
                out.println("FAIL  " + e.id());
                Explain.lines(e, r.firstFailure()).forEach(l -> out.println("  " + l));
            }
        }
        if (r.status() != Results.Status.PASSED) {
            out.println("hint: " + e.hint());
            if (!e.hintZh().isEmpty()) {
                out.println("提示: " + e.hintZh());
            }
            for (String d : e.depends()) {
                out.println("(this exercise builds on " + d + "; check that one too)");
            }
        }
        return r.status() == Results.Status.PASSED ? 0 : 1;
    }

    private static String tail(String s, int lines) {
        String[] l = s.split("\n");
        return String.join("\n", List.of(l).subList(Math.max(0, l.length - lines), l.length));
    }

    // ---------------------------------------------------------------------------------------------

    int grade(Options o) {
        o.allow("out");
        if (o.positional.isEmpty()) {
            throw new IllegalArgumentException("grade takes one or more student copies\n" + USAGE);
        }
        Path outDir = folder(o.one("out") == null ? "." : o.one("out"));
        List<Grades.Row> rows = new ArrayList<>();
        for (String d : o.positional) {
            Path copy = folder(d);
            String student = copy.getFileName().toString();
            out.println("grading " + student + " ...");
            Project p = Project.open(copy);
            List<Exercise> cut = p.cutExercises();
            Maven.Run run = Maven.test(copy, cut);
            for (Exercise e : cut) {
                Results.Outcome r = Results.judge(e, run.cases().getOrDefault(e.module(), List.of()), run.whyNotBuilt(e.module()));
                rows.add(new Grades.Row(student, r));
                out.printf("  %-28s %2d/%-2d %s%n", e.id(), r.score(), e.points(), r.status() == Results.Status.PASSED ? "pass" : r.why());
            }
        }
        Grades.write(rows, outDir);
        out.println("wrote " + outDir.resolve("grades.csv") + " and " + outDir.resolve("grades.md"));
        return 0;
    }

    // ---------------------------------------------------------------------------------------------

    int verify(Options o) {
        o.allow("only", "work");
        long t0 = System.nanoTime();
        Project p = Project.open(root);
        List<Exercise> chosen = o.named.containsKey("only") ? choose(p, null, o.named.get("only")) : p.catalog.all();
        String work = o.one("work");
        return new Verify(p, out).run(chosen, work == null ? null : folder(work).toString(), t0);
    }
}
