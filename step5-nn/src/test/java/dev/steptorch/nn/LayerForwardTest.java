package dev.steptorch.nn;

import static dev.steptorch.nn.LayerReference.assertClose;
import static dev.steptorch.nn.LayerReference.repr;
import static dev.steptorch.nn.LayerReference.tensor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steptorch.autograd.GradMode;
import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The layers against PyTorch 1.13: outputs, and the gradients of sum(out * g) for a fixed g,
 * for the inputs and weights stored in layer_reference.txt; and the way each layer prints.
 */
class LayerForwardTest {
    private static final Options F64 = Options.dtype(DType.FLOAT64);

    /** Loads the case's parameters into the layer, runs it, compares output and every gradient. */
    private static void check(String name, Module layer) {
        try (var ignored = GradMode.noGrad()) {
            for (Map.Entry<String, Tensor> p : layer.namedParameters().entrySet()) {
                p.getValue().copy_(tensor(name + "." + p.getKey()));
            }
        }
        Tensor x = tensor(name + ".x").requiresGrad_(true);
        Tensor out = layer.call(x);
        assertClose(name + ".out", out);
        out.mul(tensor(name + ".g")).sum().backward();
        assertClose(name + ".grad.x", x.grad());
        for (Map.Entry<String, Tensor> p : layer.namedParameters().entrySet()) {
            assertClose(name + ".grad." + p.getKey(), p.getValue().grad());
        }
        assertThat(layer.toString()).isEqualTo(repr(name));
    }

    @Test
    void conv2dWithStrideOne() {
        check("conv1", new Conv2d(2, 3, 3, 1, 0, true, F64));
    }

    @Test
    void conv2dWithRectangularKernelStrideAndPadding() {
        check("conv2", new Conv2d(2, 3, new int[] {3, 2}, new int[] {2, 1}, new int[] {1, 2}, true, F64));
    }

    @Test
    void conv2dWithoutBias() {
        check("conv3", new Conv2d(1, 2, 3, 2, 1, false, F64));
    }

    @Test
    void conv2dWithStrideThreeAndPaddingTwo() {
        check("conv4", new Conv2d(3, 2, 2, 3, 2, true, F64));
    }

    @Test
    void maxPool2dTiling() {
        check("pool1", new MaxPool2d(2));
    }

    @Test
    void maxPool2dWithOverlapAndPadding() {
        check("pool2", new MaxPool2d(3, 2, 1));
    }

    @Test
    void maxPool2dWithRectangularWindows() {
        check("pool3", new MaxPool2d(new int[] {2, 3}, new int[] {1, 2}));
    }

    @Test
    void batchNorm2dTrainsThenEvaluatesWithRunningStatistics() {
        BatchNorm2d bn = new BatchNorm2d(3, 1e-5, 0.1, true, true, F64);
        check("bn.train1", bn);
        bn.call(tensor("bn.train2.x"));
        assertClose("bn.running_mean", bn.runningMean());
        assertClose("bn.running_var", bn.runningVar());
        assertThat(bn.numBatchesTracked().dtype()).isEqualTo(DType.INT64);
        assertClose("bn.num_batches_tracked", bn.numBatchesTracked().to(DType.FLOAT64));
        bn.eval();
        bn.zeroGrad();
        check("bn.eval", bn);
        assertClose("bn.running_mean", bn.runningMean());
    }

    @Test
    void logSoftmax() {
        check("logsoftmax", new LogSoftmax(1));
    }

    @Test
    void softmaxAlongTheFirstAndTheLastDim() {
        check("softmax0", new Softmax(0));
        check("softmax2", new Softmax(-1));
    }

    @Test
    void sigmoidIncludingLargeInputs() {
        check("sigmoid", new Sigmoid());
    }

    @Test
    void tanh() {
        check("tanh", new Tanh());
    }

    @Test
    void leakyRelu() {
        check("leakyrelu", new LeakyReLU(0.2));
    }

    @Test
    void flatten() {
        check("flatten", new Flatten());
        check("flatten02", new Flatten(0, 2));
    }

    @Test
    void layersPrintAsInPyTorch() {
        assertThat(new Conv2d(1, 6, 5)).hasToString(repr("Conv2d(1,6,5)"));
        assertThat(new Conv2d(3, 6, 3, 1, 1, false)).hasToString(repr("Conv2d(3,6,3,padding=1,bias=False)"));
        assertThat(new MaxPool2d(2, 2)).hasToString(repr("MaxPool2d(2,2)"));
        assertThat(new BatchNorm2d(6)).hasToString(repr("BatchNorm2d(6)"));
        assertThat(new BatchNorm2d(4, 0.001, 0.2, false, false)).hasToString(repr("BatchNorm2d(4,0.001,0.2,False,False)"));
        assertThat(new Dropout()).hasToString(repr("Dropout()"));
        assertThat(new Dropout(0.25)).hasToString(repr("Dropout(0.25)"));
        assertThat(new LeakyReLU()).hasToString(repr("LeakyReLU()"));
        assertThat(new Sigmoid()).hasToString(repr("Sigmoid()"));
        assertThat(new Tanh()).hasToString(repr("Tanh()"));
        assertThat(new Softmax(1)).hasToString(repr("Softmax(1)"));
        assertThat(new LogSoftmax(1)).hasToString(repr("LogSoftmax(1)"));
    }

    @Test
    void theBlitzNetPrintsAsInPyTorch() {
        assertThat(new BlitzNet(1)).hasToString(repr("Net"));
    }

