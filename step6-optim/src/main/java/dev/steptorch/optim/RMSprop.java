package dev.steptorch.optim;

import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.util.List;
import java.util.Map;

/**
 * {@code torch.optim.RMSprop}: divides the gradient by a running root-mean-square of recent
 * gradients, as PyTorch 1.13 computes it:
 * <pre>
 * g = grad (+ weight_decay * p)
 * v = alpha * v + (1 - alpha) * g * g
 * centered:  a = alpha * a + (1 - alpha) * g;  avg = sqrt(v - a * a) + eps   (an estimate of the variance)
 * otherwise: avg = sqrt(v) + eps
 * momentum > 0:  buf = momentum * buf + g / avg;  p = p - lr * buf
 * otherwise:     p = p - lr * g / avg
 * </pre>
 * Unlike Adam, there is no bias correction: v starts at zero, so the first steps are large.
 */
public class RMSprop extends Optimizer {

    /** RMSprop's keyword arguments, with PyTorch's defaults. */
    public static final class Defaults extends OptimizerDefaults {
        private Defaults() {
            lr(1e-2).alpha(0.99).eps(1e-8).weightDecay(0).momentum(0).centered(false).maximize(false);
        }

        public Defaults lr(double lr) {
            put("lr", lr);
            return this;
        }

        /** The decay rate of the running average of the squared gradient. */
        public Defaults alpha(double alpha) {
            put("alpha", alpha);
            return this;
        }

        public Defaults eps(double eps) {
            put("eps", eps);
            return this;
        }

        public Defaults weightDecay(double weightDecay) {
            put("weight_decay", weightDecay);
            return this;
        }

        public Defaults momentum(double momentum) {
            put("momentum", momentum);
            return this;
        }

        public Defaults centered(boolean centered) {
            put("centered", centered);
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

    public RMSprop(List<?> params) {
        this(params, defaults());
    }

    /** @param params parameters or {@link ParamGroup}s (see {@link Optimizer}) */
    public RMSprop(List<?> params, Defaults defaults) {
        super(params, defaults);
    }

    @Override
    protected void checkOptions(ParamGroup group) {
        super.checkOptions(group);
        checkNonNegative(group, "eps", "Invalid epsilon value: ");
        checkNonNegative(group, "momentum", "Invalid momentum value: ");
        checkNonNegative(group, "weight_decay", "Invalid weight_decay value: ");
        checkNonNegative(group, "alpha", "Invalid alpha value: ");
    }

    @Override
    protected void update(Tensor param, Tensor grad, ParamGroup group, Map<String, Object> state) {
        double alpha = group.getDouble("alpha");
        double momentum = group.getDouble("momentum");
        boolean centered = group.getBoolean("centered");
        if (state.isEmpty()) {
            // PyTorch 1.13's RMSprop counts steps in a plain int, unlike Adam's and Adagrad's tensors.
            state.put("step", 0);
            state.put("square_avg", Torch.zerosLike(param));
            if (momentum > 0) {
                state.put("momentum_buffer", Torch.zerosLike(param));
            }
            if (centered) {
                state.put("grad_avg", Torch.zerosLike(param));
            }
        }
        state.put("step", (Integer) state.get("step") + 1);
        Tensor g = group.getBoolean("maximize") ? grad.neg() : grad;
        double weightDecay = group.getDouble("weight_decay");
        if (weightDecay != 0) {
            g = g.add(param, weightDecay);
        }
        Tensor squareAvg = (Tensor) state.get("square_avg");
        // BEGIN SOLUTION step6.rmsprop
        squareAvg.mul_(alpha).add_(g.mul(g), 1 - alpha);
        Tensor avg;
        if (centered) {
            Tensor gradAvg = (Tensor) state.get("grad_avg");
            gradAvg.mul_(alpha).add_(g, 1 - alpha);
            avg = squareAvg.sub(gradAvg.mul(gradAvg)).sqrt();
        } else {
            avg = squareAvg.sqrt();
        }
        avg.add_(group.getDouble("eps"));
        if (momentum > 0) {
            Tensor buf = (Tensor) state.get("momentum_buffer");
            buf.mul_(momentum).add_(g.div(avg));
            param.add_(buf, -group.lr());
        } else {
            param.add_(g.div(avg), -group.lr());
        }
        // END SOLUTION
    }
}
