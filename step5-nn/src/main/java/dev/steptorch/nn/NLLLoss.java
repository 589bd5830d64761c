package dev.steptorch.nn;

import dev.steptorch.tensor.Tensor;
import java.util.Objects;

/**
 * {@code nn.NLLLoss(reduction='mean')}: the negative log likelihood of the target classes, from
 * log-probabilities [N, C] and int64 class indices [N]. Printed as PyTorch prints it, without the
 * reduction.
 */
public class NLLLoss extends Module {
    private final Reduction reduction;

    public NLLLoss() {
        this(Reduction.MEAN);
    }

    public NLLLoss(Reduction reduction) {
        this.reduction = Objects.requireNonNull(reduction, "reduction");
    }

    public Reduction reduction() {
        return reduction;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.nllLoss(input, target, reduction);
    }
}
