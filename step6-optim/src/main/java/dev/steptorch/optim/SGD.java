package dev.steptorch.optim;

import dev.steptorch.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * {@code torch.optim.SGD}: stochastic gradient descent, optionally with momentum (heavy-ball or
 * Nesterov), dampening and weight decay (L2, added to the gradient), as PyTorch 1.13 computes it:
 * <pre>
 * g = grad (+ weight_decay * p)
 * buf = g                                   first step: a copy of the gradient, no dampening
 * buf = momentum * buf + (1 - dampening) * g   later steps
 * g = nesterov ? g + momentum * buf : buf
 * p = p - lr * g
 * </pre>
 * {@code new SGD(model.parameters(), SGD.defaults().lr(0.01).momentum(0.9))}. lr has no default,
 * as in PyTorch: either the defaults or every group must set it.
 */
public class SGD extends Optimizer {

    /** SGD's keyword arguments, with PyTorch's defaults (no lr). */
    public static final class Defaults extends OptimizerDefaults {
        private Defaults() {
            momentum(0).dampening(0).weightDecay(0).nesterov(false).maximize(false);
        }

        public Defaults lr(double lr) {
            put("lr", lr);
            return this;
        }

        public Defaults momentum(double momentum) {
            put("momentum", momentum);
            return this;
        }

        public Defaults dampening(double dampening) {
            put("dampening", dampening);
            return this;
        }

        public Defaults weightDecay(double weightDecay) {
            put("weight_decay", weightDecay);
            return this;
        }

        public Defaults nesterov(boolean nesterov) {
            put("nesterov", nesterov);
            return this;
        }

        /** Climb the objective instead of descending it. */
        public Defaults maximize(boolean maximize) {
            put("maximize", maximize);
            return this;
        }
    }

    public static Defaults defaults() {
        return new Defaults();
    }

    /** @param params parameters or {@link ParamGroup}s (see {@link Optimizer}) */
    public SGD(List<?> params, Defaults defaults) {
        super(params, defaults);
    }

    @Override
    protected List<String> requiredOptions() {
        return List.of("lr");
    }

    @Override
    protected void checkOptions(ParamGroup group) {
        super.checkOptions(group);
        checkNonNegative(group, "momentum", "Invalid momentum value: ");
        checkNonNegative(group, "weight_decay", "Invalid weight_decay value: ");
        if (group.getBoolean("nesterov") && (group.getDouble("momentum") <= 0 || group.getDouble("dampening") != 0)) {
            throw new IllegalArgumentException("Nesterov momentum requires a momentum and zero dampening");
        }
    }

    @Override
    protected void update(Tensor param, Tensor grad, ParamGroup group, Map<String, Object> state) {
        double weightDecay = group.getDouble("weight_decay");
        double momentum = group.getDouble("momentum");
        double dampening = group.getDouble("dampening");
        Tensor d = group.getBoolean("maximize") ? grad.neg() : grad;
        if (weightDecay != 0) {
            d = d.add(param, weightDecay);
        }
        if (momentum != 0) {
            // BEGIN SOLUTION step6.sgd-momentum
            Tensor buf = (Tensor) state.get("momentum_buffer");
            if (buf == null) {
                // A copy: d may be the .grad tensor itself, which zeroGrad() will clear.
                buf = d.clone();
                state.put("momentum_buffer", buf);
            } else {
                buf.mul_(momentum).add_(d, 1 - dampening);
            }
            d = group.getBoolean("nesterov") ? d.add(buf, momentum) : buf;
            // END SOLUTION
        } else {
            // PyTorch 1.13 records an empty buffer even without momentum; kept so state_dicts agree.
            state.put("momentum_buffer", null);
        }
        param.add_(d, -group.lr());
    }
}
