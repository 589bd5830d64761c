package dev.steptorch.tensor;

/**
 * A layer the dispatcher stacks on top of a device's kernels, the way PyTorch puts its Autograd
 * dispatch key in front of the CPU and CUDA kernels. Step3 registers its autograd layer through
 * {@code META-INF/services/dev.steptorch.tensor.DispatchLayer}.
 */
public interface DispatchLayer {
    /** Returns ops that do this layer's work and call {@code below} for the computation. */
    TensorOps wrap(TensorOps below);

    /** Layers are applied in increasing priority; the highest ends up on top. */
    default int priority() {
        return 0;
    }
}
