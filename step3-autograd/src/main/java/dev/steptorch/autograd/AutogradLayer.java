package dev.steptorch.autograd;

import dev.steptorch.tensor.DispatchLayer;
import dev.steptorch.tensor.TensorOps;

/**
 * Registers autograd in step2's dispatcher (through META-INF/services), in front of every
 * device's kernels, as PyTorch's Autograd dispatch key sits in front of CPU and CUDA.
 */
public final class AutogradLayer implements DispatchLayer {
    @Override
    public TensorOps wrap(TensorOps below) {
        return new AutogradOps(below);
    }
}
