package dev.steptorch.nn;

import dev.steptorch.tensor.Tensor;

/**
 * {@code nn.Dropout(p=0.5)}: in training zeroes each element with probability p and scales the
 * survivors by 1 / (1 - p); in eval passes the input through unchanged.
 */
public class Dropout extends Module {
    private final double p;

    public Dropout() {
        this(0.5);
    }

    public Dropout(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + PyRepr.floatRepr(p));
        }
        this.p = p;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.dropout(input, p, isTraining());
    }

    @Override
    protected String extraRepr() {
        return "p=" + PyRepr.floatRepr(p) + ", inplace=False";
    }
}
