package dev.steptorch.nn;

import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;

/**
 * {@code nn.Conv2d(in_channels, out_channels, kernel_size, stride=1, padding=0, bias=True)}:
 * slides {@code out_channels} filters of shape [in_channels, kh, kw] over [N, C, H, W] inputs.
 * Weight and bias start as PyTorch's do: Kaiming-uniform with a = sqrt(5), and a bias uniform
 * within 1/sqrt(fan_in), fan_in = in_channels * kh * kw.
 */
public class Conv2d extends Module {
    private final int inChannels;
    private final int outChannels;
    private final int[] kernelSize;
    private final int[] stride;
    private final int[] padding;

    public Conv2d(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, kernelSize, 1, 0, true);
    }

    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding) {
        this(inChannels, outChannels, kernelSize, stride, padding, true);
    }

    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding, boolean bias) {
        this(inChannels, outChannels, kernelSize, stride, padding, bias, Options.DEFAULT);
    }

    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding, boolean bias, Options options) {
        this(inChannels, outChannels, new int[] {kernelSize, kernelSize}, new int[] {stride, stride},
                new int[] {padding, padding}, bias, options);
    }

    /** A rectangular kernel, {@code nn.Conv2d(3, 6, (3, 5))}: stride 1, no padding. */
    public Conv2d(int inChannels, int outChannels, int[] kernelSize) {
        this(inChannels, outChannels, kernelSize, new int[] {1, 1}, new int[] {0, 0}, true, Options.DEFAULT);
    }

    /** The (h, w) form: {@code nn.Conv2d(3, 6, (3, 5), stride=(2, 1), padding=(4, 2))}. */
    public Conv2d(int inChannels, int outChannels, int[] kernelSize, int[] stride, int[] padding, boolean bias,
                  Options options) {
        if (inChannels < 1 || outChannels < 1) {
            throw new IllegalArgumentException("Conv2d needs positive in_channels and out_channels, got " + inChannels + " and "
                    + outChannels);
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernelSize = pair("kernel_size", kernelSize, 1);
        this.stride = pair("stride", stride, 1);
        this.padding = pair("padding", padding, 0);
        Tensor weight = registerParameter("weight",
                Torch.empty(options, outChannels, inChannels, this.kernelSize[0], this.kernelSize[1]));
        Init.kaimingUniform_(weight, Math.sqrt(5));
        if (bias) {
            double bound = 1 / Math.sqrt(Init.fanIn(weight));
            Init.uniform_(registerParameter("bias", Torch.empty(options, outChannels)), -bound, bound);
        } else {
            registerParameter("bias", null);
        }
        LayerWarmup.start();
    }

    private static int[] pair(String name, int[] values, int min) {
        if (values == null || values.length != 2 || values[0] < min || values[1] < min) {
            throw new IllegalArgumentException("Conv2d: " + name + " must be two numbers of at least " + min + ", got "
                    + java.util.Arrays.toString(values));
        }
        return values.clone();
    }

    public Tensor weight() {
        return param("weight");
    }

    public Tensor bias() {
        return param("bias");
    }

    @Override
    public Tensor forward(Tensor input) {
        LayerWarmup.stop();
        if (input.dim() != 4 || input.size(1) != inChannels) {
            String hint = input.dim() == 3 ? " (a single image needs a batch dimension: input.unsqueeze(0))" : "";
            throw new IllegalArgumentException(this + " expects input of shape [N, " + inChannels + ", H, W], got "
                    + input.size() + hint);
        }
        int h = input.size(2) + 2 * padding[0];
        int w = input.size(3) + 2 * padding[1];
        if (kernelSize[0] > h || kernelSize[1] > w) {
            throw new IllegalArgumentException(this + ": the padded input is " + h + " x " + w + ", smaller than the kernel "
                    + kernelSize[0] + " x " + kernelSize[1] + "; input was " + input.size());
        }
        return F.conv2d(input, weight(), bias(), stride, padding);
    }

    @Override
    protected String extraRepr() {
        String s = inChannels + ", " + outChannels + ", kernel_size=" + PyRepr.tuple(kernelSize) + ", stride=" + PyRepr.tuple(stride);
        if (padding[0] != 0 || padding[1] != 0) {
            s += ", padding=" + PyRepr.tuple(padding);
        }
        return bias() == null ? s + ", bias=False" : s;
    }
}
