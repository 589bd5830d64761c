package dev.steptorch.exercise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steptorch.exercise.Regions.MarkerException;
import dev.steptorch.exercise.Regions.Region;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The marker parser and the stubs, on small sources. */
class RegionsTest {
    private static final String MSG = "Exercise step3.x: hint \"quoted\" \\ here";

    private static List<String> lines(String s) {
        return List.of(s.split("\n", -1));
    }

    @Test
    void findsRegionsWithTheirMarkerLinesAndIndentation() {
        List<Region> r = Regions.parse("A.java", lines("""
                class A {
                    int f() {
                        // BEGIN SOLUTION step1.f
                        return 1;
                        // END SOLUTION
                    }
                      // BEGIN SOLUTION step1.g
                      int x;
                      // END SOLUTION
                }"""));
        assertThat(r).containsExactly(new Region("step1.f", "A.java", 3, 5, "        "),
                new Region("step1.g", "A.java", 7, 9, "      "));
    }

    @Test
    void nestedRegionsAreAnErrorNamingFileAndLine() {
        assertThatThrownBy(() -> Regions.parse("B.java", lines("""
                // BEGIN SOLUTION step1.a
                x();
                // BEGIN SOLUTION step1.b
                // END SOLUTION
                // END SOLUTION""")))
                .isInstanceOf(MarkerException.class)
                .hasMessage("B.java:3: BEGIN SOLUTION step1.b inside region step1.a (opened at line 1); regions do not nest");
    }

    @Test
    void anUnclosedRegionIsAnErrorNamingWhereItOpened() {
        assertThatThrownBy(() -> Regions.parse("C.java", lines("a();\n  // BEGIN SOLUTION step2.open\nb();")))
                .hasMessage("C.java:2: region step2.open is never closed by // END SOLUTION");
    }

    @Test
    void aDuplicateIdIsAnErrorNamingBothLines() {
        assertThatThrownBy(() -> Regions.parse("D.java", lines("""
                // BEGIN SOLUTION step1.a
                x();
                // END SOLUTION
                // BEGIN SOLUTION step1.a
                y();
                // END SOLUTION""")))
                .hasMessage("D.java:4: region step1.a appears twice (first at line 1)");
    }

    @Test
    void anEndWithoutBeginAMissingIdAndAnEmptyRegionAreErrors() {
        assertThatThrownBy(() -> Regions.parse("E.java", lines("x();\n// END SOLUTION")))
                .hasMessage("E.java:2: END SOLUTION without a BEGIN SOLUTION before it");
        assertThatThrownBy(() -> Regions.parse("E.java", lines("// BEGIN SOLUTION\n// END SOLUTION")))
                .hasMessageStartingWith("E.java:1: write the marker as // BEGIN SOLUTION <id>");
        assertThatThrownBy(() -> Regions.parse("E.java", lines("// BEGIN SOLUTION step1.a\n// END SOLUTION")))
                .hasMessage("E.java:1: region step1.a is empty");
    }

    private static List<String> stub(String source) {
        List<String> l = lines(source);
        return Regions.stub(l, Regions.parse("S.java", l), id -> MSG);
    }

    @Test
    void statementsThatEndTheirBlockBecomeOneThrowWithTheIndentationKept() {
        assertThat(stub("""
                    int f() {
                        // BEGIN SOLUTION step3.x
                        int a = 1;
                        return a;
                        // END SOLUTION
                    }""")).containsExactly(
                "int f() {",
                "    // BEGIN SOLUTION step3.x",
                "    throw new UnsupportedOperationException(\"Exercise step3.x: hint \\\"quoted\\\" \\\\ here\");",
                "    // END SOLUTION",
                "}");
    }

    @Test
    void statementsFollowedByMoreCodeBecomeAThrowThatKeepsTheRestReachable() {
        assertThat(stub("""
                  // BEGIN SOLUTION step3.x
                  if (a) {
                      b();
                  }
                  // END SOLUTION
                  // a comment
                  return c;""").get(1))
                .isEqualTo("if (true) { throw new UnsupportedOperationException(\"Exercise step3.x: hint \\\"quoted\\\" \\\\ here\"); }");
    }

    @Test
    void switchArmsBecomeArmsThatThrowUnderTheirOwnLabels() {
        assertThat(stub("""
                        return switch (op) {
                            // BEGIN SOLUTION step3.x
                            case MUL -> row("MulBackward0",
                                    grad(g -> g));
                            case SUM, MEAN -> other();
                            // END SOLUTION
                            case DIV -> div();
                        };""")).containsExactly(
                "return switch (op) {",
                "    // BEGIN SOLUTION step3.x",
                "    case MUL -> throw new UnsupportedOperationException(\"Exercise step3.x: hint \\\"quoted\\\" \\\\ here\");",
                "    case SUM, MEAN -> throw new UnsupportedOperationException(\"Exercise step3.x: hint \\\"quoted\\\" \\\\ here\");",
                "    // END SOLUTION",
                "    case DIV -> div();",
                "};");
    }

    @Test
    void onlyTheChosenRegionsAreStubbed() {
        List<String> l = lines("""
                // BEGIN SOLUTION step1.a
                a();
                // END SOLUTION
                // BEGIN SOLUTION step1.b
                b();
                // END SOLUTION
                }""");
        List<String> out = Regions.stub(l, Regions.parse("S.java", l), id -> id.equals("step1.b") ? "Exercise step1.b: h" : null);
        assertThat(out).containsExactly("// BEGIN SOLUTION step1.a", "a();", "// END SOLUTION", "// BEGIN SOLUTION step1.b",
                "throw new UnsupportedOperationException(\"Exercise step1.b: h\");", "// END SOLUTION", "}");
    }
}
