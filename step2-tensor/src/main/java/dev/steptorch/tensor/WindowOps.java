package dev.steptorch.tensor;

import java.util.Arrays;

/**
 * The device-independent half of the window ops of {@link TensorOps} (unfold, fold, max pooling,
 * the stride-1 correlation and its weight gradient):
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

    static Tensor correlate2d(Backend b, Tensor input, Tensor weight) {
        String op = "conv2d";
        b.checkDevices(op, input, weight);
        Window2d.checkFloating(op, input);
        if (input.dim() != 4 || weight.dim() != 4 || weight.size(1) != input.size(1)) {
            throw new IllegalArgumentException(op + ": expected input [N, C, H, W] and weight [O, C, kH, kW] with the same C, but got "
                    + "input of size " + input.size() + " and weight of size " + weight.size());
        }
        checkDtypes(op, input, weight);
        checkWindow(op, input, weight.size(2), weight.size(3));
        return b.correlate2dKernel(b.contiguous(input), b.contiguous(weight));
    }

    static Tensor correlate2dWeight(Backend b, Tensor input, Tensor grad, int kh, int kw) {
        String op = "conv2d weight gradient";
        b.checkDevices(op, input, grad);
        Window2d.checkFloating(op, input);
        checkDtypes(op, input, grad);
        if (input.dim() == 4) {
            checkWindow(op, input, kh, kw);
        }
        if (input.dim() != 4 || grad.dim() != 4 || grad.size(0) != input.size(0) || grad.size(2) != input.size(2) - kh + 1
                || grad.size(3) != input.size(3) - kw + 1) {
            throw new IllegalArgumentException(op + ": expected grad_output [N, O, H - kH + 1, W - kW + 1] for input of size "
                    + input.size() + " and kernel (" + kh + ", " + kw + "), but got " + grad.size());
        }
        return b.correlate2dWeightKernel(b.contiguous(input), b.contiguous(grad), kh, kw);
    }

    static Tensor correlate2dInput(Backend b, Tensor weight, Tensor grad) {
        String op = "conv2d input gradient";
        b.checkDevices(op, weight, grad);
        Window2d.checkFloating(op, weight);
        checkDtypes(op, weight, grad);
        if (weight.dim() != 4 || grad.dim() != 4 || grad.size(1) != weight.size(0)) {
            throw new IllegalArgumentException(op + ": expected weight [O, C, kH, kW] and grad_output [N, O, outH, outW] with the "
                    + "same O, but got weight of size " + weight.size() + " and grad_output of size " + grad.size());
        }
        return b.correlate2dInputKernel(b.contiguous(weight), b.contiguous(grad));
    }

    private static void checkDtypes(String op, Tensor a, Tensor b) {
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException(op + ": expected operands of one dtype, but got " + a.dtype() + " and " + b.dtype());
        }
    }

    private static void checkWindow(String op, Tensor input, int kh, int kw) {
        if (kh < 1 || kw < 1 || kh > input.size(2) || kw > input.size(3)) {
            throw new IllegalArgumentException(op + ": kernel size (" + kh + ", " + kw + ") must be at least 1 and fit the input's "
                    + "(H, W) = (" + input.size(2) + ", " + input.size(3) + ")");
        }
    }

    /** correlate2d as im2col and one product, on any device: [O, N * L] from the product, then images first. */
    static Tensor correlate2dByColumns(Backend b, Tensor input, Tensor weight) {
        int n = input.size(0), o = weight.size(0), kh = weight.size(2), kw = weight.size(3);
        Tensor cols = b.unfold(input, kh, kw, 1, 1, 0, 0);
        Tensor y = b.mm(b.reshape(weight, new int[] {o, -1}), cols, null);
        Tensor images = b.view(y, new int[] {o, n, input.size(2) - kh + 1, input.size(3) - kw + 1});
        return b.contiguous(b.permute(images, new int[] {1, 0, 2, 3}));
    }

    /** correlate2dWeight as im2col and one product: {@code grad [O, N * L] . cols^T}. */
    static Tensor correlate2dWeightByColumns(Backend b, Tensor input, Tensor grad, int kh, int kw) {
        int o = grad.size(1);
        Tensor cols = b.unfold(input, kh, kw, 1, 1, 0, 0);
        return b.view(b.mm(outputGradRows(b, grad), b.transpose(cols, 0, 1), null), new int[] {o, input.size(1), kh, kw});
    }

    /** correlate2dInput as one product and col2im: {@code fold(weight [O, C*kh*kw]^T . grad [O, N * L])}. */
    static Tensor correlate2dInputByColumns(Backend b, Tensor weight, Tensor grad) {
        int o = weight.size(0), kh = weight.size(2), kw = weight.size(3);
        Tensor cols = b.mm(b.transpose(b.reshape(weight, new int[] {o, -1}), 0, 1), outputGradRows(b, grad), null);
        int[] shape = {grad.size(0), weight.size(1), grad.size(2) + kh - 1, grad.size(3) + kw - 1};
        return b.fold(cols, shape, kh, kw, 1, 1, 0, 0);
    }

    /** The output gradient [N, O, outH, outW] as [O, N * outH * outW], the layout of the forward product's result. */
    private static Tensor outputGradRows(Backend b, Tensor grad) {
        return b.reshape(b.permute(grad, new int[] {1, 0, 2, 3}), new int[] {grad.size(1), -1});
    }
}
