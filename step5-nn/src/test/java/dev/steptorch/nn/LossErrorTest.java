package dev.steptorch.nn;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import org.junit.jupiter.api.Test;

/** Bad inputs to the losses fail with messages that name the loss and what was wrong, as PyTorch's do. */
class LossErrorTest {
    private static final Tensor SCORES = Torch.rand(3, 10);

    @Test
    void classTargetsMustBeInt64() {
        assertThatThrownBy(() -> new CrossEntropyLoss().call(SCORES, Torch.tensor(new double[] {1, 2, 3})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CrossEntropyLoss")
                .hasMessageContaining("expected scalar type Long but found Float");
        assertThatThrownBy(() -> new NLLLoss().call(SCORES, Torch.tensor(new boolean[] {true, false, true})))
                .hasMessageContaining("NLLLoss")
                .hasMessageContaining("expected scalar type Long but found Bool");
    }

    @Test
    void classIndexOutOfRange() {
        assertThatThrownBy(() -> new CrossEntropyLoss().call(SCORES, Torch.tensor(new long[] {1, 12, 3})))
                .isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("Target 12 is out of bounds.")
                .hasMessageContaining("10 classes");
        assertThatThrownBy(() -> new NLLLoss().call(SCORES, Torch.tensor(new long[] {-1, 0, 0})))
                .hasMessageContaining("Target -1 is out of bounds.");
        assertThatThrownBy(() -> new NLLLoss().call(SCORES, Torch.tensor(new long[] {0, 0, 10})))
                .hasMessageContaining("Target 10 is out of bounds.");
    }

    @Test
    void batchSizesMustAgree() {
        assertThatThrownBy(() -> new CrossEntropyLoss().call(SCORES, Torch.tensor(new long[] {1, 2})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CrossEntropyLoss")
                .hasMessageContaining("Expected input batch_size (3) to match target batch_size (2)")
                .hasMessageContaining("torch.Size([3, 10])")
                .hasMessageContaining("torch.Size([2])");
    }

    @Test
    void classLossesNeedAMatrixAndAVector() {
        assertThatThrownBy(() -> new NLLLoss().call(Torch.rand(3, 10, 2), Torch.tensor(new long[] {1, 2, 3})))
                .hasMessageContaining("NLLLoss expects input of shape [N, C] and target of shape [N]")
                .hasMessageContaining("torch.Size([3, 10, 2])")
                .hasMessageContaining("torch.Size([3])");
        assertThatThrownBy(() -> new CrossEntropyLoss().call(SCORES, Torch.tensor(new long[][] {{1}, {2}, {3}})))
                .hasMessageContaining("CrossEntropyLoss expects input of shape [N, C]")
                .hasMessageContaining("torch.Size([3, 1])");
    }

    @Test
    void mseShapesMustMatch() {
        assertThatThrownBy(() -> new MSELoss().call(Torch.rand(3, 4), Torch.rand(4, 3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("MSELoss")
                .hasMessageContaining("torch.Size([3, 4])")
                .hasMessageContaining("torch.Size([4, 3])");
    }

    @Test
    void mseTargetDtypeMustMatch() {
        assertThatThrownBy(() -> new MSELoss().call(Torch.rand(2), Torch.tensor(new long[] {1, 2})))
                .hasMessageContaining("MSELoss")
                .hasMessageContaining("torch.int64");
    }

    @Test
    void bceInputsMustBeProbabilities() {
        assertThatThrownBy(() -> new BCELoss().call(Torch.tensor(new double[] {0.5, 1.5}), Torch.rand(2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("BCELoss")
                .hasMessageContaining("all elements of input should be between 0 and 1");
        assertThatThrownBy(() -> new BCELoss().call(Torch.tensor(new double[] {-0.1, 0.5}), Torch.rand(2)))
                .hasMessageContaining("all elements of input should be between 0 and 1");
        assertThatThrownBy(() -> new BCELoss().call(Torch.tensor(new double[] {Double.NaN}), Torch.rand(1)))
                .hasMessageContaining("all elements of input should be between 0 and 1");
    }

    @Test
    void bceShapesMustMatch() {
        assertThatThrownBy(() -> new BCELoss().call(Torch.rand(3), Torch.rand(2)))
                .hasMessageContaining("BCELoss")
                .hasMessageContaining("target size (torch.Size([2]))")
                .hasMessageContaining("input size (torch.Size([3]))");
    }

    @Test
    void integerInputsAreRejected() {
        assertThatThrownBy(() -> new CrossEntropyLoss().call(Torch.tensor(new long[][] {{1, 2}}), Torch.tensor(new long[] {0})))
                .hasMessageContaining("CrossEntropyLoss expects a floating-point input, got torch.int64");
    }

    @Test
    void lossesTakeTwoInputs() {
        assertThatThrownBy(() -> new MSELoss().call(SCORES))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("MSELoss");
    }
}
