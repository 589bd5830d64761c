package dev.steptorch.autograd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Device;
import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import org.junit.jupiter.api.Test;

/**
 * The recording layer around the formulas, each expectation checked with PyTorch 1.13: node
 * names of the reductions, reductions over unsorted dims and over a 0-dim tensor, results that
 * carry no gradient (integer results, argmax), in-place and random ops with and without
 * recording, printing of the graph, and the checks of {@code .grad =} and {@code requires_grad_}.
 */
class RecordingTest {
    private static final Options F64 = Options.of(DType.FLOAT64, Device.CPU);

    private static Tensor matrix() {
        return Torch.arange(1, 7, 1, F64).reshape(2, 3).requiresGrad_(true);
    }

    @Test
    void reductionNodesAreNamedAsInPyTorch() {
        Tensor x = matrix();
        assertThat(x.min().gradFn().name()).isEqualTo("MinBackward1");
        assertThat(x.max().gradFn().name()).isEqualTo("MaxBackward1");
        assertThat(x.amin(new int[] {0}, false).gradFn().name()).isEqualTo("AminBackward0");
        assertThat(x.amax(new int[] {0, 1}, false).gradFn().name()).isEqualTo("AmaxBackward0");
        assertThat(x.sum(0).gradFn().name()).isEqualTo("SumBackward1");
        assertThat(x.sum().gradFn().name()).isEqualTo("SumBackward0");
        assertThat(x.mean(0, false).gradFn().name()).isEqualTo("MeanBackward1");
        assertThat(x.mean().gradFn().name()).isEqualTo("MeanBackward0");
    }

    @Test
    void aReductionOverUnsortedDimsSpreadsTheGradientBack() {
        // (x.sum((2, 0)) * [1, 2, 3]).sum(): x.grad[i, j, k] = j + 1
        Tensor x = Torch.ones(F64, 2, 3, 4).requiresGrad_(true);
        x.sum(new int[] {2, 0}, false).mul(Torch.tensor(new double[] {1, 2, 3}, F64)).sum().backward();
        for (int i = 0; i < 2; i++) {
            for (int k = 0; k < 4; k++) {
                assertThat(x.grad().select(0, i).select(1, k).toDoubleArray()).containsExactly(1, 2, 3);
            }
        }
        Tensor y = Torch.ones(F64, 2, 3, 4).requiresGrad_(true);
        y.amax(new int[] {-1, 0}, false).mul(Torch.tensor(new double[] {1, 2, 3}, F64)).sum().backward();
        // every element ties with the maximum of its 8: each gets (j + 1) / 8
        assertThat(y.grad().select(0, 1).select(1, 2).toDoubleArray()).containsExactly(0.125, 0.25, 0.375);
    }

    @Test
    void reductionsAlongDimZeroOfA0DimTensor() {
        // torch.tensor(3., requires_grad=True).sum(0), .amax(0), .max(0)[0]: each gives x.grad = 1
        Tensor a = Torch.tensor(3.0, F64).requiresGrad_(true);
        a.sum(0).backward();
        assertThat(a.grad().item()).isEqualTo(1.0);
        Tensor b = Torch.tensor(3.0, F64).requiresGrad_(true);
        b.amax(new int[] {0}, false).backward();
        assertThat(b.grad().item()).isEqualTo(1.0);
        Tensor c = Torch.tensor(3.0, F64).requiresGrad_(true);
        c.max(0, false).values().backward();
        assertThat(c.grad().item()).isEqualTo(1.0);
        assertThat(c.grad().dim()).isZero();
    }

    @Test
    void integerResultsCarryNoGradient() {
        Tensor x = matrix();
        Tensor i = x.to(DType.INT64);
        assertThat(i.requiresGrad()).isFalse();
        assertThat(i.gradFn()).isNull();
        assertThat(x.argmax().itemLong()).isEqualTo(5);
        assertThat(x.argmax().requiresGrad()).isFalse();
        Tensor rows = x.argmax(1, true);
        assertThat(rows.shape()).containsExactly(2, 1);
        assertThat(rows.toLongArray()).containsExactly(2, 2);
        assertThat(x.max(1, false).indices().requiresGrad()).isFalse();
    }

