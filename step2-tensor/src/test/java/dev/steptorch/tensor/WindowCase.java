package dev.steptorch.tensor;

import java.util.Random;

/**
 * A random sliding-window problem for the window-op properties: an input [N, C, H, W] of a float
 * dtype (sometimes a transposed or offset view, so the kernels see non-contiguous operands) and a
 * window with its own kernel size, stride and padding along each axis; now and then a big one.
 */
public record WindowCase(Tensor x, int kh, int kw, int sh, int sw, int ph, int pw) {
    /** A case for unfold/fold: padding up to the kernel size, even windows lying wholly in padding. */
    public static WindowCase forColumns(long seed, DType dtype) {
        Random r = new Random(seed);
        int kh = 1 + r.nextInt(4), kw = 1 + r.nextInt(4);
        return make(r, dtype, kh, kw, r.nextInt(kh + 1), r.nextInt(kw + 1), false, 0);
    }

    /**
     * A case for max pooling: padding at most half the kernel, as PyTorch requires; values drawn
     * from a few integers so that ties are common, and now and then a NaN.
     */
    public static WindowCase forPooling(long seed, DType dtype) {
        Random r = new Random(seed);
        if (r.nextInt(4) == 0) {
            // the course's pooling, 2 x 2 at stride 2, which the CPU computes with a vector kernel of its own
            return make(r, dtype, 2, 2, 0, 0, true, 2);
        }
        int kh = 1 + r.nextInt(4), kw = 1 + r.nextInt(4);
        return make(r, dtype, kh, kw, r.nextInt(kh / 2 + 1), r.nextInt(kw / 2 + 1), true, 0);
    }

    /** {@code stride} 0 draws each stride from 1 to 3. */
    private static WindowCase make(Random r, DType dtype, int kh, int kw, int ph, int pw, boolean pooling, int stride) {
        // one case in ten is big enough (over 65,536 elements) for the CPU loops to split it across threads
        boolean big = r.nextInt(10) == 0;
        int n = big ? 4 : 1 + r.nextInt(3), c = big ? 8 : 1 + r.nextInt(3);
        int h = Math.max(1, kh - 2 * ph) + (big ? 44 + r.nextInt(6) : r.nextInt(6));
        int w = Math.max(1, kw - 2 * pw) + (big ? 44 + r.nextInt(6) : r.nextInt(6));
        int sh = stride > 0 ? stride : 1 + r.nextInt(3), sw = stride > 0 ? stride : 1 + r.nextInt(3);
        double[] values = new double[n * c * h * w];
        for (int i = 0; i < values.length; i++) {
            // pooling: ties, both zeros (the first of -0.0 and 0.0 must win) and a NaN now and then
            values[i] = pooling ? (r.nextInt(50) == 0 ? Double.NaN : r.nextInt(10) == 0 ? -0.0 : r.nextInt(5) - 2) : r.nextGaussian();
        }
        Tensor x = Torch.tensor(values, Options.dtype(dtype));
        Tensor shaped;
        switch (r.nextInt(3)) {
            // the same values, read through a transposed view
            case 0 -> shaped = x.view(n, c, h, w).transpose(2, 3).contiguous().transpose(2, 3);
            // a view starting inside a larger storage
            case 1 -> shaped = Torch.cat(0, Torch.zeros(Options.dtype(dtype), 1, c, h, w), x.view(n, c, h, w)).narrow(0, 1, n);
            default -> shaped = x.view(n, c, h, w);
        }
        return new WindowCase(shaped, kh, kw, sh, sw, ph, pw);
    }

    public int outH() {
        return (x.size(2) + 2 * ph - kh) / sh + 1;
    }

    public int outW() {
        return (x.size(3) + 2 * pw - kw) / sw + 1;
    }

    @Override
    public String toString() {
        return x.dtype() + " " + x.size() + " kernel (" + kh + ", " + kw + ") stride (" + sh + ", " + sw + ") padding ("
                + ph + ", " + pw + ")";
    }
}
