package dev.steptorch.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steptorch.autograd.GradMode;
import dev.steptorch.nn.Linear;
import dev.steptorch.nn.MSELoss;
import dev.steptorch.nn.Reduction;
import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Device;
import dev.steptorch.tensor.GradFn;
import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import org.junit.jupiter.api.Test;

/** The Java column of docs/old-api.md: each old form of the blitz translation, as StepTorch writes it today. */
class OldApiTest {
    @Test
    void variableIsATensorThatRequiresGradAndCreatorIsGradFn() {
        Tensor x = Torch.ones(Options.requiresGrad(true), 2, 2);
        Tensor y = x.add(2);
        assertThat(x.requiresGrad()).isTrue();
        assertThat(x.gradFn()).as("a tensor the user made has no creator").isNull();
        assertThat(y.gradFn()).hasToString("<AddBackward0>");
    }

    @Test
    void previousFunctionsAreNextFunctionsAndLossDataZeroIsItem() {
        Torch.manualSeed(0);
        Linear fc = new Linear(3, 10);
        Tensor target = Torch.arange(1, 11, 1, Options.dtype(DType.FLOAT32)).view(1, -1);
        Tensor loss = new MSELoss().call(fc.call(Torch.randn(1, 3)), target);
        GradFn fn = loss.gradFn();
        assertThat(fn).hasToString("<MseLossBackward0>");
        assertThat(fn.nextFunctions().get(0)).hasToString("<AddmmBackward0>");
        assertThat(fn.nextFunctions().get(0).nextFunctions().get(0)).hasToString("<AccumulateGrad>");
        assertThat(loss.item()).isPositive();
        assertThatThrownBy(() -> target.item()).isInstanceOf(RuntimeException.class);
    }

    @Test
    void volatileIsNoGrad() {
        Tensor w = Torch.ones(Options.requiresGrad(true), 2);
        try (var ignored = GradMode.noGrad()) {
            assertThat(w.mul(3).requiresGrad()).isFalse();
        }
        assertThat(w.mul(3).requiresGrad()).isTrue();
    }

    @Test
    void rangeIncludedItsEndArangeDoesNot() {
        Tensor target = Torch.arange(1, 11, 1, Options.dtype(DType.FLOAT32));
        assertThat(target.toDoubleArray()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        assertThat(target.dtype()).isEqualTo(DType.FLOAT32);
        // (1 + 4 + ... + 100) / 10: the blitz's loss against outputs of zero
        assertThat(new MSELoss(Reduction.MEAN).call(Torch.zeros(10), target).item()).isEqualTo(38.5);
    }

    @Test
    void modulesPrintTodaysForm() {
        assertThat(new Linear(400, 120)).hasToString("Linear(in_features=400, out_features=120, bias=True)");
    }

    @Test
    void cudaIsToDevice() {
        Device device = Device.isGpuAvailable() ? Device.GPU : Device.CPU;
        Tensor x = Torch.ones(5).to(device);
        assertThat(x.device()).isEqualTo(device);
        assertThat(x.cpu().toDoubleArray()).containsExactly(1, 1, 1, 1, 1);
    }

    @Test
    void upperCaseTensorTookSizesLowerCaseTensorTakesData() {
        assertThat(Torch.empty(5, 3).shape()).containsExactly(5, 3);
        Tensor x = Torch.tensor(new long[] {5, 4});
        assertThat(x + " " + x.dtype()).isEqualTo("tensor([5, 4]) torch.int64");
    }
}
