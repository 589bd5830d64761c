package dev.steptorch.autograd;

import dev.steptorch.tensor.Tensor;
import java.util.Arrays;

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

    /** The leaf's {@code .grad} if it exists and a gradient laid out as {@code in} would be added into it as it is. */
    Tensor gradToAddInto(Node.InputMeta in) {
        AutogradMeta meta = AutogradMeta.of(leaf);
        Tensor grad = meta == null ? null : meta.grad;
        boolean fits = grad != null && Arrays.equals(grad.shape(), in.shape()) && grad.dtype() == in.dtype()
                && grad.device() == in.device();
        return fits ? grad : null;
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
