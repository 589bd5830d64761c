package dev.steptorch.nn;

import dev.steptorch.tensor.Tensor;

/** {@code nn.Tanh()}: squashes each element into (-1, 1). */
public class Tanh extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return F.tanh(input);
    }
}
