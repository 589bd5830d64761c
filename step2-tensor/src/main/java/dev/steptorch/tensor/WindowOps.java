package dev.steptorch.tensor;

import java.util.Arrays;

/**
 * The device-independent half of the window ops of {@link TensorOps} (unfold, fold, max pooling):
 * argument checks with PyTorch's messages, result allocation, and contiguous operands, so that a
 * device's kernels in {@link Backend} only compute. Apart from Backend only to keep that file short.
 */
final class WindowOps {
    private WindowOps() {
    }

    static Tensor unfold(Backend b, Tensor input, int kh, int kw, int sh, int sw, int ph, int pw) {
        b.checkDevices("im2col", input);
        Window2d.checkFloating("im2col", input);
        Window2d win = Window2d.of("im2col", input.shape(), kh, kw, sh, sw, ph, pw);
        Tensor cols = b.empty(win.columnsShape(), input.dtype());
        if (cols.numel() > 0) {
            b.unfoldKernel(b.contiguous(input), win, cols);
        }
        return cols;
    }

    static Tensor fold(Backend b, Tensor cols, int[] outputShape, int kh, int kw, int sh, int sw, int ph, int pw) {
        b.checkDevices("col2im", cols);
        Window2d.checkFloating("col2im", cols);
        Window2d win = Window2d.of("col2im", outputShape, kh, kw, sh, sw, ph, pw);
        if (!Arrays.equals(cols.shape(), win.columnsShape())) {
            throw new IllegalArgumentException("col2im: expected columns of size " + new Size(win.columnsShape())
                    + " ([C * kH * kW, N * L]) for output size " + new Size(outputShape) + ", kernel_size=(" + kh + ", "
                    + kw + "), stride=(" + sh + ", " + sw + "), padding=(" + ph + ", " + pw + "), but got " + cols.size());
        }
        Tensor out = b.empty(outputShape, cols.dtype());
        if (out.numel() > 0) {
            b.foldKernel(b.contiguous(cols), win, out);
        }
        return out;
    }

    static Tensor[] maxPool2dWithIndices(Backend b, Tensor input, int kh, int kw, int sh, int sw, int ph, int pw) {
        b.checkDevices("max_pool2d", input);
        Window2d.checkFloating("max_pool2d", input);
        Window2d win = Window2d.forPooling(input.shape(), kh, kw, sh, sw, ph, pw);
        Tensor values = b.empty(win.pooledShape(), input.dtype());
        Tensor indices = b.empty(win.pooledShape(), DType.INT64);
        if (values.numel() > 0) {
            b.maxPool2dKernel(b.contiguous(input), win, values, indices);
        }
        return new Tensor[] {values, indices};
    }

    static Tensor maxPool2dBackward(Backend b, Tensor grad, Tensor indices, int[] inputShape) {
        String op = "max_pool2d_with_indices_backward";
        b.checkDevices(op, grad, indices);
        Window2d.checkFloating(op, grad);
        if (grad.dim() != 4 || inputShape.length != 4 || grad.size(0) != inputShape[0] || grad.size(1) != inputShape[1]) {
            throw new IllegalArgumentException(op + ": expected grad_output of size [N, C, outH, outW] for an input of size "
                    + new Size(inputShape) + ", but got " + grad.size());
        }
        if (indices.dtype() != DType.INT64 || !Arrays.equals(indices.shape(), grad.shape())) {
            throw new IllegalArgumentException(op + ": expected indices of dtype " + DType.INT64 + " and size " + grad.size()
                    + " (those of grad_output), but got " + indices.dtype() + " of size " + indices.size());
        }
        Tensor out = b.empty(inputShape, grad.dtype());
        if (out.numel() > 0) {
            b.maxPool2dBackwardKernel(b.contiguous(grad), b.contiguous(indices), out);
        }
        return out;
    }
}
