package dev.steptorch.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import org.junit.jupiter.api.Test;

/**
 * The arguments of the layers and functions at their limits, as PyTorch 1.13 takes them: each
 * check of stride, padding, kernel, dtype, probability and dim on both sides of its bound, and the
 * small API around modules (Python reprs of floats, returned receivers, buffers, default overloads).
 */
class LayerArgumentTest {
    private static final Options F64 = Options.dtype(DType.FLOAT64);
    private static final Options F32 = Options.dtype(DType.FLOAT32);

    @Test
    void conv2dChecksStridePaddingDtypeAndWindowPerAxis() {
        Tensor x = Torch.zeros(F64, 1, 1, 4, 5);
        Tensor w = Torch.zeros(F64, 2, 1, 2, 3);
        Tensor b = Torch.zeros(F64, 2);
        for (int[] stride : new int[][] {{0, 1}, {1, 0}}) {
            assertThatThrownBy(() -> F.conv2d(x, w, b, stride, new int[] {0, 0})).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("stride");
        }
        for (int[] padding : new int[][] {{-1, 0}, {0, -1}}) {
            assertThatThrownBy(() -> F.conv2d(x, w, b, new int[] {1, 1}, padding)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("padding");
        }
        assertThatThrownBy(() -> F.conv2d(x, Torch.zeros(F32, 2, 1, 2, 3), b)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> F.conv2d(x, w, Torch.zeros(F32, 2))).isInstanceOf(IllegalArgumentException.class);
        // a window exactly as large as the padded input fits; one more row or column does not
        assertThat(F.conv2d(x, Torch.zeros(F64, 2, 1, 4, 5), b).shape()).containsExactly(1, 2, 1, 1);
        assertThat(F.conv2d(x, Torch.zeros(F64, 2, 1, 6, 7), b, 1, 1).shape()).containsExactly(1, 2, 1, 1);
        assertThatThrownBy(() -> F.conv2d(x, Torch.zeros(F64, 2, 1, 5, 1), b)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Kernel size can't be greater than actual input size");
        assertThatThrownBy(() -> F.conv2d(x, Torch.zeros(F64, 2, 1, 1, 6), b)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Kernel size can't be greater than actual input size");
    }

    @Test
    void maxPoolChecksKernelStrideAndPaddingPerAxis() {
        Tensor x = Torch.zeros(F64, 1, 1, 6, 6);
        int[] ok = {1, 1};
        for (int[] bad : new int[][] {{0, 1}, {1, 0}}) {
            assertThatThrownBy(() -> F.maxPool2d(x, bad, ok, new int[] {0, 0})).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> F.maxPool2d(x, new int[] {2, 2}, bad, new int[] {0, 0}))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        for (int[] bad : new int[][] {{-1, 0}, {0, -1}}) {
            assertThatThrownBy(() -> F.maxPool2d(x, new int[] {2, 2}, ok, bad)).isInstanceOf(IllegalArgumentException.class);
        }
        // padding up to half the kernel, per axis: (3, 2) takes (1, 1), not (2, 1) or (1, 2)
        assertThat(F.maxPool2d(x, new int[] {3, 2}, ok, new int[] {1, 1}).shape()).containsExactly(1, 1, 6, 7);
        for (int[] bad : new int[][] {{2, 1}, {1, 2}}) {
            assertThatThrownBy(() -> F.maxPool2d(x, new int[] {3, 2}, ok, bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("pad should be at most half of kernel size");
            assertThatThrownBy(() -> new MaxPool2d(new int[] {3, 2}, ok, bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("pad should be at most half of kernel size");
        }
        assertThat(new MaxPool2d(new int[] {3, 2}, ok, new int[] {1, 1}).call(x).shape()).containsExactly(1, 1, 6, 7);
        assertThatThrownBy(() -> new MaxPool2d(3, 1, 2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void dropoutTakesProbabilitiesFromZeroToOne() {
        Tensor x = Torch.ones(F64, 2, 3);
        assertThat(F.dropout(x, 0.0, true)).isSameAs(x);
        assertThat(F.dropout(x, 0.7, false)).isSameAs(x);
        assertThat(F.dropout(x, 1.0, true).toDoubleArray()).containsOnly(0.0);
        for (double p : new double[] {-0.001, 1.001, Double.NaN}) {
            assertThatThrownBy(() -> F.dropout(x, p, true)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("dropout probability has to be between 0 and 1, but got");
            assertThatThrownBy(() -> new Dropout(p)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> new Dropout(1.1)).hasMessage("dropout probability has to be between 0 and 1, but got 1.1");
        assertThat(new Dropout(0.0).toString()).isEqualTo("Dropout(p=0.0, inplace=False)");
        assertThat(new Dropout(1.0).toString()).isEqualTo("Dropout(p=1.0, inplace=False)");
    }

    @Test
    void flattenWrapsItsDimsAsPyTorchDoes() {
        Tensor x = Torch.zeros(F64, 2, 3, 4);
        assertThat(F.flatten(x, 1).shape()).containsExactly(2, 12);
        assertThat(F.flatten(x, 0, 1).shape()).containsExactly(6, 4);
        assertThat(F.flatten(x, -3, -2).shape()).containsExactly(6, 4);
        assertThat(F.flatten(x, 2).shape()).containsExactly(2, 3, 4);
        assertThat(F.flatten(Torch.zeros(F64, 2, 3, 4, 5), 1, 2).shape()).containsExactly(2, 12, 5);
        assertThatThrownBy(() -> F.flatten(x, 3)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("Dimension out of range (expected to be in range of [-3, 2], but got 3)");
        assertThatThrownBy(() -> F.flatten(x, -4)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> F.flatten(x, 2, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("start_dim cannot come after end_dim");
    }

    @Test
    void floatsPrintAsPythonsRepr() {
        assertThat(PyRepr.floatRepr(0.0001)).isEqualTo("0.0001");
        assertThat(PyRepr.floatRepr(0.00012345)).isEqualTo("0.00012345");
        assertThat(PyRepr.floatRepr(0.00001)).isEqualTo("1e-05");
        assertThat(PyRepr.floatRepr(-2.5e-7)).isEqualTo("-2.5e-07");
        assertThat(PyRepr.floatRepr(1e15)).isEqualTo("1000000000000000.0");
        assertThat(PyRepr.floatRepr(1e16)).isEqualTo("1e+16");
        assertThat(PyRepr.floatRepr(123456789012345680.0)).isEqualTo("1.2345678901234568e+17");
        assertThat(PyRepr.floatRepr(100.0)).isEqualTo("100.0");
        assertThat(PyRepr.floatRepr(Double.NaN)).isEqualTo("nan");
        assertThat(PyRepr.floatRepr(Double.POSITIVE_INFINITY)).isEqualTo("inf");
        assertThat(PyRepr.floatRepr(Double.NEGATIVE_INFINITY)).isEqualTo("-inf");
        assertThat(PyRepr.floatRepr(-0.0)).isEqualTo("-0.0");
        assertThat(PyRepr.floatRepr(0.0)).isEqualTo("0.0");
    }

    @Test
    void linearWithoutInputFeaturesHasAZeroBias() {
        // PyTorch: nn.Linear(0, 2).bias is tensor([0., 0.]) (the init bound is 0 when fan_in is 0)
        Linear linear = new Linear(0, 2, true, F64);
        assertThat(linear.bias().toDoubleArray()).containsExactly(0.0, 0.0);
        assertThat(linear.weight().shape()).containsExactly(2, 0);
    }

    @Test
    void sequentialIndexesFromBothEnds() {
        Linear a = new Linear(2, 3);
        Tanh b = new Tanh();
        Sequential s = new Sequential(a, b);
        assertThat(s.size()).isEqualTo(2);
        assertThat(s.get(0)).isSameAs(a);
        assertThat(s.get(1)).isSameAs(b);
        assertThat(s.get(-1)).isSameAs(b);
        assertThat(s.get(-2)).isSameAs(a);
        assertThatThrownBy(() -> s.get(2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> s.get(-3)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void moduleCallsReturnTheModule() {
        Linear linear = new Linear(2, 3);
        assertThat(linear.requiresGrad_(false)).isSameAs(linear);
        assertThat(linear.weight().requiresGrad()).isFalse();
        assertThat(linear.bias().requiresGrad()).isFalse();
        assertThat(linear.requiresGrad_(true)).isSameAs(linear);
        assertThat(linear.weight().requiresGrad()).isTrue();
        assertThat(linear.eval()).isSameAs(linear);
        assertThat(linear.train()).isSameAs(linear);
        assertThat(linear.isTraining()).isTrue();
        assertThat(linear.to(dev.steptorch.tensor.Device.CPU)).isSameAs(linear);
        BatchNorm2d bn = new BatchNorm2d(3);
        assertThat(bn.namedBuffers().keySet()).containsExactly("running_mean", "running_var", "num_batches_tracked");
        assertThat(new Sequential(bn).namedBuffers().keySet())
                .containsExactly("0.running_mean", "0.running_var", "0.num_batches_tracked");
        Tensor w = Torch.empty(F64, 4, 5);
        assertThat(Init.kaimingUniform_(w, Math.sqrt(5))).isSameAs(w);
    }

    @Test
    void lossesTakeTheMeanByDefaultAndWantFloatingPointInputs() {
        Tensor input = Torch.tensor(new double[] {0.2, 0.7, 0.9, 0.4}, F64).view(2, 2);
        Tensor target = Torch.tensor(new double[] {0.0, 1.0, 1.0, 0.0}, F64).view(2, 2);
        assertThat(Losses.mseLoss(input, target).item()).isEqualTo(Losses.mseLoss(input, target, Reduction.MEAN).item());
        assertThat(Losses.bceLoss(input, target).item()).isEqualTo(Losses.bceLoss(input, target, Reduction.MEAN).item());
        Tensor classes = Torch.tensor(new long[] {1, 0});
        assertThat(Losses.crossEntropy(input, classes).item())
                .isEqualTo(Losses.crossEntropy(input, classes, Reduction.MEAN).item());
        assertThat(Losses.nllLoss(input, classes).item()).isEqualTo(Losses.nllLoss(input, classes, Reduction.MEAN).item());
        Tensor longs = Torch.tensor(new long[] {0, 1, 1, 0}).view(2, 2);
        assertThatThrownBy(() -> Losses.mseLoss(longs, target)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("floating-point");
        assertThatThrownBy(() -> Losses.bceLoss(longs, target)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("floating-point");
        assertThat(Reduction.SUM.pythonName()).isEqualTo("sum");
        assertThat(Reduction.NONE.toString()).isEqualTo("none");
        assertThat(new CrossEntropyLoss(Reduction.SUM).reduction()).isEqualTo(Reduction.SUM);
        assertThat(new BCELoss().reduction()).isEqualTo(Reduction.MEAN);
        assertThat(new MSELoss(Reduction.NONE).reduction()).isEqualTo(Reduction.NONE);
    }

    @Test
    void reluAndLeakyReluNodesAreNamedAsInPyTorch() {
        Tensor x = Torch.tensor(new double[] {-1, 2}, F64).requiresGrad_(true);
        assertThat(F.relu(x).gradFn().name()).isEqualTo("ReluBackward0");
        assertThat(F.leakyRelu(x).gradFn().name()).isEqualTo("LeakyReluBackward0");
    }
}
