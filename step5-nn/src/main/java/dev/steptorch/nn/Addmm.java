package dev.steptorch.nn;

import dev.steptorch.function.Function;
import dev.steptorch.function.FunctionCtx;
import dev.steptorch.tensor.Tensor;

/**
 * {@code bias + input . weight^T} as one graph node, as PyTorch's {@code addmm(bias, input,
 * weight.t())} is for {@code nn.Linear}: arguments in addmm's order, so the blitz's walk from the
 * loss back through a Linear layer prints {@code AddmmBackward0} and then the bias's
 * {@code AccumulateGrad}, as it does in PyTorch.
 */
final class Addmm extends Function {
    @Override
    public String name() {
        return "AddmmBackward0";
    }

    @Override
    protected Object forward(FunctionCtx ctx, Object... args) {
        Tensor bias = (Tensor) args[0];
        Tensor input = (Tensor) args[1];
        Tensor weight = (Tensor) args[2];
        ctx.saveForBackward(input, weight);
        return input.mm(weight.t()).add(bias);
    }

    @Override
    protected Tensor[] backward(FunctionCtx ctx, Tensor... gradOutputs) {
        Tensor[] saved = ctx.savedTensors();
        Tensor grad = gradOutputs[0];
        Tensor weightGrad = ctx.accumulateInto(2);
        if (weightGrad != null) {
            // weight.grad += grad^T input, summed where it lies: no gradient the size of the weight is made
            weightGrad.addmm_(grad.t(), saved[0]);
        }
        return new Tensor[] {
            ctx.needsInputGrad(0) ? grad.sum(0) : null,
            ctx.needsInputGrad(1) ? grad.mm(saved[1]) : null,
            ctx.needsInputGrad(2) && weightGrad == null ? grad.t().mm(saved[0]) : null,
        };
    }
}
