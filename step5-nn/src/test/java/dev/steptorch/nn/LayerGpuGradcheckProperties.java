package dev.steptorch.nn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steptorch.function.GradCheck;
import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Device;
import dev.steptorch.tensor.GpuRequired;
import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * gradcheck on the GPU device itself, in float64: the layers and losses whose backward is written
 * by hand (convolution, pooling, log-softmax, the losses) are differentiated numerically there and
 * compared with their backward there, on random shapes. The CPU-side checks are in
 * {@link LayerGradcheckProperties} and the loss tests.
 */
@AddLifecycleHook(GpuRequired.class)
class LayerGpuGradcheckProperties {
    private static final Options GPU64 = Options.of(DType.FLOAT64, Device.GPU).withRequiresGrad(true);

    @Property(tries = 4)
    void conv2dWithStrideAndPadding(@ForAll long seed) {
        Random r = new Random(seed);
        Torch.manualSeed(seed);
        int k = 1 + r.nextInt(3);
        int stride = 1 + r.nextInt(2);
        int padding = r.nextInt(2);
        Tensor x = Torch.randn(GPU64, 1, 2, k + 2, k + 3);
        Tensor w = Torch.randn(GPU64, 2, 2, k, k);
        Tensor b = Torch.randn(GPU64, 2);
        assertThat(GradCheck.gradcheck(in -> F.conv2d(in[0], in[1], in[2], stride, padding), x, w, b)).isTrue();
    }

    @Property(tries = 4)
    void maxPool2dAwayFromTies(@ForAll long seed) {
        Random r = new Random(seed);
        double[] values = new double[2 * 5 * 6];
        for (int i = 0; i < values.length; i++) {
            values[i] = i * 0.5; // distinct, so no window has a tie
        }
        for (int i = values.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            double t = values[i];
            values[i] = values[j];
            values[j] = t;
        }
        Tensor x = Torch.tensor(values, GPU64.withRequiresGrad(false)).view(1, 2, 5, 6).requiresGrad_(true);
        int k = 2 + r.nextInt(2);
        int stride = 1 + r.nextInt(2);
        assertThat(GradCheck.gradcheck(in -> F.maxPool2d(in[0], k, stride), x)).isTrue();
    }

    @Property(tries = 4)
    void logSoftmaxAndTheLosses(@ForAll long seed) {
        Random r = new Random(seed);
        Torch.manualSeed(seed);
        int n = 1 + r.nextInt(3);
        int classes = 2 + r.nextInt(3);
        Tensor x = Torch.randn(GPU64, n, classes);
        long[] labels = new long[n];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(classes);
        }
        Tensor target = Torch.tensor(labels).to(Device.GPU);
        Tensor y = Torch.randn(Options.of(DType.FLOAT64, Device.GPU), n, classes);
        assertThat(GradCheck.gradcheck(in -> F.logSoftmax(in[0], 1), x)).isTrue();
        assertThat(GradCheck.gradcheck(in -> new CrossEntropyLoss().call(in[0], target), x)).isTrue();
        assertThat(GradCheck.gradcheck(in -> new MSELoss().call(in[0], y), x)).isTrue();
    }

    @Property(tries = 3)
    void linearAndBatchNormInTraining(@ForAll long seed) {
        Torch.manualSeed(seed);
        Tensor x = Torch.randn(GPU64, 3, 4);
        Tensor w = Torch.randn(GPU64, 2, 4);
        Tensor b = Torch.randn(GPU64, 2);
        assertThat(GradCheck.gradcheck(in -> F.linear(in[0], in[1], in[2]), x, w, b)).isTrue();
        BatchNorm2d bn = new BatchNorm2d(2, 1e-5, 0.1, true, true, Options.dtype(DType.FLOAT64));
        bn.to(Device.GPU);
        Tensor images = Torch.randn(GPU64, 3, 2, 2, 2);
        assertThat(GradCheck.gradcheck(in -> bn.call(in[0]), images)).isTrue();
    }
}
