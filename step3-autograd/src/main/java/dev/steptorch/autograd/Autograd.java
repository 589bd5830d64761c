package dev.steptorch.autograd;

import dev.steptorch.tensor.AutogradHook;
import dev.steptorch.tensor.Dispatcher;
import dev.steptorch.tensor.GradFn;
import dev.steptorch.tensor.Tensor;
import java.util.Arrays;

/**
 * The autograd half of the Tensor API ({@code requiresGrad}, {@code grad}, {@code backward}, ...),
 * which step2's Tensor finds through META-INF/services and calls.
 */
public final class Autograd implements AutogradHook {
    @Override
    public boolean requiresGrad(Tensor t) {
        return AutogradMeta.requiresGrad(t);
    }

    @Override
    public void setRequiresGrad(Tensor t, boolean requiresGrad) {
        if (!AutogradMeta.isLeaf(t)) {
            if (!requiresGrad) {
                throw new IllegalStateException("you can only change requires_grad flags of leaf variables. If you want to use "
                        + "a computed variable in a subgraph that doesn't require differentiation use varNoGrad = var.detach().");
            }
            return;
        }
        AutogradMeta m = AutogradMeta.getOrCreate(t);
        m.requiresGrad = requiresGrad;
    }

    @Override
    public Tensor grad(Tensor t) {
        AutogradMeta m = AutogradMeta.of(t);
        return m == null ? null : m.grad;
    }

    @Override
    public void setGrad(Tensor t, Tensor grad) {
        if (grad != null && (!Arrays.equals(grad.shape(), t.shape()) || grad.dtype() != t.dtype() || grad.device() != t.device())) {
            throw new IllegalArgumentException("assigned grad has data of a different size, type or device: expected " + t.size()
                    + " " + t.dtype() + " on " + t.device() + ", got " + grad.size() + " " + grad.dtype() + " on " + grad.device());
        }
        AutogradMeta.getOrCreate(t).grad = grad;
    }

    @Override
    public GradFn gradFn(Tensor t) {
        AutogradMeta m = AutogradMeta.of(t);
        return m == null ? null : m.gradFn;
    }

    @Override
    public boolean isLeaf(Tensor t) {
        return AutogradMeta.isLeaf(t);
    }

    @Override
    public void retainGrad(Tensor t) {
        if (!requiresGrad(t)) {
            throw new IllegalStateException("can't retain_grad on Tensor that has requires_grad=False");
        }
        AutogradMeta m = AutogradMeta.of(t);
        if (m.gradFn != null) {
            m.gradFn.retain(m.outputNr, m);
        }
    }

    @Override
    public void backward(Tensor t, Tensor gradient, boolean retainGraph) {
        Engine.backward(new Tensor[] {t}, gradient == null ? null : new Tensor[] {gradient}, retainGraph);
    }

    @Override
    public Tensor detach(Tensor t) {
        return Dispatcher.belowAutograd(t.device()).alias(t);
    }
}
