package dev.steptorch.nn;

import dev.steptorch.function.Function;
import dev.steptorch.function.FunctionCtx;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;

/**
 * 2-D max pooling: the largest value of each window of the (-inf padded) input, and where it came
 * from ({@link Torch#maxPool2dWithIndices}, a step 2 primitive with a kernel on every device).
 * Backward sends each output's gradient to the one input its maximum came from.
 * Arguments: input [N, C, H, W], kernel, stride, padding (each {h, w}).
 */
final class MaxPoolOp extends Function {
    @Override
    public String name() {
        return "MaxPool2DWithIndicesBackward0";
    }

    @Override
    protected Object forward(FunctionCtx ctx, Object... args) {
        Tensor input = (Tensor) args[0];
        int[] kernel = (int[]) args[1];
        int[] stride = (int[]) args[2];
        int[] padding = (int[]) args[3];
        Tensor.ValuesIndices max = Torch.maxPool2dWithIndices(input, kernel[0], kernel[1], stride[0], stride[1],
                padding[0], padding[1]);
        ctx.saveForBackward(max.indices());
        ctx.put("inputShape", input.shape());
        return max.values();
    }

    @Override
    protected Tensor[] backward(FunctionCtx ctx, Tensor... gradOutputs) {
        Tensor indices = ctx.savedTensors()[0];
        int[] in = ctx.get("inputShape");
        return new Tensor[] {Torch.maxPool2dBackward(gradOutputs[0], indices, in), null, null, null};
    }
}
