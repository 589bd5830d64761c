package dev.steptorch.nn;

import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;

/**
 * The readable definition of the sliding windows of convolution and pooling, which the tests
 * compare step 2's window kernels (unfold, fold, max pooling) with. A window view is PyTorch's
 * {@code as_strided}: no data moves, the strides simply let neighbouring windows overlap in
 * memory. Its inverse, {@link #foldBack}, is col2im: each kernel offset adds its slice of the
 * window gradient into a strided view of a padded zero gradient, so overlapping windows sum.
 */
final class Windows {
    private Windows() {
    }

    /** x with {@code fill} around H and W, contiguous; x itself (made contiguous) when there is no padding. */
    static Tensor pad(Tensor x, int ph, int pw, double fill) {
        if (ph == 0 && pw == 0) {
            return x.contiguous();
        }
        int[] s = x.shape();
        Tensor padded = Torch.full(Options.of(x.dtype(), x.device()), fill, s[0], s[1], s[2] + 2 * ph, s[3] + 2 * pw);
        padded.narrow(2, ph, s[2]).narrow(3, pw, s[3]).copy_(x);
        return padded;
    }

    /**
     * The view [N, C, outH, outW, kh, kw] of a contiguous [N, C, Hp, Wp] tensor: element
     * (n, c, oh, ow, i, j) is xp[n, c, oh * sh + i, ow * sw + j].
     */
    static Tensor windows(Tensor xp, int kh, int kw, int sh, int sw) {
        int[] s = xp.shape();
        int outH = (s[2] - kh) / sh + 1;
        int outW = (s[3] - kw) / sw + 1;
        int plane = s[2] * s[3];
        return xp.viewWith(new int[] {s[0], s[1], outH, outW, kh, kw},
                new int[] {s[1] * plane, plane, sh * s[3], sw, s[3], 1}, xp.storageOffset());
    }

    /**
     * col2im: the gradient of {@link #pad} followed by {@link #windows}, given the gradient of the
     * windows [N, C, outH, outW, kh, kw]; the result has the unpadded shape [N, C, h, w].
     */
    static Tensor foldBack(Tensor gradWindows, int h, int w, int ph, int pw, int sh, int sw) {
        int[] g = gradWindows.shape();
        int hp = h + 2 * ph;
        int wp = w + 2 * pw;
        Tensor padded = Torch.zeros(Options.of(gradWindows.dtype(), gradWindows.device()), g[0], g[1], hp, wp);
        int[] strides = {g[1] * hp * wp, hp * wp, sh * wp, sw};
        int[] sliceShape = {g[0], g[1], g[2], g[3]};
        for (int i = 0; i < g[4]; i++) {
            for (int j = 0; j < g[5]; j++) {
                // within one kernel offset the windows never overlap, so one add_ per offset is safe
                Tensor target = padded.viewWith(sliceShape, strides, padded.storageOffset() + i * wp + j);
                target.add_(gradWindows.select(5, j).select(4, i));
            }
        }
        if (ph == 0 && pw == 0) {
            return padded;
        }
        return padded.narrow(2, ph, h).narrow(3, pw, w).contiguous();
    }
}
