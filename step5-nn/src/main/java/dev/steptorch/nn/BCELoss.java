package dev.steptorch.nn;

import dev.steptorch.tensor.Tensor;
import java.util.Objects;

/**
 * {@code nn.BCELoss(reduction='mean')}: binary cross entropy between probabilities in [0, 1] and
 * targets of the same shape. Printed as PyTorch prints it, without the reduction.
 */
public class BCELoss extends Module {
    private final Reduction reduction;

    public BCELoss() {
        this(Reduction.MEAN);
    }

    public BCELoss(Reduction reduction) {
        this.reduction = Objects.requireNonNull(reduction, "reduction");
    }

    public Reduction reduction() {
        return reduction;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.bceLoss(input, target, reduction);
    }
}
