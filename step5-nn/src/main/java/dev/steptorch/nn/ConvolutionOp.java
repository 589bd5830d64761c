package dev.steptorch.nn;

import dev.steptorch.function.Function;
import dev.steptorch.function.FunctionCtx;
import dev.steptorch.tensor.Tensor;

/**
 * 2-D convolution (cross-correlation, as in PyTorch) as im2col + one matrix product: every
 * window of the padded input becomes a column (or row) of C*kh*kw numbers, and the weight,
 * flattened to [outC, C*kh*kw], meets all of them at once.
 *
 * <p>Two layouts of the same idea. On any device, the windows are an as_strided view copied into
 * rows, [N*outH*outW, C*kh*kw] (only tensor ops, so it runs on the GPU). For float32 on the CPU,
 * {@link CpuWindows} writes them as columns, [C*kh*kw, N*outH*outW], by copying image rows, and
 * the product {@code weight . cols} then has long output rows, which the CPU kernels handle best.
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
        Tensor w2d = weight.reshape(outC, -1);
        boolean columns = CpuWindows.applies(input);
        Tensor cols;
        Tensor out;
        if (columns) {
            cols = CpuWindows.im2col(input, kh, kw, stride[0], stride[1], padding[0], padding[1]);
            out = w2d.mm(cols).view(outC, n, outH, outW).permute(1, 0, 2, 3).contiguous();
        } else {
            Tensor win = Windows.windows(Windows.pad(input, padding[0], padding[1], 0), kh, kw, stride[0], stride[1]);
            cols = win.permute(0, 2, 3, 1, 4, 5).reshape(n * outH * outW, -1);
            out = cols.mm(w2d.t()).view(n, outH, outW, outC).permute(0, 3, 1, 2).contiguous();
        }
        if (bias != null) {
            out = out.add_(bias.view(1, outC, 1, 1));
        }
        ctx.saveForBackward(cols, w2d);
        ctx.put("columns", columns);
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
        Tensor gradInput = null;
        Tensor gradWeight;
        if (ctx.<Boolean>get("columns")) {
            // grad as [outC, N*outH*outW], the layout of the forward product's result
            Tensor grad2d = grad.permute(1, 0, 2, 3).reshape(ws[0], -1);
            if (ctx.needsInputGrad(0)) {
                gradInput = CpuWindows.col2im(w2d.t().mm(grad2d), in, ws[2], ws[3], stride[0], stride[1], padding[0],
                        padding[1]);
            }
            // cols . grad2d^T rather than grad2d . cols^T: transposing the small operand is the cheap copy
            gradWeight = ctx.needsInputGrad(1) ? cols.mm(grad2d.t()).t().reshape(ws) : null;
        } else {
            int outH = grad.size(2);
            int outW = grad.size(3);
            Tensor grad2d = grad.permute(0, 2, 3, 1).reshape(-1, ws[0]);
            if (ctx.needsInputGrad(0)) {
                Tensor gradWindows = grad2d.mm(w2d).view(in[0], outH, outW, in[1], ws[2], ws[3]).permute(0, 3, 1, 2, 4, 5);
                gradInput = Windows.foldBack(gradWindows, in[2], in[3], padding[0], padding[1], stride[0], stride[1]);
            }
            gradWeight = ctx.needsInputGrad(1) ? grad2d.t().mm(cols).view(ws) : null;
        }
        return new Tensor[] {
            gradInput,
            gradWeight,
            ctx.needsInputGrad(2) ? grad.sum(new int[] {0, 2, 3}, false) : null,
            null,
            null,
        };
    }
}
