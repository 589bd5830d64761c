package dev.steptorch.nn;

import dev.steptorch.function.Function;
import dev.steptorch.function.FunctionCtx;
import dev.steptorch.tensor.Tensor;

/**
 * {@code x - max - log(sum(exp(x - max)))} along a dim: the log of softmax without ever forming
 * the (possibly underflowing) softmax. Backward: {@code g - exp(out) sum(g)}.
 * Arguments: input, dim (an Integer).
 */
final class LogSoftmaxOp extends Function {
    @Override
    public String name() {
        return "LogSoftmaxBackward0";
    }

    @Override
    protected Object forward(FunctionCtx ctx, Object... args) {
        Tensor x = (Tensor) args[0];
        int dim = (Integer) args[1];
        Tensor shifted = x.sub(x.max(dim, true).values());
        Tensor out = shifted.sub(shifted.exp().sum(dim, true).log());
        ctx.saveForBackward(out);
        ctx.put("dim", dim);
        return out;
    }

    @Override
    protected Tensor[] backward(FunctionCtx ctx, Tensor... gradOutputs) {
        Tensor out = ctx.savedTensors()[0];
        int dim = ctx.get("dim");
        Tensor g = gradOutputs[0];
        return new Tensor[] {g.sub(out.exp().mul(g.sum(dim, true))), null};
    }
}