    @Test
    void theBlitzNetMapsOneImageToTenScoresAndBackpropagates() {
        BlitzNet net = new BlitzNet(1);
        assertThat(net.parameters().stream().mapToInt(Tensor::numel).sum()).isEqualTo(61706); // as the blitz counts
        Tensor out = net.call(Torch.randn(1, 1, 32, 32));
        assertThat(out.shape()).containsExactly(1, 10);
        assertThat(out.gradFn().name()).isEqualTo("AddmmBackward0");
        out.backward(Torch.randn(1, 10));
        for (Tensor p : net.parameters()) {
            assertThat(p.grad()).isNotNull();
            assertThat(p.grad().abs().sum().item()).isGreaterThan(0);
        }
    }

    /** An empty batch, as PyTorch allows: an empty result, and gradients of zeros for the weight and bias. */
    @Test
    void convolutionOfAnEmptyBatch() {
        Conv2d conv = new Conv2d(3, 4, 3);
        Tensor x = Torch.randn(0, 3, 8, 8).requiresGrad_(true);
        Tensor y = conv.call(x);
        assertThat(y.shape()).containsExactly(0, 4, 6, 6);
        y.sum().backward();
        assertThat(x.grad().shape()).containsExactly(0, 3, 8, 8);
        assertThat(conv.weight().grad().shape()).containsExactly(4, 3, 3, 3);
        assertThat(conv.weight().grad().abs().sum().item()).isZero();
        assertThat(conv.bias().grad().abs().sum().item()).isZero();
    }

    @Test
    void convolutionAndPoolingReadViewsWithOffsetsAndStrides() {
        Tensor batch = Torch.randn(Options.dtype(DType.FLOAT64), 3, 2, 6, 5);
        Conv2d conv = new Conv2d(2, 3, 3, 2, 1, true, Options.dtype(DType.FLOAT64));
        Tensor whole = conv.call(batch);
        // a narrowed batch starts at a storage offset; a transposed one has permuted strides
        assertThat(conv.call(batch.narrow(0, 1, 2)).toDoubleArray()).containsExactly(whole.narrow(0, 1, 2).toDoubleArray());
        Tensor transposed = batch.transpose(2, 3).contiguous().transpose(2, 3);
        assertThat(transposed.isContiguous()).isFalse();
        assertThat(conv.call(transposed).toDoubleArray()).containsExactly(whole.toDoubleArray());
        MaxPool2d pool = new MaxPool2d(2);
        assertThat(pool.call(batch.narrow(0, 2, 1)).toDoubleArray()).containsExactly(pool.call(batch).narrow(0, 2, 1).toDoubleArray());
    }

    @Test
    void theGraphNodesCarryPyTorchsNames() {
        Tensor x = Torch.randn(1, 1, 6, 6).requiresGrad_(true);
        assertThat(new Conv2d(1, 2, 3).call(x).gradFn().name()).isEqualTo("ConvolutionBackward0");
        assertThat(new MaxPool2d(2).call(x).gradFn().name()).isEqualTo("MaxPool2DWithIndicesBackward0");
        assertThat(new LogSoftmax(1).call(x).gradFn().name()).isEqualTo("LogSoftmaxBackward0");
        assertThat(new Softmax(1).call(x).gradFn().name()).isEqualTo("SoftmaxBackward0");
        assertThat(new Sigmoid().call(x).gradFn().name()).isEqualTo("SigmoidBackward0");
        assertThat(new Tanh().call(x).gradFn().name()).isEqualTo("TanhBackward0");
    }

    @Test
    void convolutionStartsAsPyTorchInitialisesIt() {
        Conv2d conv = new Conv2d(6, 16, 5);
        double bound = 1 / Math.sqrt(6 * 25); // kaiming_uniform_ with a = sqrt(5): gain * sqrt(3 / fan_in)
        assertThat(conv.weight().abs().max().item()).isLessThanOrEqualTo(bound).isGreaterThan(0.9 * bound);
        assertThat(conv.bias().abs().max().item()).isLessThanOrEqualTo(bound);
        assertThat(conv.weight().requiresGrad()).isTrue();
    }

    @Test
    void batchNormStartsAsIdentityWithUnitRunningVariance() {
        BatchNorm2d bn = new BatchNorm2d(3);
        assertThat(bn.weight().toDoubleArray()).containsExactly(1, 1, 1);
        assertThat(bn.bias().toDoubleArray()).containsExactly(0, 0, 0);
        assertThat(bn.stateDict().keySet()).containsExactly("weight", "bias", "running_mean", "running_var", "num_batches_tracked");
        assertThat(bn.runningVar().toDoubleArray()).containsExactly(1, 1, 1);
        assertThat(bn.numBatchesTracked().itemLong()).isZero();
        assertThat(bn.parameters()).hasSize(2);
    }

    @Test
    void dropoutKeepsOrScalesEachElementAndIsTheIdentityInEval() {
        Dropout dropout = new Dropout(0.25);
        Tensor x = Torch.rand(Options.dtype(DType.FLOAT64), 100, 100).add(1.0);
        double[] in = x.toDoubleArray();
        double[] out = dropout.call(x).toDoubleArray();
        int kept = 0;
        for (int i = 0; i < in.length; i++) {
            if (out[i] != 0) {
                assertThat(out[i]).isCloseTo(in[i] / 0.75, org.assertj.core.data.Offset.offset(1e-12));
                kept++;
            }
        }
        // 10000 draws with p(keep) = 0.75: the standard deviation of the count is about 43
        assertThat(kept).isBetween(7300, 7700);
        dropout.eval();
        assertThat(dropout.call(x).toDoubleArray()).containsExactly(in);
    }
}
