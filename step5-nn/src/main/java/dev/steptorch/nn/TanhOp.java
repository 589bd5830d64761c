package dev.steptorch.nn;

import dev.steptorch.function.Function;
import dev.steptorch.function.FunctionCtx;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;

/**
 * {@code tanh(x) = sign(x) (1 - e) / (1 + e)} with {@code e = exp(-2|x|)}, which never overflows;
 * the derivative {@code 1 - t^2} comes from the saved output.
 */
final class TanhOp extends Function {
    @Override
    public String name() {
        return "TanhBackward0";
    }

    static Tensor tanh(Tensor x) {
        Tensor e = x.abs().mul(-2.0).exp();
        Tensor magnitude = e.rsub(1.0).div(e.add(1.0));
        return Torch.where(x.ge(0), magnitude, magnitude.neg());
    }

    @Override
    protected Object forward(FunctionCtx ctx, Object... args) {
        Tensor out = tanh((Tensor) args[0]);
        ctx.saveForBackward(out);
        return out;
    }

    @Override
    protected Tensor[] backward(FunctionCtx ctx, Tensor... gradOutputs) {
        Tensor t = ctx.savedTensors()[0];
        return new Tensor[] {gradOutputs[0].mul(t.mul(t).rsub(1.0))};
    }
}