    @Test
    void inPlaceAndRandomOpsReturnTheirTargetWithoutRecordingToo() {
        Tensor t = Torch.zeros(F64, 3);
        assertThat(t.fill_(2.0)).isSameAs(t);
        assertThat(t.copy_(Torch.ones(F64, 3))).isSameAs(t);
        assertThat(t.toDoubleArray()).containsExactly(1, 1, 1);
        assertThat(t.uniform_(5, 6)).isSameAs(t);
        for (double v : t.toDoubleArray()) {
            assertThat(v).isBetween(5.0, 6.0);
        }
        assertThat(t.normal_(0, 1)).isSameAs(t);
        assertThat(t.mul_(2.0)).isSameAs(t);
        assertThat(t.requiresGrad()).isFalse();
    }

    @Test
    void inPlaceOpsUnderRecordingMoveTheHistory() {
        Tensor x = Torch.tensor(new double[] {1, 2}, F64).requiresGrad_(true);
        Tensor y = x.mul(3.0);
        assertThat(y.mul_(y)).isSameAs(y);
        assertThat(y.gradFn().name()).isEqualTo("MulBackward0");
        assertThat(y.add_(1.0)).isSameAs(y);
        assertThat(y.gradFn().name()).isEqualTo("AddBackward0");
        assertThat(y.uniform_(0, 1)).isSameAs(y);
        assertThat(y.gradFn().name()).isEqualTo("UniformBackward0");
        assertThat(y.normal_(0, 1)).isSameAs(y);
        assertThat(y.gradFn().name()).isEqualTo("NormalBackward0");
        assertThat(y.clamp_(0.0, 1.0)).isSameAs(y);
        assertThat(y.gradFn().name()).isEqualTo("ClampBackward1");
    }

    @Test
    void anInPlaceWriteIntoAViewUnderRecordingIsRefused() {
        Tensor x = Torch.tensor(new double[] {1, 2, 3, 4}, F64).requiresGrad_(true);
        Tensor y = x.mul(2.0);
        Tensor row = y.view(2, 2).select(0, 0);
        assertThatThrownBy(() -> row.mul_(2.0)).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("mul_ writes into a view");
        assertThatThrownBy(() -> x.mul_(2.0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("a leaf Variable that requires grad is being used in an in-place operation (mul_)");
    }

    @Test
    void nextFunctionsPrintAsInPyTorch() {
        Tensor x = Torch.tensor(new double[] {1, 2}, F64).requiresGrad_(true);
        Node mul = (Node) x.mul(Torch.tensor(new double[] {3, 4}, F64)).gradFn();
        assertThat(mul.nextFunctionsString()).isEqualTo("((<AccumulateGrad>, 0), (None, 0))");
        assertThat(mul.toString()).isEqualTo("<MulBackward0>");
        Node exp = (Node) x.exp().gradFn();
        assertThat(exp.nextFunctionsString()).isEqualTo("((<AccumulateGrad>, 0),)");
        assertThat(exp.nextFunctions()).hasSize(1);
        assertThat(exp.nextFunctions().get(0).name()).isEqualTo("AccumulateGrad");
        assertThat(mul.nextFunctions().get(1)).isNull();
        Tensor y = x.mul(2.0);
        Node add = (Node) y.add(y).gradFn();
        assertThat(add.nextFunctionsString()).isEqualTo("((<MulBackward0>, 0), (<MulBackward0>, 0))");
    }

    @Test
    void assigningAGradChecksShapeAndDtype() {
        Tensor x = Torch.zeros(F64, 2, 3).requiresGrad_(true);
        assertThatThrownBy(() -> x.setGrad(Torch.zeros(F64, 3, 2))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("assigned grad has data of a different size");
        assertThatThrownBy(() -> x.setGrad(Torch.zeros(F64, 6))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> x.setGrad(Torch.zeros(Options.of(DType.FLOAT32, Device.CPU), 2, 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("type");
        Tensor g = Torch.ones(F64, 2, 3);
        x.setGrad(g);
        assertThat(x.grad()).isSameAs(g);
        x.setGrad(null);
        assertThat(x.grad()).isNull();
    }

    @Test
    void requiresGradOfANonLeafCanOnlyStayOn() {
        Tensor x = Torch.zeros(F64, 2).requiresGrad_(true);
        Tensor y = x.mul(2.0);
        assertThatThrownBy(() -> y.requiresGrad_(false)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("you can only change requires_grad flags of leaf variables");
        assertThat(y.requiresGrad_(true)).isSameAs(y);
        assertThat(y.requiresGrad()).isTrue();
        assertThat(y.isLeaf()).isFalse();
        x.requiresGrad_(false);
        assertThat(x.requiresGrad()).isFalse();
        assertThat(x.isLeaf()).isTrue();
    }
}
