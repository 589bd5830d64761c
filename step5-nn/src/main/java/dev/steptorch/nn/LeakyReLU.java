package dev.steptorch.nn;

import dev.steptorch.tensor.Tensor;

/** {@code nn.LeakyReLU(negative_slope=0.01)}: like ReLU, but negative inputs keep a small slope. */
public class LeakyReLU extends Module {
    private final double negativeSlope;

    public LeakyReLU() {
        this(0.01);
    }

    public LeakyReLU(double negativeSlope) {
        this.negativeSlope = negativeSlope;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.leakyRelu(input, negativeSlope);
    }

    @Override
    protected String extraRepr() {
        return "negative_slope=" + PyRepr.floatRepr(negativeSlope);
    }
}
