package dev.steptorch.optim;

import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import dev.steptorch.tensor.UnaryOp;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code torch.optim.Adam}: running averages of the gradient (m) and of its square (v), each
 * corrected for starting at zero, as PyTorch 1.13 computes it:
 * <pre>
 * g = grad (+ weight_decay * p)             L2 into the gradient (AdamW decays p instead)
 * m = beta1 * m + (1 - beta1) * g
 * v = beta2 * v + (1 - beta2) * g * g
 * vmax = max(vmax, v)                       amsgrad only; then used in place of v below
 * denom = sqrt(v) / sqrt(1 - beta2^t) + eps  eps after the bias correction
 * p = p - lr / (1 - beta1^t) * m / denom
 * </pre>
 */
public class Adam extends Optimizer {
    private final Map<Tensor, Tensor> scratches = new IdentityHashMap<>();

    /** Adam's keyword arguments, with PyTorch's defaults. */
    public static final class Defaults extends OptimizerDefaults {
        private Defaults() {
            lr(1e-3).betas(0.9, 0.999).eps(1e-8).weightDecay(0).amsgrad(false).maximize(false);
        }

        public Defaults lr(double lr) {
            put("lr", lr);
            return this;
        }

        /** The decay rates of the running averages of the gradient and of its square. */
        public Defaults betas(double beta1, double beta2) {
            put("betas", List.of(beta1, beta2));
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

        public Defaults amsgrad(boolean amsgrad) {
            put("amsgrad", amsgrad);
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

    public Adam(List<?> params) {
        this(params, defaults());
    }

    /** @param params parameters or {@link ParamGroup}s (see {@link Optimizer}) */
    public Adam(List<?> params, Defaults defaults) {
        super(params, defaults);
    }

    @Override
    protected void checkOptions(ParamGroup group) {
        super.checkOptions(group);
        checkNonNegative(group, "eps", "Invalid epsilon value: ");
        List<?> betas = (List<?>) group.get("betas");
        for (int i = 0; i < 2; i++) {
            double beta = ((Number) betas.get(i)).doubleValue();
            if (!(0.0 <= beta && beta < 1.0)) {
                throw new IllegalArgumentException("Invalid beta parameter at index " + i + ": " + betas.get(i));
            }
        }
        checkNonNegative(group, "weight_decay", "Invalid weight_decay value: ");
    }

    /**
     * A tensor like g for the update's intermediate results, the same one every step: it is
     * written over before it is read.
     */
    private Tensor scratchFor(Tensor param, Tensor g) {
        Tensor scratch = scratches.get(param);
        if (scratch == null || !Arrays.equals(scratch.shape(), g.shape()) || scratch.dtype() != g.dtype()
                || !scratch.device().equals(g.device())) {
            scratch = Torch.emptyLike(g);
            scratches.put(param, scratch);
        }
        return scratch;
    }

    @Override
    protected void update(Tensor param, Tensor grad, ParamGroup group, Map<String, Object> state) {
        boolean amsgrad = group.getBoolean("amsgrad");
        if (state.isEmpty()) {
            // As in PyTorch, the step count is a float32 scalar tensor on the CPU.
            state.put("step", Torch.tensor(0.0));
            state.put("exp_avg", Torch.zerosLike(param));
            state.put("exp_avg_sq", Torch.zerosLike(param));
            if (amsgrad) {
                state.put("max_exp_avg_sq", Torch.zerosLike(param));
            }
        }
        List<?> betas = (List<?>) group.get("betas");
        double beta1 = ((Number) betas.get(0)).doubleValue();
        double beta2 = ((Number) betas.get(1)).doubleValue();
        double weightDecay = group.getDouble("weight_decay");
        Tensor expAvg = (Tensor) state.get("exp_avg");
        Tensor expAvgSq = (Tensor) state.get("exp_avg_sq");
        Tensor stepCount = (Tensor) state.get("step");

        Tensor g = group.getBoolean("maximize") ? grad.neg() : grad;
        double step = stepCount.add_(1.0).item();
        if (weightDecay != 0) {
            g = g.add(param, weightDecay);
        }
        expAvg.mul_(beta1).add_(g, 1 - beta1);
        // g * g goes into a tensor that the rest of the update writes over again (sqrt, then the
        // quotient), each step rounded as in the formula above. PyTorch's code makes two fresh
        // tensors here; in Java each fresh tensor the size of a weight costs a pass over memory that
        // is not in the cache (about 40 µs for the course's 100,000 numbers, where an in-place pass
        // takes 7), and four of them made the optimizer step half of a training step. So the tensor
        // is the parameter's own, kept from one step to the next (outside the state: a state_dict
        // holds what PyTorch's holds).
        Tensor scratch = Torch.mul(g, g, scratchFor(param, g));
        expAvgSq.mul_(beta2).add_(scratch, 1 - beta2);

        // BEGIN SOLUTION step6.adam-bias-correction
        double biasCorrection1 = 1 - Math.pow(beta1, step);
        double biasCorrection2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
        double stepSize = group.lr() / biasCorrection1;
        Tensor second = expAvgSq;
        if (amsgrad) {
            Tensor maxExpAvgSq = (Tensor) state.get("max_exp_avg_sq");
            maxExpAvgSq.copy_(maxExpAvgSq.maximum(expAvgSq));
            second = maxExpAvgSq;
        }
        Tensor denom = Torch.unary(UnaryOp.SQRT, second, scratch).div_(biasCorrection2Sqrt).add_(group.getDouble("eps"));
        param.add_(Torch.div(expAvg, denom, denom), -stepSize);
        // END SOLUTION
    }
}
