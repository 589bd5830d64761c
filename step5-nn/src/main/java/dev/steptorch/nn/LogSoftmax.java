package dev.steptorch.nn;

import dev.steptorch.tensor.Tensor;

/** {@code nn.LogSoftmax(dim)}: log-probabilities along {@code dim}, as NLLLoss expects them. */
public class LogSoftmax extends Module {
    private final int dim;

    public LogSoftmax(int dim) {
        this.dim = dim;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.logSoftmax(input, dim);
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim;
    }
}
