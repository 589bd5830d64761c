package dev.steptorch.nn;

import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;

/**
 * {@code torch.nn.functional}, imported as {@code F} in the course: the layers' computations as
 * plain functions of tensors, with the parameters passed in.
 */
public final class F {
    private F() {
    }

    public static Tensor relu(Tensor x) {
        return new ReluOp().apply(x);
    }

    /** {@code x . weight^T + bias} over the last dim of x; bias may be null. */
    public static Tensor linear(Tensor input, Tensor weight, Tensor bias) {
        // BEGIN SOLUTION step5.linear-forward
        Tensor x = input.dim() == 2 ? input : input.reshape(-1, input.size(input.dim() - 1));
        Tensor y = bias == null ? x.mm(weight.t()) : new Addmm().apply(bias, x, weight);
        if (input.dim() == 2) {
            return y;
        }
        int[] shape = input.shape();
        shape[shape.length - 1] = weight.size(0);
        return y.reshape(shape);
        // END SOLUTION
    }

    // =====================================================================================
    // Convolution and pooling
    // =====================================================================================

    /** {@code F.conv2d(x, w, b)}: stride 1, no padding; bias may be null. */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias) {
        return conv2d(input, weight, bias, new int[] {1, 1}, new int[] {0, 0});
    }

    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int stride, int padding) {
        return conv2d(input, weight, bias, new int[] {stride, stride}, new int[] {padding, padding});
    }

    /** {@code F.conv2d(x, w, b, stride=(sh, sw), padding=(ph, pw))} on [N, C, H, W] with w of shape [outC, C, kh, kw]. */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding) {
        checkPositivePair("conv2d", "stride", stride);
        checkNonNegativePair("conv2d", "padding", padding);
        if (weight.dim() != 4) {
            throw new IllegalArgumentException("conv2d: expected a 4-D weight [out_channels, in_channels, kH, kW], got "
                    + weight.size());
        }
        if (input.dim() != 4 || input.size(1) != weight.size(1)) {
            throw new IllegalArgumentException("conv2d: weight of size " + weight.size() + " expects input of shape [N, "
                    + weight.size(1) + ", H, W], got " + input.size());
        }
        if (bias != null && (bias.dim() != 1 || bias.size(0) != weight.size(0))) {
            throw new IllegalArgumentException("conv2d: expected bias of shape [" + weight.size(0) + "], got " + bias.size());
        }
        checkSameKind("conv2d", input, weight);
        if (bias != null) {
            checkSameKind("conv2d", input, bias);
        }
        checkWindowFits("conv2d", input, new int[] {weight.size(2), weight.size(3)}, padding);
        return new ConvolutionOp().apply(input, weight, bias, stride.clone(), padding.clone());
    }

    /** {@code F.max_pool2d(x, k)}: k x k windows, stride k. */
    public static Tensor maxPool2d(Tensor input, int kernelSize) {
        return maxPool2d(input, kernelSize, kernelSize);
    }

    public static Tensor maxPool2d(Tensor input, int kernelSize, int stride) {
        return maxPool2d(input, kernelSize, stride, 0);
    }

    public static Tensor maxPool2d(Tensor input, int kernelSize, int stride, int padding) {
        return maxPool2d(input, new int[] {kernelSize, kernelSize}, new int[] {stride, stride}, new int[] {padding, padding});
    }

    /** {@code F.max_pool2d(x, (kh, kw), (sh, sw), (ph, pw))} on [N, C, H, W]; padding counts as -inf. */
    public static Tensor maxPool2d(Tensor input, int[] kernelSize, int[] stride, int[] padding) {
        checkPositivePair("max_pool2d", "kernel_size", kernelSize);
        checkPositivePair("max_pool2d", "stride", stride);
        checkNonNegativePair("max_pool2d", "padding", padding);
        if (padding[0] > kernelSize[0] / 2 || padding[1] > kernelSize[1] / 2) {
            throw new IllegalArgumentException("max_pool2d: pad should be at most half of kernel size, but got pad="
                    + PyRepr.tuple(padding) + " and kernel_size=" + PyRepr.tuple(kernelSize));
        }
        if (input.dim() != 4) {
            throw new IllegalArgumentException("max_pool2d: expected input of shape [N, C, H, W], got " + input.size());
        }
        checkWindowFits("max_pool2d", input, kernelSize, padding);
        return new MaxPoolOp().apply(input, kernelSize.clone(), stride.clone(), padding.clone());
    }

    /**
     * {@code F.adaptive_avg_pool2d(x, (oh, ow))} on [N, C, H, W]. The common (1, 1) case is one
     * mean over H and W; otherwise each output cell is the mean of its window, joined with cat,
     * so autograd differentiates it without a kernel of its own.
     */
    public static Tensor adaptiveAvgPool2d(Tensor input, int[] outputSize) {
        checkPositivePair("adaptive_avg_pool2d", "output_size", outputSize);
        if (input.dim() != 4 || input.size(2) < 1 || input.size(3) < 1) {
            throw new IllegalArgumentException("adaptive_avg_pool2d: expected input of shape [N, C, H, W] with H, W >= 1, got "
                    + input.size());
        }
        int h = input.size(2);
        int w = input.size(3);
        int[] hw = {2, 3};
        if (outputSize[0] == 1 && outputSize[1] == 1) {
            return input.sum(hw, true).div(h * w);
        }
        Tensor[] rows = new Tensor[outputSize[0]];
        for (int i = 0; i < outputSize[0]; i++) {
            int h0 = i * h / outputSize[0];
            int h1 = ((i + 1) * h + outputSize[0] - 1) / outputSize[0];
            Tensor[] cells = new Tensor[outputSize[1]];
            for (int j = 0; j < outputSize[1]; j++) {
                int w0 = j * w / outputSize[1];
                int w1 = ((j + 1) * w + outputSize[1] - 1) / outputSize[1];
                cells[j] = input.narrow(2, h0, h1 - h0).narrow(3, w0, w1 - w0).sum(hw, true).div((h1 - h0) * (w1 - w0));
            }
            rows[i] = Torch.cat(3, cells);
        }
        return Torch.cat(2, rows);
    }

    // =====================================================================================
    // Normalisation and dropout
    // =====================================================================================

    /**
     * {@code F.batch_norm} over the channels of [N, C, H, W]. In training the batch's own
     * statistics normalise (biased variance), and running statistics, when given, move towards
     * them by {@code momentum} (unbiased variance), in place and unrecorded; this is one node,
     * {@link BatchNormOp}, with its backward written out. Otherwise the running statistics
     * normalise, through recorded tensor ops. Weight and bias may be null.
     */
    public static Tensor batchNorm(Tensor input, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                   boolean training, double momentum, double eps) {
        if (input.dim() != 4) {
            throw new IllegalArgumentException("batch_norm: expected input of shape [N, C, H, W], got " + input.size());
        }
        int c = input.size(1);
        if (training) {
            int n = input.numel() / c;
            if (n <= 1) {
                throw new IllegalArgumentException("batch_norm: expected more than 1 value per channel when training, got input size "
                        + input.size());
            }
            boolean tracked = runningMean != null && runningVar != null;
            return new BatchNormOp().apply(input, weight, bias, tracked ? runningMean : null, tracked ? runningVar : null,
                    momentum, eps);
        }
        if (runningMean == null || runningVar == null) {
            throw new IllegalArgumentException("batch_norm: running_mean and running_var must be given when training is false");
        }
        int[] channels = {1, c, 1, 1};
        Tensor mean = runningMean.view(channels);
        Tensor var = runningVar.view(channels);
        return affine(input.sub(mean).div(var.add(eps).sqrt()), weight, bias, channels);
    }

    private static Tensor affine(Tensor x, Tensor weight, Tensor bias, int[] channels) {
        Tensor y = weight == null ? x : x.mul(weight.view(channels));
        return bias == null ? y : y.add(bias.view(channels));
    }

    /**
     * {@code F.dropout(x, p, training)}: in training each element survives with probability
     * 1 - p and is scaled by 1 / (1 - p), so the expected value is unchanged; otherwise x itself.
     */
    public static Tensor dropout(Tensor input, double p, boolean training) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + PyRepr.floatRepr(p));
        }
        if (!training || p == 0) {
            return input;
        }
        if (p == 1) {
            return input.mul(0.0);
        }
        Tensor keep = Torch.randLike(input).lt(1 - p).to(input.dtype());
        return input.mul(keep.mul(1 / (1 - p)));
    }

    // =====================================================================================
    // Shapes and activations
    // =====================================================================================

    /** {@code torch.flatten(x, start_dim)} up to the last dim. */
    public static Tensor flatten(Tensor input, int startDim) {
        return flatten(input, startDim, -1);
    }

    /** {@code torch.flatten(x, start_dim, end_dim)}: dims start..end (inclusive) become one. */
    public static Tensor flatten(Tensor input, int startDim, int endDim) {
        if (input.dim() == 0) {
            return input.reshape(1);
        }
        int start = wrapDim(startDim, input.dim());
        int end = wrapDim(endDim, input.dim());
        if (start > end) {
            throw new IllegalArgumentException("flatten() has invalid args: start_dim cannot come after end_dim");
        }
        int[] s = input.shape();
        int[] shape = new int[s.length - (end - start)];
        int k = 0;
        for (int d = 0; d < start; d++) {
            shape[k++] = s[d];
        }
        int merged = 1;
        for (int d = start; d <= end; d++) {
            merged *= s[d];
        }
        shape[k++] = merged;
        for (int d = end + 1; d < s.length; d++) {
            shape[k++] = s[d];
        }
        return input.reshape(shape);
    }

    public static Tensor leakyRelu(Tensor input) {
        return leakyRelu(input, 0.01);
    }

    /** {@code x > 0 ? x : negativeSlope * x}. */
    public static Tensor leakyRelu(Tensor input, double negativeSlope) {
        return new LeakyReluOp().apply(input, negativeSlope);
    }

    /** {@code torch.sigmoid}, overflow-free for any input. */
    public static Tensor sigmoid(Tensor input) {
        return new SigmoidOp().apply(input);
    }

    /** {@code torch.tanh}, overflow-free for any input. */
    public static Tensor tanh(Tensor input) {
        return new TanhOp().apply(input);
    }

    /** {@code F.softmax(x, dim)}: non-negative, summing to 1 along dim. */
    public static Tensor softmax(Tensor input, int dim) {
        return new SoftmaxOp().apply(input, wrapDim(dim, Math.max(1, input.dim())));
    }

    /** {@code F.log_softmax(x, dim)}: the log of softmax, computed without forming softmax. */
    public static Tensor logSoftmax(Tensor input, int dim) {
        return new LogSoftmaxOp().apply(input, wrapDim(dim, Math.max(1, input.dim())));
    }

    // =====================================================================================
    // Checks
    // =====================================================================================

    /** A dim in [-rank, rank) as a non-negative index, with PyTorch's message otherwise. */
    static int wrapDim(int dim, int rank) {
        int r = Math.max(rank, 1);
        if (dim < -r || dim >= r) {
            throw new IndexOutOfBoundsException("Dimension out of range (expected to be in range of [" + -r + ", " + (r - 1)
                    + "], but got " + dim + ")");
        }
        return dim < 0 ? dim + r : dim;
    }

    private static void checkPositivePair(String op, String what, int[] pair) {
        if (pair.length != 2 || pair[0] < 1 || pair[1] < 1) {
            throw new IllegalArgumentException(op + ": " + what + " must be two positive numbers, got "
                    + java.util.Arrays.toString(pair));
        }
    }

    private static void checkNonNegativePair(String op, String what, int[] pair) {
        if (pair.length != 2 || pair[0] < 0 || pair[1] < 0) {
            throw new IllegalArgumentException(op + ": " + what + " must be two non-negative numbers, got "
                    + java.util.Arrays.toString(pair));
        }
    }

    private static void checkSameKind(String op, Tensor input, Tensor param) {
        if (input.dtype() != param.dtype() || input.device() != param.device()) {
            throw new IllegalArgumentException(op + ": input (" + input.dtype() + " on " + input.device()
                    + ") and parameters (" + param.dtype() + " on " + param.device() + ") must have the same dtype and device");
        }
    }

    private static void checkWindowFits(String op, Tensor input, int[] kernel, int[] padding) {
        int h = input.size(2) + 2 * padding[0];
        int w = input.size(3) + 2 * padding[1];
        if (kernel[0] > h || kernel[1] > w) {
            throw new IllegalArgumentException(op + ": calculated padded input size per channel: (" + h + " x " + w
                    + "). Kernel size: (" + kernel[0] + " x " + kernel[1] + "). Kernel size can't be greater than actual input size");
        }
    }
}
