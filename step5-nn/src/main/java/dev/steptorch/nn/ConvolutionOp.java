package dev.steptorch.nn;

import dev.steptorch.function.Function;
import dev.steptorch.function.FunctionCtx;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;

/**
 * 2-D convolution (cross-correlation, as in PyTorch) as im2col + one matrix product: every window
 * of the padded input becomes a column of C*kh*kw numbers ({@link Torch#unfold}, a step 2
 * primitive with a kernel on every device), and the weight, flattened to [outC, C*kh*kw], meets
 * all of them at once. The columns are [C*kh*kw, N*outH*outW], so {@code weight . cols} has long
 * output rows, which the matrix product handles best. Backward is the same product transposed,
 * and col2im ({@link Torch#fold}) sums the column gradients back into the input's pixels.
 * Arguments: input [N, C, H, W], weight [outC, C, kh, kw], bias [outC] or null, stride, padding.
 */
final class ConvolutionOp extends Function {
    /**
     * The columns hold C*kh*kw numbers for every output pixel. Small ones are kept for the weight
     * gradient, since making them again costs a pass over memory in every step (a LeNet epoch at
     * batch 64: 11.1 s kept, 12.5-13.9 s remade). Beyond this many numbers (32 MiB of float32) the
     * input is kept instead and unfolded again in backward: ResNet-18 at batch 16 would otherwise
     * hold about 1 GiB of columns from forward to backward, which doubled its peak memory (3.2 GB
     * against 1.4 GB) and made a step slower (2.6-3.7 s against 2.0-2.2 s), the collector copying
     * them out of the young generation. Not final so that a test can send small convolutions down
     * the second path.
     */
    static long keepColumns = 1L << 23;

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
        int outH = (input.size(2) + 2 * padding[0] - kh) / stride[0] + 1;
        int outW = (input.size(3) + 2 * padding[1] - kw) / stride[1] + 1;
        Tensor w2d = weight.reshape(outC, -1);
        Tensor cols = Torch.unfold(input, kh, kw, stride[0], stride[1], padding[0], padding[1]);
        Tensor out = w2d.mm(cols).view(outC, n, outH, outW).permute(1, 0, 2, 3).contiguous();
        if (bias != null) {
            out = out.add_(bias.view(1, outC, 1, 1));
        }
        // big columns are made again in backward rather than kept: see keepColumns
        boolean kept = cols.numel() <= keepColumns;
        ctx.saveForBackward(kept ? cols : input, w2d);
        ctx.put("columnsKept", kept);
        ctx.put("inputShape", input.shape());
        ctx.put("weightShape", weight.shape());
        ctx.put("stride", stride);
        ctx.put("padding", padding);
        return out;
    }

    @Override
    protected Tensor[] backward(FunctionCtx ctx, Tensor... gradOutputs) {
        Tensor[] saved = ctx.savedTensors();
        Tensor w2d = saved[1];
        int[] in = ctx.get("inputShape");
        int[] ws = ctx.get("weightShape");
        int[] stride = ctx.get("stride");
        int[] padding = ctx.get("padding");
        Tensor grad = gradOutputs[0];
        // grad as [outC, N*outH*outW], the layout of the forward product's result
        Tensor grad2d = grad.permute(1, 0, 2, 3).reshape(ws[0], -1);
        Tensor gradInput = ctx.needsInputGrad(0)
                ? Torch.fold(w2d.t().mm(grad2d), in, ws[2], ws[3], stride[0], stride[1], padding[0], padding[1])
                : null;
        // cols . grad2d^T rather than grad2d . cols^T: transposing the small operand is the cheap copy
        Tensor gradWeight = null;
        if (ctx.needsInputGrad(1)) {
            boolean kept = ctx.get("columnsKept");
            Tensor cols = kept ? saved[0] : Torch.unfold(saved[0], ws[2], ws[3], stride[0], stride[1], padding[0], padding[1]);
            gradWeight = cols.mm(grad2d.t()).t().reshape(ws);
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
