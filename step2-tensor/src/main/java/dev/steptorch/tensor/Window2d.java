package dev.steptorch.tensor;

/**
 * Where the sliding windows of a 2-D convolution or pooling lie on an input [N, C, H, W]: kernel
 * (kh, kw), stride (sh, sw) and zero padding (ph, pw) on each side, no dilation. {@link Backend}
 * builds one after checking the arguments, so the kernels of every device receive geometry that is
 * already known to be valid.
 */
public record Window2d(int n, int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw) {
    /** Output rows, PyTorch's {@code (H + 2 * padH - kH) / dH + 1} (floor mode). */
    public int outH() {
        return (h + 2 * ph - kh) / sh + 1;
    }

    public int outW() {
        return (w + 2 * pw - kw) / sw + 1;
    }

    /** {@code [N, C, H, W]}. */
    public int[] inputShape() {
        return new int[] {n, c, h, w};
    }

    /** The shape of {@code unfold}'s result, {@code [C * kh * kw, N * outH * outW]}. */
    public int[] columnsShape() {
        return new int[] {c * kh * kw, n * outH() * outW()};
    }

    /** The shape of a pooling result, {@code [N, C, outH, outW]}. */
    public int[] pooledShape() {
        return new int[] {n, c, outH(), outW()};
    }

    /**
     * Checks a window on an input of {@code shape} with PyTorch's messages, naming the kernel
     * ({@code im2col}, {@code col2im}, {@code max_pool2d}) as PyTorch does.
     */
    static Window2d of(String op, int[] shape, int kh, int kw, int sh, int sw, int ph, int pw) {
        if (shape.length != 4) {
            throw new IllegalArgumentException(op + ": expected a 4-D input [N, C, H, W], but got input of size "
                    + new Size(shape));
        }
        if (kh <= 0 || kw <= 0) {
            throw new IllegalArgumentException("kernel size should be greater than zero, but got kH: " + kh + " kW: " + kw);
        }
        if (sh <= 0 || sw <= 0) {
            throw new IllegalArgumentException("stride should be greater than zero, but got dH: " + sh + " dW: " + sw);
        }
        if (ph < 0 || pw < 0) {
            throw new IllegalArgumentException("padding should be non-negative, but got padH: " + ph + " padW: " + pw);
        }
        Window2d win = new Window2d(shape[0], shape[1], shape[2], shape[3], kh, kw, sh, sw, ph, pw);
        if (shape[2] + 2 * ph < kh || shape[3] + 2 * pw < kw) {
            throw new IllegalArgumentException("Given input with spatial size (" + shape[2] + ", " + shape[3]
                    + "), kernel_size=(" + kh + ", " + kw + "), dilation=(1, 1), padding=(" + ph + ", " + pw
                    + "), calculated shape of the array of sliding blocks as (" + blocks(shape[2], kh, sh, ph) + ", " + blocks(shape[3], kw, sw, pw)
                    + "), but its components must be at least one.");
        }
        return win;
    }

    /** The output length PyTorch reports for a window that does not fit (floor division, so it can be negative). */
    private static int blocks(int in, int kernel, int stride, int pad) {
        return Math.floorDiv(in + 2 * pad - kernel, stride) + 1;
    }

    /** max_pool2d also wants every window to hold at least one element of the input. */
    static Window2d forPooling(int[] shape, int kh, int kw, int sh, int sw, int ph, int pw) {
        Window2d win = of("max_pool2d", shape, kh, kw, sh, sw, ph, pw);
        if (ph > kh / 2 || pw > kw / 2) {
            throw new IllegalArgumentException("pad should be at most half of effective kernel size, but got pad="
                    + (ph > kh / 2 ? ph : pw) + ", kernel_size=" + (ph > kh / 2 ? kh : kw) + " and dilation=1");
        }
        return win;
    }

    /** Window ops compute in float32 or float64 only, as PyTorch's CPU kernels of 1.13 do. */
    static void checkFloating(String op, Tensor t) {
        if (!t.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("\"" + op + "\" not implemented for '" + t.dtype().scalarName() + "'");
        }
    }
}
