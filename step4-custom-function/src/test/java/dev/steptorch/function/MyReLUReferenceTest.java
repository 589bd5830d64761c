package dev.steptorch.function;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steptorch.autograd.GradMode;
import dev.steptorch.autograd.ReferenceFile;
import dev.steptorch.function.lessons.MyReLU;
import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The course's two-layer network with the lesson's {@link MyReLU}, checked against PyTorch 1.13
 * running the course's own MyReLU. Inputs and results come from {@code autograd_reference.txt},
 * written by step 3's {@code scripts/make_reference.py} into both modules.
 */
class MyReLUReferenceTest {
    private static final double RTOL = 1e-5;
    private static final int ITERATIONS = 5;
    private static final double LEARNING_RATE = 1e-3;
    private static final Options F64 = Options.dtype(DType.FLOAT64);

    private static final ReferenceFile FILE = ReferenceFile.load("autograd_reference.txt",
            "step3-autograd/scripts/make_reference.py");
    private static final Map<String, double[]> VALUES = FILE.values;
    private static final Map<String, int[]> SHAPES = FILE.shapes;
    private static final Map<String, String> GRAD_FNS = FILE.gradFns;

    @Test
    void twoLayerLoopWithMyReLUFollowsPyTorch() {
        Tensor x = tensor("x");
        Tensor y = tensor("y");
        Tensor w1 = tensor("w1").requiresGrad_(true);
        Tensor w2 = tensor("w2").requiresGrad_(true);

        double[] losses = new double[ITERATIONS];
        for (int t = 0; t < ITERATIONS; t++) {
            Tensor yPred = MyReLU.relu(x.mm(w1)).mm(w2);
            Tensor loss = yPred.sub(y).pow(2).sum();
            losses[t] = loss.item();
            loss.backward();
            if (t == 0) {
                assertClose("myrelu.grad0.w1", w1.grad());
                assertClose("myrelu.grad0.w2", w2.grad());
            }
            try (var ignored = GradMode.noGrad()) {
                w1.sub_(w1.grad().mul(LEARNING_RATE));
                w2.sub_(w2.grad().mul(LEARNING_RATE));
                w1.grad().zero_();
                w2.grad().zero_();
            }
        }
        assertClose("myrelu.losses", losses);
        assertClose("myrelu.final.w1", w1);
        assertClose("myrelu.final.w2", w2);
    }

    @Test
    void theReferenceTrainsAndSomeUnitsAreOff() {
        double[] losses = VALUES.get("myrelu.losses");
        assertThat(losses).hasSize(ITERATIONS);
        assertThat(losses[ITERATIONS - 1]).isLessThan(losses[0] / 10);
        // the comparison says something about MyReLU's backward only if it zeroes some gradients,
        // so the hidden layer of the reference data must have units on both sides of zero
        Tensor h = tensor("x").mm(tensor("w1"));
        assertThat(h.lt(0).sum().item()).isGreaterThan(0);
        assertThat(h.gt(0).sum().item()).isGreaterThan(0);
    }

    @Test
    void nodeIsNamedAsPyTorchNamesIt() {
        Tensor x = Torch.arange(1, 7, 1, Options.dtype(DType.FLOAT32)).reshape(2, 3).requiresGrad_(true);
        Tensor h = x.sub(3);
        assertThat(MyReLU.relu(h).gradFn().name()).isEqualTo(GRAD_FNS.get("MyReLU.apply(h)"));
    }

    private static Tensor tensor(String name) {
        assertThat(VALUES).as("the reference file has %s", name).containsKey(name);
        return Torch.tensor(VALUES.get(name), F64).view(SHAPES.get(name));
    }

    private static void assertClose(String name, Tensor actual) {
        assertThat(actual.shape()).as("shape of %s", name).containsExactly(SHAPES.get(name));
        assertClose(name, actual.toDoubleArray());
    }

    private static void assertClose(String name, double[] actual) {
        assertThat(VALUES).as("the reference file has %s", name).containsKey(name);
        double[] expected = VALUES.get(name);
        assertThat(actual).as(name).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            double tolerance = RTOL * Math.abs(expected[i]) + 1e-12;
            assertThat(Math.abs(actual[i] - expected[i])).as("%s[%d]: %s vs PyTorch's %s", name, i, actual[i], expected[i])
                    .isLessThanOrEqualTo(tolerance);
        }
    }
}
