package dev.steptorch.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.steptorch.autograd.GradMode;
import dev.steptorch.function.GradCheck;
import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Every layer's backward agrees with central differences (GradCheck, float64) on random small
 * shapes, with respect to its input and its parameters. Inputs keep away from the points where
 * the layers are not differentiable: ties inside a pooling window, and 0 for LeakyReLU.
 */
class LayerGradcheckProperties {
    private static final Options F64 = Options.dtype(DType.FLOAT64);

    private static Tensor uniform(Random r, double lo, double hi, int... shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + (hi - lo) * r.nextDouble();
        }
        return Torch.tensor(v, F64).view(shape).requiresGrad_(true);
    }

    /** Values at least 0.05 apart, shuffled, so that no pooling window holds a tie that a step of 1e-6 could flip. */
    private static Tensor distinct(Random r, int... shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        List<Double> v = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            v.add((i - n / 2.0) * 0.05 + 0.01 * r.nextDouble());
        }
        Collections.shuffle(v, r);
        return Torch.tensor(v.stream().mapToDouble(Double::doubleValue).toArray(), F64).view(shape).requiresGrad_(true);
    }

    private static void setParameters(Module layer, Random r) {
        try (var ignored = GradMode.noGrad()) {
            for (Tensor p : layer.parameters()) {
                p.copy_(uniform(r, -1, 1, p.shape()));
            }
        }
    }

    private static void check(GradCheck.Fn fn, Tensor... inputs) {
        assertThat(GradCheck.gradcheck(fn, inputs, 1e-6, 1e-7, 1e-5)).isTrue();
    }

    /** A batch of several rows: the bias gradient sums over them (a bias gradient of one row would pass with batch 1). */
    @Property(tries = 10)
    void linearLayerOnABatch(@ForAll long seed, @ForAll boolean bias) {
        Random r = new Random(seed);
        int inFeatures = 1 + r.nextInt(4);
        Linear linear = new Linear(inFeatures, 1 + r.nextInt(3), bias, F64);
        setParameters(linear, r);
        Tensor x = uniform(r, -1, 1, 2 + r.nextInt(3), inFeatures);
        Tensor[] inputs = bias ? new Tensor[] {x, linear.weight(), linear.bias()} : new Tensor[] {x, linear.weight()};
        check(in -> linear.call(in[0]), inputs);
        Tensor x3 = uniform(r, -1, 1, 2, 1 + r.nextInt(3), inFeatures);
        check(in -> F.linear(in[0], in[1], bias ? in[2] : null), bias ? new Tensor[] {x3, linear.weight(), linear.bias()}
                : new Tensor[] {x3, linear.weight()});
        // into .grad: from the second pass on, the weight's gradient is summed straight into it
        Tensor g = uniform(r, -1, 1, x.size(0), linear.weight().size(0)).detach();
        for (int pass = 0; pass < 3; pass++) {
            linear.call(x).backward(g);
        }
        double[] got = linear.weight().grad().toDoubleArray(), want = g.t().mm(x).mul(3.0).toDoubleArray();
        for (int i = 0; i < want.length; i++) {
            assertThat(got[i]).as("weight.grad[" + i + "] after 3 passes").isCloseTo(want[i], within(1e-12));
        }
    }

    @Property(tries = 30)
    void conv2dLayer(@ForAll long seed, @ForAll @IntRange(min = 1, max = 3) int stride,
                     @ForAll @IntRange(min = 0, max = 2) int padding, @ForAll boolean bias) {
        Random r = new Random(seed);
        int inC = 1 + r.nextInt(2);
        int k = 1 + r.nextInt(3);
        Conv2d conv = new Conv2d(inC, 1 + r.nextInt(2), k, stride, padding, bias, F64);
        setParameters(conv, r);
        int lo = Math.max(1, k - 2 * padding);
        Tensor x = uniform(r, -1, 1, 1 + r.nextInt(2), inC, lo + r.nextInt(4), lo + r.nextInt(4));
        Tensor[] inputs = bias ? new Tensor[] {x, conv.weight(), conv.bias()} : new Tensor[] {x, conv.weight()};
        check(in -> conv.call(in[0]), inputs);
    }

    @Property(tries = 20)
    void conv2dFunctionalWithRectangularKernelStrideAndPadding(@ForAll long seed) {
        conv2dFunctional(new Random(seed), 2);
    }

    private void conv2dFunctional(Random r, int maxBatch) {
        int[] k = {1 + r.nextInt(3), 1 + r.nextInt(3)};
        int[] stride = {1 + r.nextInt(3), 1 + r.nextInt(3)};
        int[] padding = {r.nextInt(3), r.nextInt(3)};
        int inC = 1 + r.nextInt(3);
        Tensor w = uniform(r, -1, 1, 1 + r.nextInt(2), inC, k[0], k[1]);
        Tensor b = uniform(r, -1, 1, w.size(0));
        Tensor x = uniform(r, -1, 1, 1 + r.nextInt(maxBatch), inC, Math.max(1, k[0] - 2 * padding[0]) + r.nextInt(3),
                Math.max(1, k[1] - 2 * padding[1]) + r.nextInt(3));
        check(in -> F.conv2d(in[0], in[1], in[2], stride, padding), x, w, b);
    }

    /**
     * A convolution big enough to be cut into groups whose columns are kept: one group per thread,
     * each group's columns saved for its own share of the weight gradient.
     */
    @Property(tries = 20)
    void conv2dInGroupsOfImagesWithColumnsKept(@ForAll long seed) {
        long work = ConvolutionOp.groupWork;
        int threads = Torch.getNumThreads();
        Random r = new Random(seed);
        ConvolutionOp.groupWork = 0;
        Torch.setNumThreads(2 + r.nextInt(3));
        try {
            conv2dFunctional(r, 5);
        } finally {
            ConvolutionOp.groupWork = work;
            Torch.setNumThreads(threads);
        }
    }

    /**
     * A big convolution's path: the batch in groups of images, each group's columns made again in
     * backward from the saved input. Groups of one image up to the whole batch, the last one short.
     */
    @Property(tries = 20)
    void conv2dInGroupsOfImagesWithColumnsRemadeInBackward(@ForAll long seed) {
        long keep = ConvolutionOp.keepColumns, group = ConvolutionOp.groupColumns;
        Random r = new Random(seed);
        ConvolutionOp.keepColumns = 0;
        // the test's columns hold up to 3 * 9 * 25 numbers per image
        ConvolutionOp.groupColumns = r.nextInt(300);
        try {
            conv2dFunctional(r, 5);
        } finally {
            ConvolutionOp.keepColumns = keep;
            ConvolutionOp.groupColumns = group;
        }
    }

    @Property(tries = 25)
    void maxPool2dLayer(@ForAll long seed, @ForAll @IntRange(min = 1, max = 3) int kernel,
                        @ForAll @IntRange(min = 1, max = 3) int stride, @ForAll boolean padded) {
        Random r = new Random(seed);
        int padding = padded ? kernel / 2 : 0;
        MaxPool2d pool = new MaxPool2d(kernel, stride, padding);
        Tensor x = distinct(r, 1 + r.nextInt(2), 1 + r.nextInt(2), kernel + r.nextInt(4), kernel + r.nextInt(4));
        check(in -> pool.call(in[0]), x);
    }

    @Property(tries = 15)
    void maxPool2dFunctional(@ForAll long seed) {
        Random r = new Random(seed);
        int[] k = {1 + r.nextInt(3), 1 + r.nextInt(3)};
        int[] stride = {1 + r.nextInt(2), 1 + r.nextInt(2)};
        int[] padding = {r.nextInt(k[0] / 2 + 1), r.nextInt(k[1] / 2 + 1)};
        Tensor x = distinct(r, 1, 1 + r.nextInt(2), k[0] + r.nextInt(3), k[1] + r.nextInt(3));
        check(in -> F.maxPool2d(in[0], k, stride, padding), x);
        check(in -> F.maxPool2d(in[0], Math.min(k[0], k[1])), x);
    }

    @Property(tries = 20)
    void batchNorm2dInTraining(@ForAll long seed, @ForAll boolean affine) {
        Random r = new Random(seed);
        int c = 1 + r.nextInt(3);
        BatchNorm2d bn = new BatchNorm2d(c, 1e-5, 0.1, affine, true, F64);
        setParameters(bn, r);
        Tensor x = uniform(r, -2, 2, 2 + r.nextInt(2), c, 1 + r.nextInt(3), 1 + r.nextInt(3));
        Tensor[] inputs = affine ? new Tensor[] {x, bn.weight(), bn.bias()} : new Tensor[] {x};
        check(in -> bn.call(in[0]), inputs);
    }

    @Property(tries = 8)
    void batchNorm2dInEvalAndFunctional(@ForAll long seed) {
        Random r = new Random(seed);
        int c = 1 + r.nextInt(3);
        BatchNorm2d bn = new BatchNorm2d(c, 1e-5, 0.1, true, true, F64);
        setParameters(bn, r);
        bn.call(uniform(r, -2, 2, 3, c, 2, 2)); // moves the running statistics away from 0 and 1
        bn.eval();
        Tensor x = uniform(r, -2, 2, 1 + r.nextInt(2), c, 1 + r.nextInt(3), 1 + r.nextInt(3));
        check(in -> bn.call(in[0]), x, bn.weight(), bn.bias());
        Tensor y = uniform(r, -2, 2, 2, c, 2, 2);
        check(in -> F.batchNorm(in[0], null, null, in[1], in[2], true, 0.1, 1e-5), y, bn.weight(), bn.bias());
    }

    @Property(tries = 10)
    void softmaxAndLogSoftmaxAlongEveryDim(@ForAll long seed, @ForAll @IntRange(min = 1, max = 3) int rank) {
        Random r = new Random(seed);
        int[] shape = new int[rank];
        for (int d = 0; d < rank; d++) {
            shape[d] = 1 + r.nextInt(4);
        }
        Tensor x = uniform(r, -3, 3, shape);
        for (int dim = 0; dim < rank; dim++) {
            int d = dim;
            check(in -> new Softmax(d).call(in[0]), x);
            check(in -> F.logSoftmax(in[0], d), x);
        }
        check(in -> new LogSoftmax(-1).call(in[0]), x);
        check(in -> F.softmax(in[0], -rank), x);
    }

    @Property(tries = 10)
    void elementwiseActivations(@ForAll long seed) {
        Random r = new Random(seed);
        int[] shape = {1 + r.nextInt(3), 1 + r.nextInt(4)};
        Tensor x = uniform(r, -4, 4, shape);
        check(in -> new Sigmoid().call(in[0]), x);
        check(in -> F.sigmoid(in[0]), x);
        check(in -> new Tanh().call(in[0]), x);
        check(in -> F.tanh(in[0]), x);
        // away from the kink at 0: magnitudes in [0.1, 2], random signs
        Tensor away = uniform(r, 0.1, 2, shape);
        Tensor signs = Torch.rand(F64, shape).lt(0.5).to(DType.FLOAT64).mul(2.0).sub(1.0);
        Tensor y = away.detach().mul(signs).requiresGrad_(true);
        double slope = r.nextDouble();
        check(in -> new LeakyReLU(slope).call(in[0]), y);
        check(in -> F.leakyRelu(in[0]), y);
    }

    @Property(tries = 6)
    void flattenAndDropout(@ForAll long seed) {
        Random r = new Random(seed);
        Tensor x = uniform(r, -1, 1, 1 + r.nextInt(3), 1 + r.nextInt(3), 1 + r.nextInt(3));
        check(in -> new Flatten().call(in[0]), x);
        check(in -> F.flatten(in[0], 0, 1), x);
        double p = 0.1 + 0.8 * r.nextDouble();
        check(in -> {
            // the same mask on every evaluation, so the function is deterministic as gradcheck needs
            Torch.manualSeed(seed);
            return new Dropout(p).call(in[0]);
        }, x);
    }
}
