package dev.steptorch.nn;

import dev.steptorch.tensor.Tensor;

/**
 * {@code nn.AdaptiveAvgPool2d(output_size)}: averages [N, C, H, W] down to a fixed
 * [N, C, oh, ow] whatever H and W are, which lets one network take images of any size. Output
 * cell (i, j) averages rows floor(i*H/oh) .. ceil((i+1)*H/oh) and the same for columns, so windows
 * may overlap when H is not a multiple of oh, as in PyTorch.
 */
public class AdaptiveAvgPool2d extends Module {
    private final int[] outputSize;
    private final boolean givenAsPair;

    /** {@code nn.AdaptiveAvgPool2d(5)}: a 5 x 5 output. */
    public AdaptiveAvgPool2d(int outputSize) {
        this(new int[] {outputSize, outputSize}, false);
    }

    /** {@code nn.AdaptiveAvgPool2d((1, 1))}, as torchvision's ResNet writes it. */
    public AdaptiveAvgPool2d(int[] outputSize) {
        this(outputSize, true);
    }

    private AdaptiveAvgPool2d(int[] outputSize, boolean givenAsPair) {
        if (outputSize.length != 2 || outputSize[0] < 1 || outputSize[1] < 1) {
            throw new IllegalArgumentException("AdaptiveAvgPool2d needs a positive output_size, got "
                    + java.util.Arrays.toString(outputSize));
        }
        this.outputSize = outputSize.clone();
        this.givenAsPair = givenAsPair;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.adaptiveAvgPool2d(input, outputSize);
    }

    @Override
    protected String extraRepr() {
        return "output_size=" + (givenAsPair ? PyRepr.tuple(outputSize) : Integer.toString(outputSize[0]));
    }
}
