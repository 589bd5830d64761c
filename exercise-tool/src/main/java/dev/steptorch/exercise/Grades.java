package dev.steptorch.exercise;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The grade table: one row per student and exercise, written as CSV and as Markdown. */
public final class Grades {
    private Grades() {
    }

    public record Row(String student, Results.Outcome outcome) {
    }

    public static List<String> csv(List<Row> rows) {
        List<String> out = new ArrayList<>(List.of("student,exercise,step,points,max,status,note"));
        for (Row r : rows) {
            Exercise e = r.outcome().exercise();
            out.add(String.join(",", csvField(r.student()), e.id(), String.valueOf(e.step()), String.valueOf(r.outcome().score()),
                    String.valueOf(e.points()), r.outcome().status().name().toLowerCase(), csvField(r.outcome().why())));
        }
        return out;
    }

    public static List<String> markdown(List<Row> rows) {
        List<String> out = new ArrayList<>(List.of("| student | exercise | points | status | note |", "|---|---|---|---|---|"));
        Map<String, int[]> totals = new LinkedHashMap<>();
        for (Row r : rows) {
            Exercise e = r.outcome().exercise();
            out.add("| " + r.student() + " | " + e.id() + " | " + r.outcome().score() + "/" + e.points() + " | "
                    + r.outcome().status().name().toLowerCase().replace('_', ' ') + " | "
                    + r.outcome().why().replace("|", "\\|") + " |");
            int[] t = totals.computeIfAbsent(r.student(), s -> new int[2]);
            t[0] += r.outcome().score();
            t[1] += e.points();
        }
        out.add("");
        out.add("| student | total |");
        out.add("|---|---|");
        totals.forEach((s, t) -> out.add("| " + s + " | " + t[0] + "/" + t[1] + " |"));
        return out;
    }

    static void write(List<Row> rows, Path dir) {
        Project.write(dir.resolve("grades.csv"), csv(rows));
        Project.write(dir.resolve("grades.md"), markdown(rows));
    }

    private static String csvField(String s) {
        String flat = s.replace('\n', ' ');
        return flat.contains(",") || flat.contains("\"") ? "\"" + flat.replace("\"", "\"\"") + "\"" : flat;
    }
}
