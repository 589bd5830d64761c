package dev.steptorch.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import org.junit.jupiter.api.Test;

/** Sequential in both forms: positional (named 0, 1, ...) and named with addModule. */
class SequentialTest {
    @Test
    void positionalModulesAreNamedByIndexAndRunInOrder() {
        Torch.manualSeed(0);
        Linear first = new Linear(3, 4);
        Linear second = new Linear(4, 2);
        Sequential model = new Sequential(first, new ReLU(), second);
        Tensor x = Torch.randn(5, 3);
        assertThat(model.call(x).equal(second.call(first.call(x).clamp(0)))).isTrue();
        assertThat(model.namedChildren().keySet()).containsExactly("0", "1", "2");
        assertThat(model.get(-1)).isSameAs(second);
        assertThatThrownBy(() -> model.get(3)).hasMessageContaining("index 3 is out of range for Sequential of length 3");
    }

    @Test
    void namedModulesPrintAndRegisterTheirParametersUnderTheirNames() {
        Sequential model = new Sequential()
                .addModule("conv1", new Conv2d(1, 20, 5))
                .addModule("relu1", new ReLU());
        assertThat(model.toString()).isEqualTo("Sequential(\n"
                + "  (conv1): Conv2d(1, 20, kernel_size=(5, 5), stride=(1, 1))\n"
                + "  (relu1): ReLU()\n"
                + ")");
        assertThat(model.namedParameters().keySet()).containsExactly("conv1.weight", "conv1.bias");
        assertThatThrownBy(() -> model.addModule("relu1", new ReLU())).hasMessageContaining("'relu1' already exists");
    }
}
