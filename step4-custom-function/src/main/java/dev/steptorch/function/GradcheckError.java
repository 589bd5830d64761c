package dev.steptorch.function;

/** A failed {@link GradCheck}: where the analytical and numerical Jacobians disagree, and by how much. */
public final class GradcheckError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int input;
    private final int inputElement;
    private final int output;
    private final int outputElement;
    private final double numerical;
    private final double analytical;

    GradcheckError(String message, int input, int inputElement, int output, int outputElement, double numerical,
                   double analytical) {
        super(message);
        this.input = input;
        this.inputElement = inputElement;
        this.output = output;
        this.outputElement = outputElement;
        this.numerical = numerical;
        this.analytical = analytical;
    }

    /** Which input (position in the inputs array) has the wrong gradient. */
    public int input() {
        return input;
    }

    /** The flat index of the input element whose gradient is wrong. */
    public int inputElement() {
        return inputElement;
    }

    public int output() {
        return output;
    }

    public int outputElement() {
        return outputElement;
    }

    public double numerical() {
        return numerical;
    }

    public double analytical() {
        return analytical;
    }
}
