package dev.steptorch.optim;

import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.util.List;
import java.util.Map;

/**
 * {@code torch.optim.Adagrad}: divides each gradient by the root of the sum of all its past
 * squares, so often-updated coordinates slow down, as PyTorch 1.13 computes it:
 * <pre>
 * g = grad (+ weight_decay * p)
 * clr = lr / (1 + (t - 1) * lr_decay)
 * sum = sum + g * g                          sum starts at initial_accumulator_value
 * p = p - clr * g / (sqrt(sum) + eps)
 * </pre>
 */
public class Adagrad extends Optimizer {

    /** Adagrad's keyword arguments, with PyTorch's defaults. */
    public static final class Defaults extends OptimizerDefaults {
        private Defaults() {
            lr(1e-2).lrDecay(0).weightDecay(0).initialAccumulatorValue(0).eps(1e-10).maximize(false);
        }

        public Defaults lr(double lr) {
            put("lr", lr);
            return this;
        }

        public Defaults lrDecay(double lrDecay) {
            put("lr_decay", lrDecay);
            return this;
        }

        public Defaults weightDecay(double weightDecay) {
            put("weight_decay", weightDecay);
            return this;
        }

        public Defaults initialAccumulatorValue(double value) {
            put("initial_accumulator_value", value);
            return this;
        }

        public Defaults eps(double eps) {
            put("eps", eps);
            return this;
        }

        public Defaults maximize(boolean maximize) {
            put("maximize", maximize);
            return this;
        }
    }

    public static Defaults defaults() {
        return new Defaults();
    }

    public Adagrad(List<?> params) {
        this(params, defaults());
    }

    /** @param params parameters or {@link ParamGroup}s (see {@link Optimizer}) */
    public Adagrad(List<?> params, Defaults defaults) {
        super(params, defaults);
        // PyTorch creates Adagrad's state up front, not at the first step as the others do.
        for (ParamGroup group : paramGroups()) {
            for (Tensor p : group.params()) {
                initState(p, group, stateOf(p));
            }
        }
    }

    private static void initState(Tensor param, ParamGroup group, Map<String, Object> state) {
        state.put("step", Torch.tensor(0.0));
        state.put("sum", Torch.full(Options.of(param.dtype(), param.device()), group.getDouble("initial_accumulator_value"),
                param.shape()));
    }

    @Override
    protected void checkOptions(ParamGroup group) {
        super.checkOptions(group);
        checkNonNegative(group, "lr_decay", "Invalid lr_decay value: ");
        checkNonNegative(group, "weight_decay", "Invalid weight_decay value: ");
        checkNonNegative(group, "initial_accumulator_value", "Invalid initial_accumulator_value value: ");
        checkNonNegative(group, "eps", "Invalid epsilon value: ");
    }

    @Override
    protected void update(Tensor param, Tensor grad, ParamGroup group, Map<String, Object> state) {
        if (state.isEmpty()) {
            // A group added by addParamGroup after construction (PyTorch 1.13 fails there with a KeyError).
            initState(param, group, state);
        }
        double step = ((Tensor) state.get("step")).add_(1.0).item();
        Tensor g = group.getBoolean("maximize") ? grad.neg() : grad;
        double weightDecay = group.getDouble("weight_decay");
        if (weightDecay != 0) {
            g = g.add(param, weightDecay);
        }
        double clr = group.lr() / (1 + (step - 1) * group.getDouble("lr_decay"));
        Tensor sum = (Tensor) state.get("sum");
        sum.add_(g.mul(g));
        Tensor std = sum.sqrt().add_(group.getDouble("eps"));
        param.add_(g.div(std), -clr);
    }
}
