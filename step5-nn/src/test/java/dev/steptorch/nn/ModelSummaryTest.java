package dev.steptorch.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steptorch.nn.lessons.BlitzNet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * numParameters and summary against PyTorch's counts: the blitz's LeNet (1x32x32 input) has
 * {@code sum(p.numel() for p in net.parameters())} = 61706, and torchinfo prints each layer's
 * output shape and parameters as below.
 */
class ModelSummaryTest {
    @Test
    void theBlitzLeNetHasPyTorchsParameterCount() {
        BlitzNet.Net net = new BlitzNet.Net();
        assertThat(net.numParameters(false)).isEqualTo(61706);
        assertThat(net.numParameters(true)).isEqualTo(61706);
        assertThat(net.numParameters()).isEqualTo(61706);
    }

    @Test
    void frozenParametersAreCountedOnlyWithoutTrainableOnly() {
        Sequential model = new Sequential(new Linear(10, 5), new ReLU(), new Linear(5, 2));
        // torch: Linear(10, 5) 55, Linear(5, 2) 12
        assertThat(model.numParameters(false)).isEqualTo(67);
        model.children().get(0).requiresGrad_(false);
        assertThat(model.numParameters(true)).isEqualTo(12);
        assertThat(model.numParameters(false)).isEqualTo(67);
        assertThat(model.summary(3, 10)).contains("Total params: 67", "Trainable params: 12", "Non-trainable params: 55");
    }

    @Test
    void aSharedParameterCountsOnce() {
        Linear shared = new Linear(4, 4);
        Sequential model = new Sequential(shared, new ReLU(), shared);
        assertThat(model.numParameters(false)).isEqualTo(20);
        String table = model.summary(2, 4);
        assertThat(table).contains("├─Linear: 1-1", "[2, 4]", "(recursive)", "Total params: 20");
    }

    @Test
    void theSummaryListsEveryLayerAsItRunsWithShapesParametersAndTotals() {
        String table = new BlitzNet.Net().summary(1, 1, 32, 32);
        List<String> rows = table.lines().filter(l -> l.startsWith("├─") || l.startsWith("Net")).toList();
        assertThat(rows).hasSize(6);
        assertThat(rows.get(0)).startsWith("Net").contains("[1, 10]").endsWith("--");
        assertThat(rows.get(1)).startsWith("├─Conv2d: 1-1").contains("[1, 6, 28, 28]").endsWith("156");
        assertThat(rows.get(2)).startsWith("├─Conv2d: 1-2").contains("[1, 16, 10, 10]").endsWith("2,416");
        assertThat(rows.get(3)).startsWith("├─Linear: 1-3").contains("[1, 120]").endsWith("48,120");
        assertThat(rows.get(4)).startsWith("├─Linear: 1-4").contains("[1, 84]").endsWith("10,164");
        assertThat(rows.get(5)).startsWith("├─Linear: 1-5").contains("[1, 10]").endsWith("850");
        assertThat(table).contains("Layer (type:depth-idx)", "Output Shape", "Param #", "Total params: 61,706",
                "Trainable params: 61,706", "Non-trainable params: 0");
    }

    @Test
    void nestedModulesAreIndented() {
        Sequential model = new Sequential(new Sequential(new Linear(3, 2), new ReLU()), new Linear(2, 1));
        String table = model.summary(5, 3);
        assertThat(table).contains("├─Sequential: 1-1", "│    ├─Linear: 2-1", "│    ├─ReLU: 2-2", "├─Linear: 1-2");
    }

    @Test
    void aMissingOrBadShapeIsExplained() {
        assertThatThrownBy(() -> new Linear(2, 2).summary()).hasMessageContaining("summary(4, 3, 32, 32)");
        assertThatThrownBy(() -> new Linear(2, 2).summary(0, 2)).hasMessageContaining("positive");
    }
}
