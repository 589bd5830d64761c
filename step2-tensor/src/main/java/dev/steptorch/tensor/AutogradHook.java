package dev.steptorch.tensor;

/**
 * The autograd half of the user-facing tensor API. Step2 only declares it; step3 implements it
 * and registers it with {@code META-INF/services/dev.steptorch.tensor.AutogradHook}. Without an
 * implementation Tensor answers as PyTorch does for tensors that never need gradients, and throws
 * for anything that would need the engine.
 */
public interface AutogradHook {
    boolean requiresGrad(Tensor t);

    void setRequiresGrad(Tensor t, boolean requiresGrad);

    Tensor grad(Tensor t);

    void setGrad(Tensor t, Tensor grad);

    GradFn gradFn(Tensor t);

    boolean isLeaf(Tensor t);

    void retainGrad(Tensor t);

    /** {@code gradient} may be null for a scalar output. */
    void backward(Tensor t, Tensor gradient, boolean retainGraph);

    Tensor detach(Tensor t);
}
