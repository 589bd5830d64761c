package dev.steptorch.autograd;

import dev.steptorch.tensor.Tensor;

/**
 * The sink at every leaf that requires grad: adds the arriving gradient into {@code leaf.grad()},
 * which is why gradients accumulate across backward calls until the user calls {@code zero_()}.
 */
final class AccumulateGrad extends Node {
    private final Tensor leaf;

    AccumulateGrad(Tensor leaf) {
        super("AccumulateGrad", new Tensor[0], 1);
        this.leaf = leaf;
    }

    Tensor variable() {
        return leaf;
    }

    @Override
    protected Tensor[] apply(Tensor[] gradOutputs) {
        Tensor g = gradOutputs[0];
        if (g == null) {
            return new Tensor[0];
        }
        AutogradMeta meta = AutogradMeta.getOrCreate(leaf);
        if (meta.grad == null) {
            // A fresh copy: the same gradient tensor may reach several leaves (AddBackward passes it to both).
            meta.grad = g.clone();
        } else {
            meta.grad.add_(g);
        }
        return new Tensor[0];
    }
}
