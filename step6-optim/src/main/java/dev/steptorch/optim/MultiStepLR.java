package dev.steptorch.optim;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code lr_scheduler.MultiStepLR(optimizer, milestones, gamma)}: multiplies every group's lr by
 * gamma when the epoch reaches a milestone. A milestone listed twice multiplies by gamma twice,
 * as PyTorch counts milestones in a {@code Counter}.
 */
public class MultiStepLR extends LRScheduler {
    private final Map<Integer, Integer> milestones = new HashMap<>();
    private final double gamma;

    public MultiStepLR(Optimizer optimizer, List<Integer> milestones) {
        this(optimizer, milestones, 0.1);
    }

    public MultiStepLR(Optimizer optimizer, List<Integer> milestones, double gamma) {
        super(optimizer);
        milestones.forEach(m -> this.milestones.merge(m, 1, Integer::sum));
        this.gamma = gamma;
        initialStep();
    }

    @Override
    protected List<Double> computeLr() {
        List<Double> lrs = currentLrs();
        Integer times = milestones.get(lastEpoch());
        if (times == null) {
            return lrs;
        }
        double factor = Math.pow(gamma, times);
        return lrs.stream().map(lr -> lr * factor).toList();
    }
}
