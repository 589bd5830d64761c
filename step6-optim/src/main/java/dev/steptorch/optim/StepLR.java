package dev.steptorch.optim;

import java.util.List;

/**
 * {@code lr_scheduler.StepLR(optimizer, step_size, gamma)}: multiplies every group's lr by gamma
 * every {@code stepSize} epochs, so lr = initial_lr * gamma^(epoch / stepSize).
 */
public class StepLR extends LRScheduler {
    private final int stepSize;
    private final double gamma;

    public StepLR(Optimizer optimizer, int stepSize) {
        this(optimizer, stepSize, 0.1);
    }

    public StepLR(Optimizer optimizer, int stepSize, double gamma) {
        super(optimizer);
        if (stepSize <= 0) {
            // PyTorch takes any int here and then divides by zero on the first step.
            throw new IllegalArgumentException("StepLR step_size must be positive, got " + stepSize);
        }
        this.stepSize = stepSize;
        this.gamma = gamma;
        initialStep();
    }

    @Override
    protected List<Double> computeLr() {
        // BEGIN SOLUTION step6.step-lr
        List<Double> lrs = currentLrs();
        if (lastEpoch() == 0 || lastEpoch() % stepSize != 0) {
            return lrs;
        }
        return lrs.stream().map(lr -> lr * gamma).toList();
        // END SOLUTION
    }
}
