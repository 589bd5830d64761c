package dev.steptorch.exercise;

import dev.steptorch.exercise.Regions.MarkerException;
import dev.steptorch.exercise.Regions.Region;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/** A checkout of StepTorch (the reference or a student copy): its files, catalog and regions. */
public final class Project {
    /** In a student copy: the ids cut from it, one a line. */
    public static final String CUT_FILE = ".exercises-cut";
    private static final Set<String> SKIPPED = Set.of("target", ".git", ".idea", ".vscode", "runs", "data");

    public final Path root;
    public final Catalog catalog;
    /** Regions by id, in file order. */
    public final Map<String, Region> regions;

    private Project(Path root, Catalog catalog, Map<String, Region> regions) {
        this.root = root;
        this.catalog = catalog;
        this.regions = regions;
    }

    /** Reads the catalog and the regions, and checks that they declare the same exercises. */
    public static Project open(Path root) {
        if (!Files.isRegularFile(root.resolve("pom.xml"))) {
            throw new IllegalArgumentException(root + " is not a StepTorch project (it has no pom.xml)");
        }
        Catalog catalog = Catalog.load(root);
        Map<String, Region> regions = new LinkedHashMap<>();
        for (String file : javaFiles(root)) {
            for (Region r : Regions.parse(file, read(root.resolve(file)))) {
                Region before = regions.put(r.id(), r);
                if (before != null) {
                    throw new MarkerException(r.where() + ": region " + r.id() + " appears again (first at " + before.where() + ")");
                }
                if (!catalog.has(r.id())) {
                    throw new MarkerException(r.where() + ": region " + r.id() + " is declared in no " + Catalog.FILE);
                }
                Exercise e = catalog.get(r.id());
                if (!r.file().startsWith(e.module() + "/")) {
                    throw new MarkerException(r.where() + ": region " + r.id() + " lies outside its step's module " + e.module());
                }
            }
        }
        for (Exercise e : catalog.all()) {
            if (!regions.containsKey(e.id())) {
                throw new MarkerException(e.module() + "/" + Catalog.FILE + ": exercise " + e.id()
                        + " has no // BEGIN SOLUTION " + e.id() + " region in " + e.module());
            }
        }
        return new Project(root, catalog, regions);
    }

    /** The source files that may hold regions: the steps' main code and lessons. */
    static List<String> javaFiles(Path root) {
        List<String> out = new ArrayList<>();
        for (String module : Catalog.modules(root)) {
            for (String dir : List.of("src/main/java", "lessons")) {
                Path d = root.resolve(module).resolve(dir);
                if (!Files.isDirectory(d)) {
                    continue;
                }
                try (Stream<Path> s = Files.walk(d)) {
                    s.filter(p -> p.toString().endsWith(".java")).sorted()
                            .forEach(p -> out.add(root.relativize(p).toString().replace('\\', '/')));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return out;
    }

    /** The project's files: in a git checkout those git tracks or would track (not ignored), else every file outside build output. */
    public List<String> files() {
        if (Files.exists(root.resolve(".git"))) {
            try {
                Process p = new ProcessBuilder("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard").directory(root.toFile())
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                String all = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (p.waitFor() == 0) {
                    List<String> out = new ArrayList<>();
                    for (String f : all.split("\0")) {
                        if (!f.isEmpty() && Files.isRegularFile(root.resolve(f))) {
                            out.add(f);
                        }
                    }
                    return out;
                }
            } catch (IOException e) {
                // no git: walk the tree instead
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .filter(f -> Stream.of(f.split("/")).noneMatch(SKIPPED::contains)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The ids cut from this copy, or every exercise for the reference. */
    public List<Exercise> cutExercises() {
        Path f = root.resolve(CUT_FILE);
        if (!Files.exists(f)) {
            return catalog.all();
        }
        return read(f).stream().map(String::strip).filter(s -> !s.isEmpty() && !s.startsWith("#")).map(catalog::get).toList();
    }

    static List<String> read(Path p) {
        try {
            return Files.readAllLines(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path p, List<String> lines) {
        try {
            Files.createDirectories(p.getParent());
            Files.write(p, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
