package dev.steptorch.tensor;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The window ops check their arguments once, above the kernels, with PyTorch's messages. */
class WindowErrorTest {
    private final Tensor x = Torch.zeros(1, 2, 4, 4);

    @Test
    void onlyFloatingPointInputsAreSupported() {
        Tensor ints = Torch.zeros(Options.dtype(DType.INT64), 1, 1, 4, 4);
        assertThatThrownBy(() -> Torch.unfold(ints, 2, 2, 1, 1, 0, 0))
                .hasMessage("\"im2col\" not implemented for 'Long'");
        assertThatThrownBy(() -> Torch.maxPool2dWithIndices(ints, 2, 2, 2, 2, 0, 0))
                .hasMessage("\"max_pool2d\" not implemented for 'Long'");
    }

    @Test
    void theInputMustBeABatchOfImages() {
        assertThatThrownBy(() -> Torch.unfold(Torch.zeros(2, 4, 4), 2, 2, 1, 1, 0, 0))
                .hasMessage("im2col: expected a 4-D input [N, C, H, W], but got input of size torch.Size([2, 4, 4])");
    }

    @Test
    void theCorrelationChecksItsOperands() {
        assertThatThrownBy(() -> Torch.correlate2d(x, Torch.zeros(3, 1, 2, 2)))
                .hasMessage("conv2d: expected input [N, C, H, W] and weight [O, C, kH, kW] with the same C, but got input of size "
                        + "torch.Size([1, 2, 4, 4]) and weight of size torch.Size([3, 1, 2, 2])");
        assertThatThrownBy(() -> Torch.correlate2d(x, Torch.zeros(3, 2, 5, 2)))
                .hasMessage("conv2d: kernel size (5, 2) must be at least 1 and fit the input's (H, W) = (4, 4)");
        assertThatThrownBy(() -> Torch.correlate2d(x, Torch.zeros(Options.dtype(DType.FLOAT64), 3, 2, 2, 2)))
                .hasMessage("conv2d: expected operands of one dtype, but got torch.float32 and torch.float64");
        assertThatThrownBy(() -> Torch.correlate2dWeight(x, Torch.zeros(1, 3, 2, 3), 2, 2))
                .hasMessage("conv2d weight gradient: expected grad_output [N, O, H - kH + 1, W - kW + 1] for input of size "
                        + "torch.Size([1, 2, 4, 4]) and kernel (2, 2), but got torch.Size([1, 3, 2, 3])");
        assertThatThrownBy(() -> Torch.correlate2dInput(Torch.zeros(3, 2, 2, 2), Torch.zeros(1, 4, 3, 3)))
                .hasMessage("conv2d input gradient: expected weight [O, C, kH, kW] and grad_output [N, O, outH, outW] with the same O, "
                        + "but got weight of size torch.Size([3, 2, 2, 2]) and grad_output of size torch.Size([1, 4, 3, 3])");
        assertThatThrownBy(() -> Torch.correlate2dInput(Torch.zeros(3, 2, 2, 2), Torch.zeros(Options.dtype(DType.FLOAT64), 1, 3, 3, 3)))
                .hasMessage("conv2d input gradient: expected operands of one dtype, but got torch.float32 and torch.float64");
    }

    @Test
    void kernelStrideAndPaddingAreChecked() {
        assertThatThrownBy(() -> Torch.unfold(x, 0, 2, 1, 1, 0, 0))
                .hasMessage("kernel size should be greater than zero, but got kH: 0 kW: 2");
        assertThatThrownBy(() -> Torch.unfold(x, 2, 2, 1, 0, 0, 0))
                .hasMessage("stride should be greater than zero, but got dH: 1 dW: 0");
        assertThatThrownBy(() -> Torch.unfold(x, 2, 2, 1, 1, -1, 0))
                .hasMessage("padding should be non-negative, but got padH: -1 padW: 0");
        assertThatThrownBy(() -> Torch.unfold(x, 5, 2, 1, 1, 0, 0))
                .hasMessage("Given input with spatial size (4, 4), kernel_size=(5, 2), dilation=(1, 1), padding=(0, 0), "
                        + "calculated shape of the array of sliding blocks as (0, 3), but its components must be at least one.");
        assertThatThrownBy(() -> Torch.maxPool2dWithIndices(x, 3, 3, 1, 1, 1, 2))
                .hasMessage("pad should be at most half of effective kernel size, but got pad=2, kernel_size=3 and dilation=1");
    }

    @Test
    void foldChecksTheColumnsAgainstTheOutputShape() {
        assertThatThrownBy(() -> Torch.fold(Torch.zeros(8, 10), new int[] {1, 2, 4, 4}, 2, 2, 1, 1, 0, 0))
                .hasMessage("col2im: expected columns of size torch.Size([8, 9]) ([C * kH * kW, N * L]) for output size "
                        + "torch.Size([1, 2, 4, 4]), kernel_size=(2, 2), stride=(1, 1), padding=(0, 0), "
                        + "but got torch.Size([8, 10])");
    }

    @Test
    void maxPoolBackwardWantsInt64IndicesShapedLikeTheGradient() {
        Tensor grad = Torch.zeros(1, 2, 2, 2);
        assertThatThrownBy(() -> Torch.maxPool2dBackward(grad, Torch.zeros(1, 2, 2, 2), new int[] {1, 2, 4, 4}))
                .hasMessageStartingWith("max_pool2d_with_indices_backward: expected indices of dtype torch.int64");
        assertThatThrownBy(() -> Torch.maxPool2dBackward(grad, Torch.zeros(Options.dtype(DType.INT64), 1, 2, 2, 2),
                new int[] {1, 3, 4, 4}))
                .hasMessage("max_pool2d_with_indices_backward: expected grad_output of size [N, C, outH, outW] for an "
                        + "input of size torch.Size([1, 3, 4, 4]), but got torch.Size([1, 2, 2, 2])");
    }
}
