package dev.steptorch.exercise;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The exercises, declared once each in a file {@code exercises.txt} beside each step's
 * {@code pom.xml}. A block starts with {@code [id]} and holds {@code key = value} lines:
 *
 * <pre>
 * [step3.mul-backward]
 * title      = The backward row of mul
 * title.zh   = mul 的反向公式
 * section    = Autograd: ...
 * difficulty = easy
 * points     = 2
 * hint       = ...
 * tests      = BackwardRowsExercisesTest#mulBackward
 * depends    = step3.other
 * </pre>
 *
 * Lines starting with {@code #} are comments; {@code hint.zh} is optional.
 */
public final class Catalog {
    public static final String FILE = "exercises.txt";
    private static final Pattern ID = Pattern.compile("step(\\d+)\\.[a-z0-9]+(-[a-z0-9]+)*");
    private static final Pattern MODULE = Pattern.compile("step(\\d+)-[a-z0-9-]+");
    private static final Set<String> REQUIRED = Set.of("title", "title.zh", "section", "difficulty", "points", "hint", "tests");
    private static final Set<String> KNOWN = Set.of("title", "title.zh", "section", "difficulty", "points", "hint", "hint.zh",
            "tests", "depends");
    private static final Set<String> DIFFICULTIES = Set.of("easy", "medium", "hard");

    private final Map<String, Exercise> byId;

    private Catalog(Map<String, Exercise> byId) {
        this.byId = byId;
    }

    /** Every step module of {@code root} (folders named like {@code step3-autograd}), in step order. */
    public static List<String> modules(Path root) {
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .filter(n -> MODULE.matcher(n).matches() && Files.exists(root.resolve(n).resolve("pom.xml")))
                    .sorted((a, b) -> Integer.compare(stepOf(a), stepOf(b)))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int stepOf(String module) {
        Matcher m = MODULE.matcher(module);
        if (!m.matches()) {
            throw new IllegalArgumentException(module + " is not a step module");
        }
        return Integer.parseInt(m.group(1));
    }

    /** Reads the catalog file of every step of {@code root}. */
    public static Catalog load(Path root) {
        Map<String, Exercise> all = new LinkedHashMap<>();
        Map<String, String> where = new LinkedHashMap<>();
        for (String module : modules(root)) {
            Path file = root.resolve(module).resolve(FILE);
            if (!Files.exists(file)) {
                continue;
            }
            try {
                String rel = module + "/" + FILE;
                for (Exercise e : parse(rel, module, Files.readAllLines(file, StandardCharsets.UTF_8))) {
                    String before = where.put(e.id(), rel);
                    if (before != null) {
                        throw new CatalogException(rel + ": exercise " + e.id() + " is declared again (first in " + before + ")");
                    }
                    all.put(e.id(), e);
                }
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        Catalog c = new Catalog(all);
        c.checkDepends();
        return c;
    }

    /** Parses one catalog file; {@code name} is how errors name it. */
    public static List<Exercise> parse(String name, String module, List<String> lines) {
        List<Exercise> out = new ArrayList<>();
        String id = null;
        int idLine = 0;
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i <= lines.size(); i++) {
            String line = i < lines.size() ? lines.get(i).strip() : null;
            if (line != null && (line.isEmpty() || line.startsWith("#"))) {
                continue;
            }
            if (line == null || line.startsWith("[")) {
                if (id != null) {
                    out.add(build(name, idLine, module, id, fields));
                }
                if (line == null) {
                    break;
                }
                if (!line.endsWith("]")) {
                    throw new CatalogException(name + ":" + (i + 1) + ": a block starts with [id], got: " + line);
                }
                id = line.substring(1, line.length() - 1).strip();
                idLine = i + 1;
                fields = new LinkedHashMap<>();
                for (Exercise e : out) {
                    if (e.id().equals(id)) {
                        throw new CatalogException(name + ":" + idLine + ": exercise " + id + " is declared twice");
                    }
                }
                continue;
            }
            int eq = line.indexOf('=');
            if (id == null || eq < 0) {
                throw new CatalogException(name + ":" + (i + 1) + ": expected [id] or key = value, got: " + line);
            }
            String key = line.substring(0, eq).strip();
            if (!KNOWN.contains(key)) {
                throw new CatalogException(name + ":" + (i + 1) + ": unknown key '" + key + "' (known: " + String.join(", ",
                        KNOWN.stream().sorted().toList()) + ")");
            }
            if (fields.put(key, line.substring(eq + 1).strip()) != null) {
                throw new CatalogException(name + ":" + (i + 1) + ": key '" + key + "' given twice for " + id);
            }
        }
        return out;
    }

    private static Exercise build(String name, int line, String module, String id, Map<String, String> f) {
        String at = name + ":" + line + ": " + id + ": ";
        Matcher m = ID.matcher(id);
        if (!m.matches()) {
            throw new CatalogException(at + "an id looks like step3.mul-backward (stepN, a dot, lower-case words joined by -)");
        }
        int step = Integer.parseInt(m.group(1));
        if (module != null && step != stepOf(module)) {
            throw new CatalogException(at + "declared in " + module + " but named for step " + step);
        }
        for (String k : REQUIRED) {
            if (f.getOrDefault(k, "").isEmpty()) {
                throw new CatalogException(at + "'" + k + "' is missing");
            }
        }
        if (!DIFFICULTIES.contains(f.get("difficulty"))) {
            throw new CatalogException(at + "difficulty is easy, medium or hard, not " + f.get("difficulty"));
        }
        int points;
        try {
            points = Integer.parseInt(f.get("points"));
        } catch (NumberFormatException e) {
            points = -1;
        }
        if (points <= 0) {
            throw new CatalogException(at + "points must be a positive whole number, not " + f.get("points"));
        }
        List<String> tests = split(f.get("tests"));
        for (String t : tests) {
            if (!t.matches("[A-Za-z_$][\\w$]*(#[\\w$*+]+)?")) {
                throw new CatalogException(at + "a test is TestClass or TestClass#method (several methods joined by +), not " + t);
            }
        }
        return new Exercise(id, step, module, f.get("title"), f.get("title.zh"), f.get("section"), f.get("difficulty"), points,
                f.get("hint"), f.getOrDefault("hint.zh", ""), tests, split(f.getOrDefault("depends", "")));
    }

    private static List<String> split(String s) {
        return Arrays.stream(s.split(",")).map(String::strip).filter(x -> !x.isEmpty()).toList();
    }

    private void checkDepends() {
        for (Exercise e : byId.values()) {
            for (String d : e.depends()) {
                Exercise other = byId.get(d);
                if (other == null) {
                    throw new CatalogException(e.module() + "/" + FILE + ": " + e.id() + " depends on " + d + ", which no catalog declares");
                }
                if (other.step() > e.step()) {
                    throw new CatalogException(e.module() + "/" + FILE + ": " + e.id() + " depends on " + d
                            + " of a later step; exercises depend only on their own step and the ones below");
                }
            }
        }
    }

    public List<Exercise> all() {
        return List.copyOf(byId.values());
    }

    public Exercise get(String id) {
        Exercise e = byId.get(id);
        if (e == null) {
            throw new CatalogException("no exercise " + id + "; ./exercise list shows them");
        }
        return e;
    }

    public boolean has(String id) {
        return byId.containsKey(id);
    }

    /** Thrown for a malformed catalog; the message names the file and line. */
    public static final class CatalogException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public CatalogException(String message) {
            super(message);
        }
    }
}
