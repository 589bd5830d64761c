package dev.steptorch.nn;

import dev.steptorch.function.Function;
import dev.steptorch.function.FunctionCtx;
import dev.steptorch.tensor.Tensor;

/**
 * {@code exp(x) / sum(exp(x))} along a dim. The max along the dim is subtracted first (it
 * cancels in the ratio), so exp never overflows. Backward: {@code s (g - sum(g s))}.
 * Arguments: input, dim (an Integer).
 */
final class SoftmaxOp extends Function {
    @Override
    public String name() {
        return "SoftmaxBackward0";
    }

    @Override
    protected Object forward(FunctionCtx ctx, Object... args) {
        Tensor x = (Tensor) args[0];
        int dim = (Integer) args[1];
        Tensor e = x.sub(x.max(dim, true).values()).exp();
        Tensor out = e.div(e.sum(dim, true));
        ctx.saveForBackward(out);
        ctx.put("dim", dim);
        return out;
    }

    @Override
    protected Tensor[] backward(FunctionCtx ctx, Tensor... gradOutputs) {
        Tensor s = ctx.savedTensors()[0];
        int dim = ctx.get("dim");
        Tensor g = gradOutputs[0];
        return new Tensor[] {s.mul(g.sub(g.mul(s).sum(dim, true))), null};
    }
}
