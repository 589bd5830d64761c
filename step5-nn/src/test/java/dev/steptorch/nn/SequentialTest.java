package dev.steptorch.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.util.LinkedHashMap;
import org.junit.jupiter.api.Test;

/** Sequential in its three forms: positional (named 0, 1, ...), named with addModule, from an ordered map. */
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

    @Test
    void anOrderedMapGivesNamesAndOrder() {
        Torch.manualSeed(0);
        LinkedHashMap<String, Module> layers = new LinkedHashMap<>();
        layers.put("fc", new Linear(3, 2));
        layers.put("act", new ReLU(true));
        Sequential model = new Sequential(layers);
        assertThat(model.namedChildren().keySet()).containsExactly("fc", "act");
        assertThat(model.get(1)).hasToString("ReLU(inplace=True)");
        assertThat(model.namedParameters().keySet()).containsExactly("fc.weight", "fc.bias");
    }

    /** nn.ReLU(inplace=True): the input is overwritten, and the gradient is the same as out of place. */
    @Test
    void inplaceReluOverwritesItsInputAndBackpropagatesLikeRelu() {
        Tensor w = Torch.tensor(new double[] {-1, 2, -3, 4}).requiresGrad_(true);
        Tensor h = w.mul(2);
        Tensor r = new ReLU(true).call(h);
        assertThat(r).isSameAs(h);
        assertThat(h.toDoubleArray()).containsExactly(0, 4, 0, 8);
        r.sum().backward();
        assertThat(w.grad().toDoubleArray()).containsExactly(0, 2, 0, 2);

        Tensor kept = Torch.ones(2);
        assertThat(new ReLU().call(kept)).isNotSameAs(kept);
        assertThat(new ReLU()).hasToString("ReLU()");
    }
}
