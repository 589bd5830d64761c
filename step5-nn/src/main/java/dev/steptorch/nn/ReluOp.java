package dev.steptorch.nn;

import dev.steptorch.function.Function;
import dev.steptorch.function.FunctionCtx;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;

/**
 * {@code max(x, 0)} as its own graph node, {@code ReluBackward0} as in PyTorch: the gradient
 * passes where the output is positive, judged from the saved output by {@code threshold_backward}
 * as in PyTorch: one pass, where a comparison and a masked fill made a mask and a copy.
 */
final class ReluOp extends Function {
    @Override
    public String name() {
        return "ReluBackward0";
    }

    @Override
    protected Object forward(FunctionCtx ctx, Object... args) {
        Tensor out = ((Tensor) args[0]).clamp(0);
        ctx.saveForBackward(out);
        return out;
    }

    @Override
    protected Tensor[] backward(FunctionCtx ctx, Tensor... gradOutputs) {
        Tensor out = ctx.savedTensors()[0];
        return new Tensor[] {Torch.thresholdBackward(gradOutputs[0], out, 0)};
    }
}
