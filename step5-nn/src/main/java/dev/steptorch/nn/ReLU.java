package dev.steptorch.nn;

import dev.steptorch.tensor.Tensor;

/**
 * {@code nn.ReLU(inplace=False)}: max(0, x) elementwise. With {@code inplace} the input itself is
 * overwritten and returned, which saves one activation's memory; autograd's version check still
 * refuses a backward that would need the overwritten values.
 */
public class ReLU extends Module {
    private final boolean inplace;

    public ReLU() {
        this(false);
    }

    /** {@code nn.ReLU(True)}, as the notes write it inside {@code add_module}. */
    public ReLU(boolean inplace) {
        this.inplace = inplace;
    }

    @Override
    public Tensor forward(Tensor input) {
        return inplace ? input.clamp_(0, Double.POSITIVE_INFINITY) : F.relu(input);
    }

    @Override
    protected String extraRepr() {
        return inplace ? "inplace=True" : "";
    }
}
