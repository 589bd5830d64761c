package dev.steptorch.function.lessons;

import dev.steptorch.function.Function;
import dev.steptorch.function.FunctionCtx;
import dev.steptorch.tensor.Tensor;

/**
 * {@code output = input . weight^T + bias}, the notes' example of extending autograd: the bias is
 * optional (pass null), and backward computes only the gradients that {@code needsInputGrad} asks for.
 */
public final class LinearFunction extends Function {
    /** {@code linear = LinearFunction.apply}: wrapping the Function in a plain method. */
    public static Tensor linear(Tensor input, Tensor weight, Tensor bias) {
        return new LinearFunction().apply(input, weight, bias);
    }

    @Override
    protected Object forward(FunctionCtx ctx, Object... args) {
        Tensor input = (Tensor) args[0];
        Tensor weight = (Tensor) args[1];
        Tensor bias = (Tensor) args[2];
        // BEGIN SOLUTION step4.linear-function-forward
        ctx.saveForBackward(input, weight, bias);
        Tensor output = input.mm(weight.t());
        if (bias != null) {
            output = output.add(bias.unsqueeze(0).expand(output.shape()));
        }
        return output;
        // END SOLUTION
    }

    @Override
    protected Tensor[] backward(FunctionCtx ctx, Tensor... gradOutputs) {
        Tensor[] saved = ctx.savedTensors();
        Tensor input = saved[0];
        Tensor weight = saved[1];
        Tensor bias = saved[2];
        Tensor grad = gradOutputs[0];
        Tensor gradInput = null;
        Tensor gradWeight = null;
        Tensor gradBias = null;
        // The chain rule for each input, computed only when that input wants a gradient.
        // BEGIN SOLUTION step4.linear-function-backward
        if (ctx.needsInputGrad(0)) {
            gradInput = grad.mm(weight);
        }
        if (ctx.needsInputGrad(1)) {
            gradWeight = grad.t().mm(input);
        }
        if (bias != null && ctx.needsInputGrad(2)) {
            gradBias = grad.sum(0);
        }
        // END SOLUTION
        return new Tensor[] {gradInput, gradWeight, gradBias};
    }
}
