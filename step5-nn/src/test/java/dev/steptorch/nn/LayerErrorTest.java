package dev.steptorch.nn;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import org.junit.jupiter.api.Test;

/** Wrong inputs fail at once, with a message that names the layer and the shape it expects. */
class LayerErrorTest {
    @Test
    void conv2dRejectsAnImageWithoutBatchDimension() {
        assertThatThrownBy(() -> new Conv2d(1, 6, 5).call(Torch.randn(1, 32, 32)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1)) expects input of shape [N, 1, H, W], "
                        + "got torch.Size([1, 32, 32])")
                .hasMessageContaining("unsqueeze(0)");
    }

    @Test
    void conv2dRejectsTheWrongNumberOfChannels() {
        assertThatThrownBy(() -> new Conv2d(3, 6, 5).call(Torch.randn(4, 1, 32, 32)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Conv2d(3, 6, kernel_size=(5, 5), stride=(1, 1)) expects input of shape [N, 3, H, W], "
                        + "got torch.Size([4, 1, 32, 32])");
    }

    @Test
    void conv2dRejectsAnInputSmallerThanItsKernel() {
        assertThatThrownBy(() -> new Conv2d(1, 2, 5, 1, 1).call(Torch.randn(1, 1, 2, 8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Conv2d(1, 2, kernel_size=(5, 5), stride=(1, 1), padding=(1, 1))")
                .hasMessageContaining("padded input is 4 x 10, smaller than the kernel 5 x 5");
    }

    @Test
    void conv2dRejectsAnInputOfAnotherDtype() {
        assertThatThrownBy(() -> new Conv2d(1, 2, 3).call(Torch.randn(Options.dtype(DType.FLOAT64), 1, 1, 4, 4)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("same dtype and device");
    }

    @Test
    void conv2dRejectsBadSettings() {
        assertThatThrownBy(() -> new Conv2d(1, 2, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kernel_size");
        assertThatThrownBy(() -> new Conv2d(1, 2, 3, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stride");
        assertThatThrownBy(() -> new Conv2d(1, 2, 3, 1, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("padding");
        assertThatThrownBy(() -> new Conv2d(0, 2, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("in_channels");
    }

    @Test
    void functionalConv2dChecksWeightAndBias() {
        Tensor x = Torch.randn(1, 2, 5, 5);
        assertThatThrownBy(() -> F.conv2d(x, Torch.randn(3, 1, 3, 3), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("conv2d: weight of size torch.Size([3, 1, 3, 3]) expects input of shape [N, 1, H, W], "
                        + "got torch.Size([1, 2, 5, 5])");
        assertThatThrownBy(() -> F.conv2d(x, Torch.randn(3, 2, 3, 3), Torch.randn(2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("conv2d: expected bias of shape [3], got torch.Size([2])");
        assertThatThrownBy(() -> F.conv2d(x, Torch.randn(3, 2, 9), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4-D weight");
    }

    @Test
    void maxPool2dRejectsAKernelLargerThanThePaddedInput() {
        assertThatThrownBy(() -> new MaxPool2d(4, 4, 1).call(Torch.randn(1, 1, 1, 5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("MaxPool2d(kernel_size=4, stride=4, padding=1, dilation=1, ceil_mode=False): the padded input is "
                        + "3 x 7, smaller than the kernel 4 x 4; input was torch.Size([1, 1, 1, 5])");
        assertThatThrownBy(() -> F.maxPool2d(Torch.randn(1, 1, 1, 5), 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Kernel size can't be greater than actual input size");
    }

    @Test
    void maxPool2dRejectsOtherRanksAndTooMuchPadding() {
        assertThatThrownBy(() -> new MaxPool2d(2).call(Torch.randn(6, 6)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False) expects input of shape "
                        + "[N, C, H, W], got torch.Size([6, 6])");
        assertThatThrownBy(() -> new MaxPool2d(2, 2, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pad should be at most half of kernel size");
        assertThatThrownBy(() -> new MaxPool2d(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive kernel_size");
    }

    @Test
    void batchNorm2dRejectsTheWrongShape() {
        assertThatThrownBy(() -> new BatchNorm2d(6).call(Torch.randn(4, 3, 8, 8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("BatchNorm2d(6, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True) expects input of "
                        + "shape [N, 6, H, W], got torch.Size([4, 3, 8, 8])");
        assertThatThrownBy(() -> new BatchNorm2d(3).call(Torch.randn(4, 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[N, 3, H, W]");
    }

    @Test
    void batchNorm2dNeedsMoreThanOneValuePerChannelToTrain() {
        BatchNorm2d bn = new BatchNorm2d(3);
        assertThatThrownBy(() -> bn.call(Torch.randn(1, 3, 1, 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expects more than 1 value per channel when training, got input size torch.Size([1, 3, 1, 1])");
        bn.eval();
        bn.call(Torch.randn(1, 3, 1, 1)); // in eval the running statistics serve, so one value is enough
    }

    @Test
    void dropoutRejectsAProbabilityOutsideZeroToOne() {
        assertThatThrownBy(() -> new Dropout(1.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dropout probability has to be between 0 and 1, but got 1.5");
        assertThatThrownBy(() -> F.dropout(Torch.randn(2), -0.1, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("but got -0.1");
    }

    @Test
    void dimsOutOfRangeAreNamed() {
        assertThatThrownBy(() -> new Softmax(2).call(Torch.randn(3, 4)))
                .isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("Dimension out of range (expected to be in range of [-2, 1], but got 2)");
        assertThatThrownBy(() -> new LogSoftmax(-3).call(Torch.randn(3, 4)))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("but got -3");
        assertThatThrownBy(() -> new Flatten(2, 1).call(Torch.randn(2, 3, 4)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("flatten() has invalid args: start_dim cannot come after end_dim");
        assertThatThrownBy(() -> new Flatten(1, 5).call(Torch.randn(2, 3, 4)))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("but got 5");
    }
}
