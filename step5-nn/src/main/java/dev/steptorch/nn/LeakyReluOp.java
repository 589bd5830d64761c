package dev.steptorch.nn;

import dev.steptorch.function.Function;
import dev.steptorch.function.FunctionCtx;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;

/**
 * {@code x > 0 ? x : slope * x}; the gradient at exactly 0 is the slope, as in PyTorch.
 * Arguments: input, slope (a Double).
 */
final class LeakyReluOp extends Function {
    @Override
    public String name() {
        return "LeakyReluBackward0";
    }

    @Override
    protected Object forward(FunctionCtx ctx, Object... args) {
        Tensor x = (Tensor) args[0];
        double slope = (Double) args[1];
        Tensor positive = x.gt(0);
        ctx.saveForBackward(positive);
        ctx.put("slope", slope);
        return Torch.where(positive, x, x.mul(slope));
    }

    @Override
    protected Tensor[] backward(FunctionCtx ctx, Tensor... gradOutputs) {
        Tensor positive = ctx.savedTensors()[0];
        double slope = ctx.get("slope");
        Tensor g = gradOutputs[0];
        return new Tensor[] {Torch.where(positive, g, g.mul(slope)), null};
    }
}
