package dev.steptorch.nn;

import dev.steptorch.tensor.Tensor;

/**
 * {@code nn.MaxPool2d(kernel_size, stride=None, padding=0)}: the largest value of each window;
 * the stride defaults to the kernel size, so windows tile the input. Sizes given as one number
 * print as one number, sizes given as (h, w) as a tuple, as in PyTorch.
 */
public class MaxPool2d extends Module {
    private final int[] kernelSize;
    private final int[] stride;
    private final int[] padding;
    /** Whether kernel_size, stride and padding were given as (h, w), which decides how each prints. */
    private final boolean[] givenAsPairs;

    public MaxPool2d(int kernelSize) {
        this(kernelSize, kernelSize, 0);
    }

    public MaxPool2d(int kernelSize, int stride) {
        this(kernelSize, stride, 0);
    }

    public MaxPool2d(int kernelSize, int stride, int padding) {
        this(new int[] {kernelSize, kernelSize}, new int[] {stride, stride}, new int[] {padding, padding},
                new boolean[] {false, false, false});
    }

    /** The (h, w) form without padding, {@code nn.MaxPool2d((3, 2), stride=(2, 1))}. */
    public MaxPool2d(int[] kernelSize, int[] stride) {
        this(kernelSize, stride, new int[] {0, 0}, new boolean[] {true, true, false});
    }

    /** The (h, w) form, {@code nn.MaxPool2d((3, 2), stride=(2, 1), padding=(1, 0))}. */
    public MaxPool2d(int[] kernelSize, int[] stride, int[] padding) {
        this(kernelSize, stride, padding, new boolean[] {true, true, true});
    }

    private MaxPool2d(int[] kernelSize, int[] stride, int[] padding, boolean[] givenAsPairs) {
        this.kernelSize = kernelSize.clone();
        this.stride = stride.clone();
        this.padding = padding.clone();
        this.givenAsPairs = givenAsPairs;
        if (kernelSize.length != 2 || stride.length != 2 || padding.length != 2 || kernelSize[0] < 1 || kernelSize[1] < 1
                || stride[0] < 1 || stride[1] < 1 || padding[0] < 0 || padding[1] < 0) {
            throw new IllegalArgumentException("MaxPool2d needs positive kernel_size and stride and non-negative padding, got "
                    + this);
        }
        if (padding[0] > kernelSize[0] / 2 || padding[1] > kernelSize[1] / 2) {
            throw new IllegalArgumentException(this + ": pad should be at most half of kernel size");
        }
    }

    @Override
    public Tensor forward(Tensor input) {
        if (input.dim() != 4) {
            throw new IllegalArgumentException(this + " expects input of shape [N, C, H, W], got " + input.size()
                    + (input.dim() == 3 ? " (a single image needs a batch dimension: input.unsqueeze(0))" : ""));
        }
        int h = input.size(2) + 2 * padding[0];
        int w = input.size(3) + 2 * padding[1];
        if (kernelSize[0] > h || kernelSize[1] > w) {
            throw new IllegalArgumentException(this + ": the padded input is " + h + " x " + w + ", smaller than the kernel "
                    + kernelSize[0] + " x " + kernelSize[1] + "; input was " + input.size());
        }
        return F.maxPool2d(input, kernelSize, stride, padding);
    }

    private String show(int[] v, int which) {
        return givenAsPairs[which] ? PyRepr.tuple(v) : Integer.toString(v[0]);
    }

    @Override
    protected String extraRepr() {
        return "kernel_size=" + show(kernelSize, 0) + ", stride=" + show(stride, 1) + ", padding=" + show(padding, 2)
                + ", dilation=1, ceil_mode=False";
    }
}
