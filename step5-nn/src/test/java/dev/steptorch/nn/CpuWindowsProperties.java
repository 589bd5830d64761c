package dev.steptorch.nn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The float32 CPU loops of {@link CpuWindows} against the view-based path, which float64 inputs
 * still take: the same convolution and pooling, forward and backward, in both precisions.
 */
class CpuWindowsProperties {
    private record Case(Tensor x, Tensor w, Tensor b, int k, int stride, int padding) {
    }

    private static Case randomCase(long seed) {
        Random r = new Random(seed);
        int k = 1 + r.nextInt(4);
        int stride = 1 + r.nextInt(3);
        int padding = r.nextInt(Math.min(3, k));
        int n = 1 + r.nextInt(3);
        int c = 1 + r.nextInt(3);
        int h = k + r.nextInt(6);
        int w = k + r.nextInt(6);
        Torch.manualSeed(seed);
        Options f64 = Options.dtype(DType.FLOAT64).withRequiresGrad(true);
        return new Case(Torch.randn(f64, n, c, h, w), Torch.randn(f64, 1 + r.nextInt(4), c, k, k),
                Torch.randn(f64, 1), k, stride, padding);
    }

    private static Tensor asFloat(Tensor t) {
        return t.detach().to(DType.FLOAT32).requiresGrad_(true);
    }

    @Property(tries = 60)
    void convolutionLoopsMatchTheViewPath(@ForAll long seed) {
        Case c = randomCase(seed);
        Tensor b = c.b().detach().expand(c.w().size(0)).contiguous().requiresGrad_(true);
        Tensor out64 = F.conv2d(c.x(), c.w(), b, c.stride(), c.padding());
        Tensor x32 = asFloat(c.x());
        Tensor w32 = asFloat(c.w());
        Tensor b32 = asFloat(b);
        Tensor out32 = F.conv2d(x32, w32, b32, c.stride(), c.padding());
        assertThat(out32.to(DType.FLOAT64).allclose(out64.detach(), 1e-4, 1e-4)).isTrue();

        Tensor weights = Torch.randn(Options.dtype(DType.FLOAT64), out64.shape());
        out64.mul(weights).sum().backward();
        out32.mul(weights.to(DType.FLOAT32)).sum().backward();
        assertThat(x32.grad().to(DType.FLOAT64).allclose(c.x().grad(), 1e-4, 1e-4)).isTrue();
        assertThat(w32.grad().to(DType.FLOAT64).allclose(c.w().grad(), 1e-4, 1e-3)).isTrue();
        assertThat(b32.grad().to(DType.FLOAT64).allclose(b.grad(), 1e-4, 1e-3)).isTrue();
    }

    @Property(tries = 60)
    void poolingLoopsMatchTheViewPath(@ForAll long seed) {
        Case c = randomCase(seed);
        // distinct values that float32 holds exactly, so both paths pick the same maxima
        double[] values = new double[c.x().numel()];
        for (int i = 0; i < values.length; i++) {
            values[i] = i * 0.25;
        }
        Random r = new Random(seed);
        for (int i = values.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            double t = values[i];
            values[i] = values[j];
            values[j] = t;
        }
        Tensor x64 = Torch.tensor(values, Options.dtype(DType.FLOAT64)).view(c.x().shape()).requiresGrad_(true);
        Tensor x32 = asFloat(x64);
        int padding = Math.min(c.padding(), c.k() / 2);
        Tensor out64 = F.maxPool2d(x64, c.k(), c.stride(), padding);
        Tensor out32 = F.maxPool2d(x32, c.k(), c.stride(), padding);
        assertThat(out32.to(DType.FLOAT64).equal(out64.detach())).isTrue();
        Tensor weights = Torch.randn(Options.dtype(DType.FLOAT64), out64.shape());
        out64.mul(weights).sum().backward();
        out32.mul(weights.to(DType.FLOAT32)).sum().backward();
        assertThat(x32.grad().to(DType.FLOAT64).allclose(x64.grad(), 1e-5, 1e-5)).isTrue();
    }
}
