package dev.steptorch.nn;

import dev.steptorch.tensor.Tensor;

/** {@code nn.Sigmoid()}: squashes each element into (0, 1). */
public class Sigmoid extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return F.sigmoid(input);
    }
}
