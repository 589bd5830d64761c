package dev.steptorch.autograd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Device;
import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import org.junit.jupiter.api.Test;

/**
 * Who owns a gradient tensor, as in PyTorch 1.13: a leaf's {@code .grad} (and a retained
 * {@code .grad}) never aliases a tensor the user still holds, such as the gradient passed to
 * {@code backward}, or another leaf's {@code .grad}; later backward calls add into the leaf's
 * {@code .grad} in place; gradients arrive in the dtype of the tensor they belong to.
 * Each expectation was checked with PyTorch 1.13 (see the comments).
 */
class GradOwnershipTest {
    private static final Options F64 = Options.of(DType.FLOAT64, Device.CPU);
    private static final Options F32 = Options.of(DType.FLOAT32, Device.CPU);

    private static Tensor leaf(double... values) {
        return Torch.tensor(values, F64).requiresGrad_(true);
    }

    @Test
    void aGradientPassedStraightThroughIsCopiedIntoTheLeaf() {
        // x + 1 hands the incoming gradient on unchanged: PyTorch clones it, since the caller holds it
        Tensor x = leaf(1, 1);
        Tensor g = Torch.ones(F64, 2);
        x.add(1.0).backward(g);
        g.fill_(100);
        assertThat(x.grad().toDoubleArray()).containsExactly(1, 1);
    }

    @Test
    void backwardOnALeafCopiesTheGradient() {
        Tensor x = leaf(1, 1);
        Tensor g = Torch.ones(F64, 2);
        x.backward(g);
        assertThat(x.grad()).isNotSameAs(g);
        g.fill_(100);
        assertThat(x.grad().toDoubleArray()).containsExactly(1, 1);
    }

    @Test
    void twoLeavesThatGetTheSameGradientDoNotShareIt() {
        Tensor a = leaf(1, 1);
        Tensor b = leaf(1, 1);
        a.add(b).sum().backward();
        a.grad().add_(1.0);
        assertThat(b.grad().toDoubleArray()).containsExactly(1, 1);
    }

    @Test
    void aRetainedGradDoesNotAliasTheRootGradient() {
        Tensor x = leaf(1, 1);
        Tensor y = x.mul(1.0);
        y.retainGrad();
        Tensor g = Torch.ones(F64, 2);
        y.backward(g);
        g.fill_(7);
        assertThat(y.grad().toDoubleArray()).containsExactly(1, 1);
        assertThat(x.grad().toDoubleArray()).containsExactly(1, 1);
    }

    @Test
    void aLeafAccumulatesInPlaceAndARetainedGradOutOfPlace() {
        Tensor x = leaf(1, 1);
        Tensor y = x.mul(2.0);
        y.retainGrad();
        Tensor s = y.sum();
        s.backward(null, true);
        Tensor leafGrad = x.grad();
        Tensor retained = y.grad();
        s.backward();
        // PyTorch: x.grad is the same tensor, now [4, 4]; y.grad is a new tensor [2, 2], the old one still [1, 1]
        assertThat(x.grad()).isSameAs(leafGrad);
        assertThat(leafGrad.toDoubleArray()).containsExactly(4, 4);
        assertThat(y.grad().toDoubleArray()).containsExactly(2, 2);
        assertThat(retained.toDoubleArray()).containsExactly(1, 1);
    }

    @Test
    void aRootGradientOfAnotherDtypeArrivesInTheRootsDtype() {
        Tensor x = leaf(1, 2);
        x.backward(Torch.ones(F32, 2));
        assertThat(x.grad().dtype()).isEqualTo(DType.FLOAT64);
        assertThat(x.grad().toDoubleArray()).containsExactly(1, 1);
    }

    @Test
    void aGradientFlowingBackThroughADtypeCopyTakesTheInputsDtype() {
        Tensor x = leaf(1, 2);
        Tensor y = x.to(DType.FLOAT32);
        y.mul(3.0).sum().backward();
        assertThat(x.grad().dtype()).isEqualTo(DType.FLOAT64);
        assertThat(x.grad().toDoubleArray()).containsExactly(3, 3);
    }
}
