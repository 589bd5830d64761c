package dev.steptorch.nn;

import dev.steptorch.tensor.Tensor;

/** {@code nn.Softmax(dim)}: turns scores along {@code dim} into probabilities. */
public class Softmax extends Module {
    private final int dim;

    public Softmax(int dim) {
        this.dim = dim;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.softmax(input, dim);
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim;
    }
}
