package dev.steptorch.exercise;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The solution regions of a source file and the stubs that replace them.
 *
 * <p>A region is the lines between {@code // BEGIN SOLUTION <id>} and {@code // END SOLUTION}, each
 * marker alone on its line. Regions do not nest. The lines of a region are either whole statements
 * of a method body, or the arms of a switch ({@code case X -> ...;}). A stub keeps the markers and
 * the indentation of the BEGIN line and puts in place of the lines:
 * <ul>
 * <li>for switch arms, each arm's labels with {@code -> throw new UnsupportedOperationException(...)};</li>
 * <li>for statements that end their block (the next code line closes it), {@code throw ...;};</li>
 * <li>for statements followed by more code, {@code if (true) { throw ...; }}, which javac
 * accepts as a statement that may complete, so the code after it stays reachable.</li>
 * </ul>
 */
public final class Regions {
    private Regions() {
    }

    private static final Pattern BEGIN = Pattern.compile("^(\\s*)//\\s*BEGIN SOLUTION(?:\\s+(\\S+))?\\s*(.*)$");
    private static final Pattern END = Pattern.compile("^\\s*//\\s*END SOLUTION\\b.*$");
    private static final Pattern ARM = Pattern.compile("^\\s*(case\\s+[^;]+?|default)\\s*->.*$");

    /** One region: its id, the file, and the 1-based lines of its BEGIN and END markers. */
    public record Region(String id, String file, int begin, int end, String indent) {
        public String where() {
            return file + ":" + begin;
        }

        /** The solution's own lines (the markers excluded). */
        public List<String> body(List<String> lines) {
            return lines.subList(begin, end - 1);
        }
    }

    /** Finds the regions of one file; errors name the file and the line. */
    public static List<Region> parse(String file, List<String> lines) {
        List<Region> out = new ArrayList<>();
        Map<String, Integer> seen = new LinkedHashMap<>();
        String open = null;
        int openLine = 0;
        String indent = "";
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher b = BEGIN.matcher(line);
            if (b.matches()) {
                String id = b.group(2);
                if (id == null || !b.group(3).isEmpty()) {
                    throw new MarkerException(file + ":" + (i + 1) + ": write the marker as // BEGIN SOLUTION <id>, one id and nothing else");
                }
                if (open != null) {
                    throw new MarkerException(file + ":" + (i + 1) + ": BEGIN SOLUTION " + id + " inside region " + open
                            + " (opened at line " + openLine + "); regions do not nest");
                }
                Integer before = seen.put(id, i + 1);
                if (before != null) {
                    throw new MarkerException(file + ":" + (i + 1) + ": region " + id + " appears twice (first at line " + before + ")");
                }
                open = id;
                openLine = i + 1;
                indent = b.group(1);
            } else if (END.matcher(line).matches()) {
                if (open == null) {
                    throw new MarkerException(file + ":" + (i + 1) + ": END SOLUTION without a BEGIN SOLUTION before it");
                }
                if (i + 1 == openLine + 1) {
                    throw new MarkerException(file + ":" + openLine + ": region " + open + " is empty");
                }
                out.add(new Region(open, file, openLine, i + 1, indent));
                open = null;
            }
        }
        if (open != null) {
            throw new MarkerException(file + ":" + openLine + ": region " + open + " is never closed by // END SOLUTION");
        }
        return out;
    }

    /**
     * The file with each region whose id {@code chosen} maps to a message replaced by its stub;
     * regions mapped to null are left as they are.
     */
    public static List<String> stub(List<String> lines, List<Region> regions, Function<String, String> chosen) {
        List<String> out = new ArrayList<>();
        int next = 0;
        for (Region r : regions) {
            String message = chosen.apply(r.id());
            if (message == null) {
                continue;
            }
            out.addAll(lines.subList(next, r.begin()));
            out.addAll(stubLines(r, r.body(lines), lines.subList(r.end(), lines.size()), message));
            out.add(lines.get(r.end() - 1));
            next = r.end();
        }
        out.addAll(lines.subList(next, lines.size()));
        return out;
    }

    static List<String> stubLines(Region r, List<String> body, List<String> after, String message) {
        String thrown = "throw new UnsupportedOperationException(" + javaString(message) + ");";
        List<String> arms = new ArrayList<>();
        for (String line : body) {
            Matcher m = ARM.matcher(line);
            if (m.matches() && indentOf(line).equals(r.indent())) {
                arms.add(m.group(1).strip());
            }
        }
        if (!arms.isEmpty()) {
            return arms.stream().map(a -> r.indent() + a + " -> " + thrown).toList();
        }
        boolean endsBlock = after.stream().map(String::strip).filter(s -> !s.isEmpty() && !s.startsWith("//"))
                .findFirst().map(s -> s.startsWith("}")).orElse(true);
        return List.of(r.indent() + (endsBlock ? thrown : "if (true) { " + thrown + " }"));
    }

    private static String indentOf(String line) {
        int i = 0;
        while (i < line.length() && Character.isWhitespace(line.charAt(i))) {
            i++;
        }
        return line.substring(0, i);
    }

    /** A Java string literal of {@code s}. */
    static String javaString(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> b.append(c);
            }
        }
        return b.append('"').toString();
    }

    /** A marker error; the message starts with file:line. */
    public static final class MarkerException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public MarkerException(String message) {
            super(message);
        }
    }
}
