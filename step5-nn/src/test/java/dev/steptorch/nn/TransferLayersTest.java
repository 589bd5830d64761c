package dev.steptorch.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steptorch.function.GradCheck;
import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** What transfer learning adds to nn: adaptive pooling, Identity, and replacing a named child. */
class TransferLayersTest {
    private static final Options F64 = Options.dtype(DType.FLOAT64);

    @Property(tries = 25)
    void adaptiveAvgPoolGradcheck(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int oh,
                                  @ForAll @IntRange(min = 1, max = 4) int ow) {
        Random r = new Random(seed);
        double[] v = r.doubles(2 * 2 * 5 * 6, -1, 1).toArray();
        Tensor x = Torch.tensor(v, F64).view(2, 2, 5, 6).requiresGrad_(true);
        AdaptiveAvgPool2d pool = oh == ow ? new AdaptiveAvgPool2d(oh) : new AdaptiveAvgPool2d(new int[] {oh, ow});
        assertThat(pool.call(x).shape()).containsExactly(2, 2, oh, ow);
        assertThat(GradCheck.gradcheck(in -> pool.call(in[0]), new Tensor[] {x}, 1e-6, 1e-7, 1e-5)).isTrue();
    }

    @Test
    void adaptiveAvgPoolWindowsOverlapAsPyTorchsDo() {
        // torch.nn.AdaptiveAvgPool2d((1, 3))(torch.arange(5.).view(1, 1, 1, 5)) = [[[[0.5, 2.0, 3.5]]]]: windows [0,2) [1,4) [3,5)
        Tensor x = Torch.arange(5).to(DType.FLOAT32).view(1, 1, 1, 5);
        assertThat(new AdaptiveAvgPool2d(new int[] {1, 3}).call(x).toFloatArray()).containsExactly(0.5f, 2f, 3.5f);
        assertThat(new AdaptiveAvgPool2d(new int[] {1, 1}).call(x).toFloatArray()).containsExactly(2f);
        assertThat(new AdaptiveAvgPool2d(new int[] {1, 1})).hasToString("AdaptiveAvgPool2d(output_size=(1, 1))");
        assertThat(new AdaptiveAvgPool2d(7)).hasToString("AdaptiveAvgPool2d(output_size=7)");
        assertThatThrownBy(() -> new AdaptiveAvgPool2d(0)).hasMessageContaining("positive output_size");
        assertThatThrownBy(() -> F.adaptiveAvgPool2d(Torch.zeros(3, 4), new int[] {1, 1}))
                .hasMessageContaining("expected input of shape [N, C, H, W]");
    }

    @Test
    void identityPassesItsInputThrough() {
        Tensor x = Torch.randn(2, 3);
        assertThat(new Identity().call(x)).isSameAs(x);
        assertThat(new Identity()).hasToString("Identity()");
        assertThat(new ReLU(true)).hasToString("ReLU(inplace=True)");
        assertThat(new ReLU()).hasToString("ReLU()");
    }

    @Test
    void setModuleReplacesAChildInPlaceAsAttributeAssignmentDoes() {
        Sequential body = new Sequential(new Linear(4, 3), new ReLU());
        Sequential model = new Sequential().addModule("body", body).addModule("fc", new Linear(3, 10));
        Linear fc = (Linear) model.getSubmodule("fc");
        assertThat(fc.inFeatures()).isEqualTo(3);
        assertThat(fc.outFeatures()).isEqualTo(10);
        model.requiresGrad_(false);
        Linear replaced = model.setModule("fc", new Linear(fc.inFeatures(), 2));
        assertThat(List.copyOf(model.namedChildren().keySet())).containsExactly("body", "fc");
        assertThat(List.copyOf(model.stateDict().keySet())).containsExactly("body.0.weight", "body.0.bias", "fc.weight", "fc.bias");
        assertThat(model.namedParameters().get("fc.weight")).isSameAs(replaced.weight());
        assertThat(model.parameters().stream().filter(Tensor::requiresGrad).toList()).containsExactlyElementsOf(replaced.parameters());
        assertThat(model.getSubmodule("body.1")).isInstanceOf(ReLU.class);
        model.setModule("head", new Identity());
        assertThat(List.copyOf(model.namedChildren().keySet())).containsExactly("body", "fc", "head");
        assertThatThrownBy(() -> model.getSubmodule("body.7")).hasMessageContaining("has no attribute `7`");
        assertThatThrownBy(() -> model.setModule("fc", null)).hasMessageContaining("use Identity to remove a layer");
    }
}
