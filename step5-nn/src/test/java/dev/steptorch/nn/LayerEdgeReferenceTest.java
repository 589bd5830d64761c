package dev.steptorch.nn;

import static dev.steptorch.nn.LayerReference.assertClose;
import static dev.steptorch.nn.LayerReference.tensor;
import static dev.steptorch.nn.LayerReference.values;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steptorch.autograd.GradMode;
import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.Tensor;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The layers where the random cases of {@link LayerForwardTest} do not reach, against PyTorch
 * 1.13 (layer_reference.txt): max pooling over ties (the whole gradient goes to the first maximum
 * of each window in row-major order, padding never wins), Linear on a batch, and the float32
 * convolution with kernel, stride and padding that differ per axis. Only the public nn API is
 * used, so these survive any rewrite of the kernels underneath.
 */
class LayerEdgeReferenceTest {
    private static final Options F64 = Options.dtype(DType.FLOAT64);
    private static final Options F32 = Options.dtype(DType.FLOAT32);

    @Test
    void maxPoolGivesATiedWindowsGradientToItsFirstMaximum() {
        checkFunction("pool_ties1", x -> new MaxPool2d(2).call(x));
        checkFunction("pool_ties1", x -> F.maxPool2d(x, 2));
        checkFunction("pool_ties2", x -> new MaxPool2d(2, 1, 0).call(x));
        checkFunction("pool_ties3", x -> new MaxPool2d(new int[] {3, 2}, new int[] {1, 2}, new int[] {1, 1}).call(x));
        checkFunction("pool_ties3", x -> F.maxPool2d(x, new int[] {3, 2}, new int[] {1, 2}, new int[] {1, 1}));
        checkFunction("pool_ties4", x -> new MaxPool2d(3, 2, 1).call(x));
    }

    @Test
    void maxPoolOnTiesInFloat32() {
        Tensor x = tensor("pool_ties2.x").to(DType.FLOAT32).requiresGrad_(true);
        Tensor out = F.maxPool2d(x, new int[] {2, 2}, new int[] {1, 1}, new int[] {0, 0});
        assertClose("pool_ties2.out", out);
        out.mul(tensor("pool_ties2.g").to(DType.FLOAT32)).sum().backward();
        assertCloseF32("pool_ties2.grad.x", x.grad());
    }

    @Test
    void linearOnABatch() {
        checkLayer("linear_batch", new Linear(4, 3, true, F64), F64, false);
        checkLayer("linear_3d", new Linear(4, 2, true, F64), F64, false);
    }

    @Test
    void linearFunctionalOnABatch() {
        Tensor w = tensor("linear_batch.weight").requiresGrad_(true);
        Tensor b = tensor("linear_batch.bias").requiresGrad_(true);
        Tensor x = tensor("linear_batch.x").requiresGrad_(true);
        Tensor out = F.linear(x, w, b);
        assertClose("linear_batch.out", out);
        out.mul(tensor("linear_batch.g")).sum().backward();
        assertClose("linear_batch.grad.x", x.grad());
        assertClose("linear_batch.grad.weight", w.grad());
        assertClose("linear_batch.grad.bias", b.grad());
    }

    @Test
    void conv2dInFloat32WithKernelStrideAndPaddingUnequalPerAxis() {
        Conv2d a = new Conv2d(2, 3, new int[] {2, 3}, new int[] {3, 1}, new int[] {0, 2}, true, F32);
        checkLayer("conv_f32a", a, F32, true);
        Conv2d b = new Conv2d(3, 2, new int[] {3, 1}, new int[] {1, 2}, new int[] {2, 0}, false, F32);
        checkLayer("conv_f32b", b, F32, true);
    }

    @Test
    void conv2dFunctionalInFloat32() {
        Tensor w = tensor("conv_f32a.weight").to(DType.FLOAT32).requiresGrad_(true);
        Tensor bias = tensor("conv_f32a.bias").to(DType.FLOAT32).requiresGrad_(true);
        Tensor x = tensor("conv_f32a.x").to(DType.FLOAT32).requiresGrad_(true);
        Tensor out = F.conv2d(x, w, bias, new int[] {3, 1}, new int[] {0, 2});
        assertThat(out.dtype()).isEqualTo(DType.FLOAT32);
        assertCloseF32("conv_f32a.out", out);
        out.mul(tensor("conv_f32a.g").to(DType.FLOAT32)).sum().backward();
        assertCloseF32("conv_f32a.grad.x", x.grad());
        assertCloseF32("conv_f32a.grad.weight", w.grad());
        assertCloseF32("conv_f32a.grad.bias", bias.grad());
    }

    /** Runs f on the case's input, compares the output and the input's gradient of sum(out * g). */
    private static void checkFunction(String name, Function<Tensor, Tensor> f) {
        Tensor x = tensor(name + ".x").requiresGrad_(true);
        Tensor out = f.apply(x);
        assertClose(name + ".out", out);
        out.mul(tensor(name + ".g")).sum().backward();
        assertClose(name + ".grad.x", x.grad());
    }

    /** Loads the case's parameters into the layer, runs it in its dtype, compares output and every gradient. */
    private static void checkLayer(String name, Module layer, Options options, boolean float32) {
        try (var ignored = GradMode.noGrad()) {
            for (Map.Entry<String, Tensor> p : layer.namedParameters().entrySet()) {
                p.getValue().copy_(tensor(name + "." + p.getKey()));
            }
        }
        Tensor x = tensor(name + ".x").to(options.dtype()).requiresGrad_(true);
        Tensor out = layer.call(x);
        assertThat(out.dtype()).isEqualTo(options.dtype());
        Tensor g = tensor(name + ".g").to(options.dtype());
        out.mul(g).sum().backward();
        assertThat(x.grad().dtype()).isEqualTo(options.dtype());
        check(name + ".out", out, float32);
        check(name + ".grad.x", x.grad(), float32);
        for (Map.Entry<String, Tensor> p : layer.namedParameters().entrySet()) {
            check(name + ".grad." + p.getKey(), p.getValue().grad(), float32);
        }
    }

    private static void check(String name, Tensor actual, boolean float32) {
        if (float32) {
            assertCloseF32(name, actual);
        } else {
            assertClose(name, actual);
        }
    }

    /** PyTorch's float32 values, to float32 rounding of a short sum. */
    private static void assertCloseF32(String name, Tensor actual) {
        assertThat(actual).as("%s was computed", name).isNotNull();
        double[] expected = values(name);
        double[] got = actual.contiguous().toDoubleArray();
        assertThat(got).as(name).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(Math.abs(got[i] - expected[i])).as("%s element %d: got %s, PyTorch %s", name, i, got[i], expected[i])
                    .isLessThanOrEqualTo(2e-5 * Math.abs(expected[i]) + 2e-5);
        }
    }
}
