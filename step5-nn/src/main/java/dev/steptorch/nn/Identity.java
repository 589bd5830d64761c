package dev.steptorch.nn;

import dev.steptorch.tensor.Tensor;

/**
 * {@code nn.Identity()}: returns its input. Put in place of a layer to remove it without
 * rewriting the network's forward, e.g. {@code model.setModule("fc", new Identity())} turns a
 * classifier into a feature extractor.
 */
public class Identity extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return input;
    }
}
