package dev.steptorch.exercise;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns a failed test case into the few lines a student needs: what is wrong, and where. */
public final class Explain {
    private static final Pattern STUB = Pattern.compile("Exercise (step\\d+\\.[a-z0-9-]+): ");
    private static final Pattern FRAME = Pattern.compile("^\\s*at ([\\w.$]+)\\.([\\w$<>]+)\\(([\\w$]+\\.java):(\\d+)\\)");

    private Explain() {
    }

    /** The failure in a few lines, for {@code check}. */
    public static List<String> lines(Exercise e, Results.Case c) {
        List<String> out = new ArrayList<>();
        String text = c.message() == null || c.message().isBlank() ? firstLine(c.trace()) : c.message();
        Matcher stub = STUB.matcher(text + "\n" + c.trace());
        if (stub.find()) {
            if (stub.group(1).equals(e.id())) {
                out.add("not written yet: the code of " + e.id() + " still throws its stub (test " + c.name() + ")");
            } else {
                out.add("test " + c.name() + " reached the stub of " + stub.group(1) + ": solve that exercise first");
            }
            return out;
        }
        out.add("test " + c.name() + " fails:");
        String[] msg = text.strip().split("\n");
        for (int i = 0; i < Math.min(msg.length, 8); i++) {
            if (!msg[i].isBlank()) {
                out.add("  " + msg[i].stripTrailing());
            }
        }
        String where = where(c.trace());
        if (where != null) {
            out.add("  (" + where + ")");
        }
        return out;
    }

    /** The failure in one line, for the grade table. */
    public static String oneLine(Exercise e, Results.Case c) {
        List<String> l = lines(e, c);
        String s = String.join(" ", l.stream().map(String::strip).toList());
        return s.length() > 200 ? s.substring(0, 197) + "..." : s;
    }

    /**
     * Where StepTorch's own code threw, the place a student looks at; null when the test's own
     * assertion failed (the message then says what is wrong).
     */
    static String where(String trace) {
        if (trace == null) {
            return null;
        }
        for (String line : trace.split("\n")) {
            Matcher m = FRAME.matcher(line);
            if (!m.find() || !m.group(1).startsWith("dev.steptorch.") || m.group(3).equals("ExerciseAssert.java")) {
                continue;
            }
            return m.group(3).matches(".*(Test|Tests|Properties)\\.java") ? null
                    : "raised at " + m.group(3) + ":" + m.group(4) + ", in " + m.group(2);
        }
        return null;
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.strip().split("\n")[0];
    }
}
