package dev.steptorch.nn;

import dev.steptorch.function.Function;
import dev.steptorch.function.FunctionCtx;
import dev.steptorch.tensor.Tensor;

/**
 * 2-D convolution (cross-correlation, as in PyTorch) as im2col + one matrix product: every
 * window of the padded input becomes a row of C*kh*kw numbers, and the weight, flattened to
 * [outC, C*kh*kw], meets all rows at once. Only tensor ops are used, so it runs on any device.
 * Arguments: input [N, C, H, W], weight [outC, C, kh, kw], bias [outC] or null, stride, padding.
 */
final class ConvolutionOp extends Function {
    @Override
    public String name() {
        return "ConvolutionBackward0";
    }

    @Override
    protected Object forward(FunctionCtx ctx, Object... args) {
        Tensor input = (Tensor) args[0];
        Tensor weight = (Tensor) args[1];
        Tensor bias = (Tensor) args[2];
        int[] stride = (int[]) args[3];
        int[] padding = (int[]) args[4];
        int n = input.size(0);
        int outC = weight.size(0);
        int kh = weight.size(2);
        int kw = weight.size(3);
        int outH = Windows.outSize(input.size(2), kh, stride[0], padding[0]);
        int outW = Windows.outSize(input.size(3), kw, stride[1], padding[1]);
        // [N * outH * outW, C * kh * kw]: one row per output position
        Tensor cols;
        if (CpuWindows.applies(input)) {
            cols = CpuWindows.im2col(input, kh, kw, stride[0], stride[1], padding[0], padding[1]);
        } else {
            Tensor win = Windows.windows(Windows.pad(input, padding[0], padding[1], 0), kh, kw, stride[0], stride[1]);
            cols = win.permute(0, 2, 3, 1, 4, 5).reshape(n * outH * outW, -1);
        }
        Tensor w2d = weight.reshape(outC, -1);
        Tensor out = cols.mm(w2d.t()).view(n, outH, outW, outC).permute(0, 3, 1, 2).contiguous();
        if (bias != null) {
            out = out.add_(bias.view(1, outC, 1, 1));
        }
        ctx.saveForBackward(cols, w2d);
        ctx.put("inputShape", input.shape());
        ctx.put("weightShape", weight.shape());
        ctx.put("stride", stride);
        ctx.put("padding", padding);
        return out;
    }

    @Override
    protected Tensor[] backward(FunctionCtx ctx, Tensor... gradOutputs) {
        Tensor[] saved = ctx.savedTensors();
        Tensor cols = saved[0];
        Tensor w2d = saved[1];
        int[] in = ctx.get("inputShape");
        int[] ws = ctx.get("weightShape");
        int[] stride = ctx.get("stride");
        int[] padding = ctx.get("padding");
        Tensor grad = gradOutputs[0];
        int outH = grad.size(2);
        int outW = grad.size(3);
        Tensor grad2d = grad.permute(0, 2, 3, 1).reshape(-1, ws[0]);
        Tensor gradInput = null;
        if (ctx.needsInputGrad(0)) {
            Tensor gradCols = grad2d.mm(w2d);
            if (CpuWindows.applies(gradCols)) {
                gradInput = CpuWindows.col2im(gradCols, in, ws[2], ws[3], stride[0], stride[1], padding[0], padding[1]);
            } else {
                Tensor gradWindows = gradCols.view(in[0], outH, outW, in[1], ws[2], ws[3]).permute(0, 3, 1, 2, 4, 5);
                gradInput = Windows.foldBack(gradWindows, in[2], in[3], padding[0], padding[1], stride[0], stride[1]);
            }
        }
        return new Tensor[] {
            gradInput,
            ctx.needsInputGrad(1) ? grad2d.t().mm(cols).view(ws) : null,
            ctx.needsInputGrad(2) ? grad2d.sum(0) : null,
            null,
            null,
        };
    }
}
