package dev.steptorch.nn;

import dev.steptorch.autograd.GradMode;
import dev.steptorch.tensor.Tensor;

/** {@code torch.nn.init}: the initialisations PyTorch's layers use by default. */
public final class Init {
    private Init() {
    }

    /** Input features per output unit: {@code size(1)} times the kernel area for conv weights. */
    public static int fanIn(Tensor weight) {
        if (weight.dim() < 2) {
            throw new IllegalArgumentException("Fan in can not be computed for tensor with fewer than 2 dimensions");
        }
        int fan = weight.size(1);
        for (int d = 2; d < weight.dim(); d++) {
            fan *= weight.size(d);
        }
        return fan;
    }

    /** Fills with U(-bound, bound), unrecorded. */
    public static Tensor uniform_(Tensor t, double from, double to) {
        try (var ignored = GradMode.noGrad()) {
            return t.uniform_(from, to);
        }
    }

    /**
     * {@code kaiming_uniform_(w, a)} with fan_in and leaky-ReLU gain {@code sqrt(2 / (1 + a^2))}:
     * bound = gain * sqrt(3 / fan_in). PyTorch's Linear and Conv2d use a = sqrt(5), which makes
     * the bound 1 / sqrt(fan_in).
     */
    public static Tensor kaimingUniform_(Tensor w, double a) {
        double gain = Math.sqrt(2.0 / (1 + a * a));
        double bound = gain * Math.sqrt(3.0 / fanIn(w));
        return uniform_(w, -bound, bound);
    }

    /** Output units per input feature: {@code size(0)} times the kernel area. */
    public static int fanOut(Tensor weight) {
        return fanIn(weight) / weight.size(1) * weight.size(0);
    }

    /**
     * {@code kaiming_normal_(w, mode="fan_out", nonlinearity="relu")}, what torchvision's ResNet
     * gives its convolutions: N(0, std) with std = sqrt(2 / fan_out), so that the signal's scale
     * survives a deep stack of ReLU layers.
     */
    public static Tensor kaimingNormalFanOut_(Tensor w) {
        try (var ignored = GradMode.noGrad()) {
            return w.normal_(0, Math.sqrt(2.0 / fanOut(w)));
        }
    }
}
