package dev.steptorch.nn;

import dev.steptorch.function.Function;
import dev.steptorch.function.FunctionCtx;
import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;

/**
 * 2-D max pooling: the windows of the (-inf padded) input, flattened to kh*kw values each,
 * reduced by max. Backward sends each output's gradient to the one input its max came from,
 * through a one-hot of the argmax, and folds the windows back as convolution does.
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
        ctx.put("inputShape", input.shape());
        ctx.put("kernel", kernel);
        ctx.put("stride", stride);
        ctx.put("padding", padding);
        boolean direct = CpuWindows.applies(input);
        ctx.put("direct", direct);
        if (direct) {
            Tensor[] max = CpuWindows.maxPool(input, kernel[0], kernel[1], stride[0], stride[1], padding[0], padding[1]);
            ctx.saveForBackward(max[1]);
            return max[0];
        }
        Tensor win = Windows.windows(Windows.pad(input, padding[0], padding[1], Double.NEGATIVE_INFINITY),
                kernel[0], kernel[1], stride[0], stride[1]);
        int[] s = win.shape();
        Tensor.ValuesIndices max = win.reshape(s[0], s[1], s[2], s[3], kernel[0] * kernel[1]).max(-1, false);
        ctx.saveForBackward(max.indices());
        return max.values();
    }

    @Override
    protected Tensor[] backward(FunctionCtx ctx, Tensor... gradOutputs) {
        Tensor indices = ctx.savedTensors()[0];
        int[] in = ctx.get("inputShape");
        int[] kernel = ctx.get("kernel");
        int[] stride = ctx.get("stride");
        int[] padding = ctx.get("padding");
        Tensor grad = gradOutputs[0];
        if (ctx.<Boolean>get("direct")) {
            return new Tensor[] {CpuWindows.maxPoolBackward(grad, indices, in), null, null, null};
        }
        Tensor offsets = Torch.arange(0, kernel[0] * kernel[1], 1, Options.of(DType.INT64, grad.device()));
        Tensor oneHot = indices.unsqueeze(-1).eq(offsets).to(grad.dtype());
        int[] g = grad.shape();
        Tensor gradWindows = oneHot.mul(grad.unsqueeze(-1)).view(g[0], g[1], g[2], g[3], kernel[0], kernel[1]);
        Tensor gradInput = Windows.foldBack(gradWindows, in[2], in[3], padding[0], padding[1], stride[0], stride[1]);
        return new Tensor[] {gradInput, null, null, null};
    }
}
