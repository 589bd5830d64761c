package dev.steptorch.exercise;

import java.util.List;

/**
 * One exercise as its step's catalog declares it. {@code tests} are Surefire test selectors
 * ({@code Class} or {@code Class#method}, methods joined by {@code +}), all in {@code module}.
 */
public record Exercise(String id, int step, String module, String title, String titleZh, String section, String difficulty,
        int points, String hint, String hintZh, List<String> tests, List<String> depends) {

    /** The message a stub throws: the exercise and its hint. */
    public String stubMessage() {
        return "Exercise " + id + ": " + hint;
    }

    /** The value of Surefire's {@code -Dtest}. */
    public String testSelector() {
        return String.join(",", tests);
    }
}
