package dev.steptorch.exercise;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The test cases Surefire reported for one module, read from its XML reports. */
public final class Results {
    /** One test case: its class (simple name), method, and the failure's message and trace when it failed. */
    public record Case(String className, String method, boolean passed, String message, String trace) {
        public String name() {
            return className + "#" + method;
        }
    }

    private Results() {
    }

    /** Every case in {@code reports} (a surefire-reports folder); empty when the folder is missing. */
    public static List<Case> read(Path reports) {
        List<Case> out = new ArrayList<>();
        if (!Files.isDirectory(reports)) {
            return out;
        }
        try (Stream<Path> s = Files.list(reports)) {
            for (Path p : s.filter(f -> f.getFileName().toString().matches("TEST-.*\\.xml")).sorted().toList()) {
                var factory = DocumentBuilderFactory.newInstance();
                factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
                var doc = factory.newDocumentBuilder().parse(p.toFile());
                NodeList cases = doc.getElementsByTagName("testcase");
                for (int i = 0; i < cases.getLength(); i++) {
                    Element c = (Element) cases.item(i);
                    String cls = c.getAttribute("classname");
                    cls = cls.substring(cls.lastIndexOf('.') + 1);
                    String method = c.getAttribute("name").replaceAll("\\(.*$", "");
                    Element bad = first(c, "failure");
                    if (bad == null) {
                        bad = first(c, "error");
                    }
                    if (first(c, "skipped") != null && bad == null) {
                        continue;
                    }
                    out.add(bad == null ? new Case(cls, method, true, "", "")
                            : new Case(cls, method, false, bad.getAttribute("message"), bad.getTextContent()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the test reports in " + reports + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static Element first(Element e, String tag) {
        NodeList l = e.getElementsByTagName(tag);
        return l.getLength() == 0 ? null : (Element) l.item(0);
    }

    /** The cases an exercise's tests select. */
    public static List<Case> of(Exercise e, List<Case> all) {
        List<Case> out = new ArrayList<>();
        for (Case c : all) {
            for (String t : e.tests()) {
                if (matches(t, c)) {
                    out.add(c);
                    break;
                }
            }
        }
        return out;
    }

    static boolean matches(String selector, Case c) {
        int hash = selector.indexOf('#');
        String cls = hash < 0 ? selector : selector.substring(0, hash);
        if (!cls.equals(c.className())) {
            return false;
        }
        if (hash < 0) {
            return true;
        }
        for (String m : selector.substring(hash + 1).split("\\+")) {
            if (Pattern.matches(m.replace("*", ".*"), c.method())) {
                return true;
            }
        }
        return false;
    }

    /** How one exercise fared: passed, failed (with the first failing case), or not built. */
    public record Outcome(Exercise exercise, Status status, Case firstFailure, String why) {
        public int score() {
            return status == Status.PASSED ? exercise.points() : 0;
        }
    }

    public enum Status {
        PASSED, FAILED, NOT_RUN, NOT_COMPILED
    }

    /** Judges an exercise from the cases of its module; {@code compileError} is non-null when the module did not build. */
    public static Outcome judge(Exercise e, List<Case> moduleCases, String compileError) {
        if (compileError != null) {
            return new Outcome(e, Status.NOT_COMPILED, null, compileError);
        }
        List<Case> mine = of(e, moduleCases);
        if (mine.isEmpty()) {
            return new Outcome(e, Status.NOT_RUN, null, "none of its tests ran (" + e.testSelector() + ")");
        }
        for (Case c : mine) {
            if (!c.passed()) {
                return new Outcome(e, Status.FAILED, c, Explain.oneLine(e, c));
            }
        }
        return new Outcome(e, Status.PASSED, null, mine.size() + " test(s) pass");
    }
}
