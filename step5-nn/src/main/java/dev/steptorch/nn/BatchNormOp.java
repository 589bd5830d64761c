package dev.steptorch.nn;

import dev.steptorch.function.Function;
import dev.steptorch.function.FunctionCtx;
import dev.steptorch.tensor.Tensor;

/**
 * Batch normalisation in training, over the channels of [N, C, H, W], as one function with its
 * backward written out, the way PyTorch's native batch norm is one node. Composed of autograd ops,
 * the same forward recorded about ten nodes, and their backward passed over the activations some
 * twenty times; here forward makes six passes and backward seven. With x^ = (x - mean) * invstd
 * and n values per channel, y = weight * x^ + bias, and
 * <pre>
 *   d bias   = sum(g)
 *   d weight = sum(g * x^)
 *   d x      = weight * invstd * (g - sum(g) / n - x^ * sum(g * x^) / n)
 * </pre>
 * (sums over N, H and W), written with the centred input, so x^ itself is never stored.
 * Arguments: input, weight and bias (either may be null), running mean and running variance
 * (both null, or both updated in place), momentum and eps (Doubles).
 */
final class BatchNormOp extends Function {
    private static final int[] STATISTICS_DIMS = {0, 2, 3};

    @Override
    public String name() {
        return "NativeBatchNormBackward0";
    }

    @Override
    protected Object forward(FunctionCtx ctx, Object... args) {
        Tensor input = (Tensor) args[0];
        Tensor weight = (Tensor) args[1];
        Tensor bias = (Tensor) args[2];
        Tensor runningMean = (Tensor) args[3];
        Tensor runningVar = (Tensor) args[4];
        double momentum = (Double) args[5];
        double eps = (Double) args[6];
        int c = input.size(1);
        int n = input.numel() / c;
        int[] channels = {1, c, 1, 1};
        Tensor mean = input.mean(STATISTICS_DIMS, true);
        Tensor centred = input.sub(mean);
        Tensor var = centred.mul(centred).mean(STATISTICS_DIMS, true);
        Tensor invstd = var.add(eps).rsqrt();
        if (runningMean != null) {
            // the running variance is the unbiased estimate, as PyTorch keeps it
            runningMean.mul_(1 - momentum).add_(mean.view(c).mul(momentum));
            runningVar.mul_(1 - momentum).add_(var.view(c).mul(momentum * n / (n - 1.0)));
        }
        Tensor scale = weight == null ? invstd : invstd.mul(weight.view(channels));
        Tensor out = centred.mul(scale);
        if (bias != null) {
            out = out.add_(bias.view(channels));
        }
        ctx.saveForBackward(centred, invstd, scale);
        return out;
    }

    @Override
    protected Tensor[] backward(FunctionCtx ctx, Tensor... gradOutputs) {
        Tensor[] saved = ctx.savedTensors();
        Tensor centred = saved[0];
        Tensor invstd = saved[1];
        Tensor scale = saved[2];
        int c = centred.size(1);
        int n = centred.numel() / c;
        Tensor g = gradOutputs[0];
        Tensor gSum = g.sum(STATISTICS_DIMS, true);
        // sum(g * x^) = invstd * sum(g * (x - mean))
        Tensor gCentredSum = g.mul(centred).sum(STATISTICS_DIMS, true);
        Tensor gradInput = null;
        if (ctx.needsInputGrad(0)) {
            Tensor perChannel = invstd.mul(invstd).mul(gCentredSum).div(n);
            // (g - centred * perChannel - gSum / n) * scale, as one new tensor changed in place: every
            // new tensor of the activations' size is one more pass, the JVM zeroing it
            gradInput = centred.mul(perChannel).sub_(g).add_(gSum.div(n)).mul_(scale.neg());
        }
        return new Tensor[] {
            gradInput,
            ctx.needsInputGrad(1) ? gCentredSum.mul(invstd).view(c) : null,
            ctx.needsInputGrad(2) ? gSum.view(c) : null,
            null,
            null,
            null,
            null,
        };
    }
}
