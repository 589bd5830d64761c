package dev.steptorch.nn;

import dev.steptorch.tensor.Tensor;
import java.util.Objects;

/**
 * {@code nn.MSELoss(reduction='mean')}: the mean squared error between input and target, of one
 * shape. Printed as PyTorch prints it, without the reduction.
 */
public class MSELoss extends Module {
    private final Reduction reduction;

    public MSELoss() {
        this(Reduction.MEAN);
    }

    public MSELoss(Reduction reduction) {
        this.reduction = Objects.requireNonNull(reduction, "reduction");
    }

    public Reduction reduction() {
        return reduction;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.mseLoss(input, target, reduction);
    }
}
