package dev.steptorch.nn;

import dev.steptorch.tensor.Tensor;

/**
 * {@code nn.ReLU(inplace=False)}: max(0, x) elementwise. {@code inplace=True} (torchvision's
 * choice, to save memory) is kept for printing only: the result is the same, and computing out of
 * place spares autograd from checking that nothing saved was overwritten.
 */
public class ReLU extends Module {
    private final boolean inplace;

    public ReLU() {
        this(false);
    }

    public ReLU(boolean inplace) {
        this.inplace = inplace;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.relu(input);
    }

    @Override
    protected String extraRepr() {
        return inplace ? "inplace=True" : "";
    }
}
