package dev.steptorch.nn;

/** How a loss turns its per-element values into its result: PyTorch's {@code reduction=} argument. */
public enum Reduction {
    /** The average over all elements (over the batch, for NLL and cross entropy); PyTorch's default. */
    MEAN("mean"),
    /** The total. */
    SUM("sum"),
    /** No reduction: one value per element (per sample, for NLL and cross entropy). */
    NONE("none");

    private final String pythonName;

    Reduction(String pythonName) {
        this.pythonName = pythonName;
    }

    /** The string PyTorch takes, e.g. "mean". */
    public String pythonName() {
        return pythonName;
    }

    @Override
    public String toString() {
        return pythonName;
    }
}
