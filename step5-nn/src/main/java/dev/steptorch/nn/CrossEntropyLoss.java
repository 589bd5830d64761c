package dev.steptorch.nn;

import dev.steptorch.tensor.Tensor;
import java.util.Objects;

/**
 * {@code nn.CrossEntropyLoss(reduction='mean')}: log-softmax over the classes, then NLL; takes raw
 * scores [N, C] and int64 class indices [N]. Printed as PyTorch prints it, without the reduction.
 */
public class CrossEntropyLoss extends Module {
    private final Reduction reduction;

    public CrossEntropyLoss() {
        this(Reduction.MEAN);
    }

    public CrossEntropyLoss(Reduction reduction) {
        this.reduction = Objects.requireNonNull(reduction, "reduction");
    }

    public Reduction reduction() {
        return reduction;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.crossEntropy(input, target, reduction);
    }
}
