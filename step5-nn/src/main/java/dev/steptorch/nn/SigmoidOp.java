package dev.steptorch.nn;

import dev.steptorch.function.Function;
import dev.steptorch.function.FunctionCtx;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;

/**
 * The logistic function {@code 1 / (1 + exp(-x))}, with derivative {@code s (1 - s)} taken from
 * the saved output. Only {@code exp(-|x|)} is ever computed, which lies in (0, 1], so no input
 * overflows: for negative x the equal form {@code exp(x) / (1 + exp(x))} is used.
 */
final class SigmoidOp extends Function {
    @Override
    public String name() {
        return "SigmoidBackward0";
    }

    static Tensor sigmoid(Tensor x) {
        Tensor e = x.abs().neg().exp();
        Tensor onePlus = e.add(1.0);
        return Torch.where(x.ge(0), Torch.onesLike(onePlus).div(onePlus), e.div(onePlus));
    }

    @Override
    protected Object forward(FunctionCtx ctx, Object... args) {
        Tensor out = sigmoid((Tensor) args[0]);
        ctx.saveForBackward(out);
        return out;
    }

    @Override
    protected Tensor[] backward(FunctionCtx ctx, Tensor... gradOutputs) {
        Tensor s = ctx.savedTensors()[0];
        return new Tensor[] {gradOutputs[0].mul(s.mul(s.rsub(1.0)))};
    }
}
