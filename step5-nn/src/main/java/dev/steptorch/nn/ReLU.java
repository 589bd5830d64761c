package dev.steptorch.nn;

import dev.steptorch.tensor.Tensor;

/** {@code nn.ReLU()}: max(0, x) elementwise. */
public class ReLU extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return F.relu(input);
    }
}
