package dev.steptorch.optim;

import java.util.ArrayList;
import java.util.List;

/**
 * PyTorch's {@code lr_scheduler._LRScheduler}: changes the lr of every parameter group of an
 * optimizer once per epoch. Since PyTorch 1.1 the order is
 * <pre>{@code
 * for (int epoch = 0; epoch < epochs; epoch++) {
 *     train(...);            // optimizer.step() inside
 *     scheduler.step();
 * }
 * }</pre>
 * Making a scheduler records each group's starting lr as {@code initial_lr} (kept if another
 * scheduler already recorded it) and counts as epoch 0.
 */
public abstract class LRScheduler {
    /** Library warnings go through System.Logger (java.util.logging unless the application plugs in another). */
    private static final System.Logger LOG = System.getLogger(LRScheduler.class.getName());

    protected final Optimizer optimizer;
    private final List<Double> baseLrs = new ArrayList<>();
    private int lastEpoch = -1;
    private List<Double> lastLr = List.of();
    private boolean warnedOrder;

    protected LRScheduler(Optimizer optimizer) {
        this.optimizer = optimizer;
        for (ParamGroup group : optimizer.paramGroups()) {
            if (!group.has("initial_lr")) {
                group.set("initial_lr", group.lr());
            }
            baseLrs.add(group.getDouble("initial_lr"));
        }
    }

    /**
     * PyTorch's constructor ends with a first step (to epoch 0). A Java superclass constructor runs
     * before the subclass has set its fields (step size, gamma), so each subclass calls this last.
     */
    protected final void initialStep() {
        step();
    }

    /** One epoch on: sets every group's lr to the schedule's next value. */
    public void step() {
        if (lastEpoch >= 0 && optimizer.stepCount() == 0 && !warnedOrder) {
            warnedOrder = true;
            LOG.log(System.Logger.Level.WARNING, "Detected call of `lr_scheduler.step()` before `optimizer.step()`. You should call them "
                    + "in the order `optimizer.step()`, then `lr_scheduler.step()`; otherwise the first value of the learning "
                    + "rate schedule is skipped.");
        }
        lastEpoch++;
        List<Double> lrs = computeLr();
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int i = 0; i < groups.size(); i++) {
            groups.get(i).setLr(lrs.get(i));
        }
        lastLr = List.copyOf(lrs);
    }

    /**
     * The lr of each group at {@link #lastEpoch()} (just incremented), computed from the groups'
     * current lr (PyTorch's "chainable" form, so schedulers can be stacked).
     */
    protected abstract List<Double> computeLr();

    /** {@code get_last_lr()}: the lr of each group as this scheduler last set it. */
    public List<Double> getLastLr() {
        return lastLr;
    }

    /** The number of {@link #step()} calls since the scheduler was made (0 right after). */
    public int lastEpoch() {
        return lastEpoch;
    }

    /** Each group's {@code initial_lr}. */
    public List<Double> baseLrs() {
        return List.copyOf(baseLrs);
    }

    /** Every group's current lr. */
    protected List<Double> currentLrs() {
        List<Double> lrs = new ArrayList<>();
        optimizer.paramGroups().forEach(g -> lrs.add(g.lr()));
        return lrs;
    }
}
