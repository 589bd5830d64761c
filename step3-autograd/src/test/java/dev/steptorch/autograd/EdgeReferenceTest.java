package dev.steptorch.autograd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Device;
import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The formulas where they are easy to get wrong, against PyTorch 1.13's gradients in
 * {@code edge_reference.txt} (written by {@code scripts/make_edge_reference.py}): ties, kinks,
 * a tensor-valued masked_fill, operands of which only one requires grad, several roots where one
 * depends on another, and ops that overwrite a tensor. Each case backpropagates
 * {@code sum(W * f(inputs))} with W = 1, 2, 3, ..., so a gradient sent to the wrong element shows.
 */
class EdgeReferenceTest {
    private static final Options F64 = Options.of(DType.FLOAT64, Device.CPU);
    private static final Map<String, double[]> VALUES = new LinkedHashMap<>();
    private static final Map<String, int[]> SHAPES = new LinkedHashMap<>();

    static {
        load();
    }

    // =====================================================================================
    // Ties
    // =====================================================================================

    @Test
    void maximumAndMinimumSplitATieInHalf() {
        binaryCase("maximum", Tensor::maximum);
        binaryCase("minimum", Tensor::minimum);
    }

    @Test
    void maxAndMinOfAllShareTheGradientEvenlyAmongTheWinners() {
        unaryCase("max_all", Tensor::max);
        unaryCase("min_all", Tensor::min);
    }

    @Test
    void amaxAndAminShareTheGradientEvenlyAlongTheirDims() {
        unaryCase("amax_dim1", x -> x.amax(new int[] {1}, false));
        unaryCase("amin_dim0", x -> x.amin(new int[] {0}, true));
        unaryCase("amax_all_dims", x -> x.amax(new int[] {0, 1}, false));
    }

    @Test
    void maxAlongADimGivesTheWholeGradientToTheIndexItReturns() {
        unaryCase("max_dim1", x -> x.max(1, false).values());
        unaryCase("max_dim0_keepdim", x -> x.max(0, true).values());
        // PyTorch returns the first of equal maxima
        assertThat(input("max_dim1", "x").max(1, false).indices().toLongArray()).containsExactly(0, 0);
    }

    // =====================================================================================
    // Kinks
    // =====================================================================================

    @Test
    void absHasAZeroGradientAtZero() {
        unaryCase("abs", Tensor::abs);
    }

    @Test
    void clampPassesTheGradientAtItsBounds() {
        unaryCase("clamp", x -> x.clamp(0.0, 1.0));
        unaryCase("clamp_min", x -> x.clamp(0.0));
        unaryCase("clamp_max", x -> x.clampMax(1.0));
    }

    @Test
    void powWithAZeroExponentHasAZeroGradientEvenAtZero() {
        unaryCase("pow_scalar0", x -> x.pow(0.0));
        unaryCase("pow_scalar1", x -> x.pow(1.0));
        unaryCase("pow_scalar2", x -> x.pow(2.0));
        binaryCase("pow_tensor", (x, p) -> x.pow(p), "x", "p");
    }

    // =====================================================================================
    // masked_fill with a tensor value
    // =====================================================================================

    @Test
    void aTensorValueOfMaskedFillGetsTheGradientOfThePlacesItFills() {
        Tensor mask = tensor("masked_fill_tensor.mask").to(DType.BOOL);
        binaryCase("masked_fill_tensor", (x, v) -> x.maskedFill(mask, v), "x", "v");
        Tensor row = Torch.tensor(new boolean[] {true, false, true});
        binaryCase("masked_fill_tensor_broadcast", (x, v) -> x.maskedFill(row, v), "x", "v");
    }

    @Test
    void aTensorValueOfMaskedFillMustBeZeroDimensional() {
        Tensor x = Torch.zeros(F64, 2, 3);
        Tensor mask = Torch.ones(Options.of(DType.BOOL, Device.CPU), 2, 3);
        assertThatThrownBy(() -> x.maskedFill(mask, Torch.zeros(F64, 1)))
                .hasMessage("masked_fill_ only supports a 0-dimensional value tensor, but got tensor with 1 dimension(s).");
    }

    // =====================================================================================
    // Mixed requires-grad operands
    // =====================================================================================

    @Test
    void mulAndMmWithOneOperandThatRequiresGrad() {
        Tensor c = tensor("mixed.const");
        Tensor x = leaf(Torch.tensor(new double[] {1.0, 2.0, 0.5}, F64));
        weighted(x.mul(c)).backward();
        assertClose("mixed.mul_left", x.grad());
        Tensor y = leaf(Torch.tensor(new double[] {1.0, 2.0, 0.5}, F64));
        weighted(c.mul(y)).backward();
        assertClose("mixed.mul_right", y.grad());
        assertThat(c.grad()).isNull();

        Tensor a = leaf(tensor("mixed.A"));
        Tensor b = tensor("mixed.B");
        weighted(a.mm(b)).backward();
        assertClose("mixed.mm_left", a.grad());
        assertThat(b.grad()).isNull();
        Tensor a2 = tensor("mixed.A");
        Tensor b2 = leaf(tensor("mixed.B"));
        weighted(a2.mm(b2)).backward();
        assertClose("mixed.mm_right", b2.grad());
        assertThat(a2.grad()).isNull();
    }

    /**
     * A formula saves only what it reads for an input that needs a gradient, as PyTorch does: for
     * {@code c * b} with only c requiring grad, b is saved and c is not, so writing into c after
     * the forward pass is fine and writing into b is an error.
     */
    @Test
    void onlyWhatTheNeededGradientsReadIsSaved() {
        Tensor c0 = leaf(Torch.tensor(new double[] {1, 2}, F64));
        Tensor c = c0.clone();
        Tensor b = Torch.tensor(new double[] {3, 4}, F64);
        Tensor y = c.mul(b);
        c.mul_(2.0);
        y.sum().backward();
        assertThat(c0.grad().toDoubleArray()).containsExactly(3, 4);

        Tensor d0 = leaf(Torch.tensor(new double[] {1, 2}, F64));
        Tensor d = d0.clone();
        Tensor e = Torch.tensor(new double[] {3, 4}, F64);
        Tensor z = e.mul(d);
        e.mul_(2.0);
        assertThatThrownBy(() -> z.sum().backward()).hasMessageContaining(
                "one of the variables needed for gradient computation has been modified by an inplace operation: "
                        + "[torch.DoubleTensor [2]]");

        Tensor m0 = leaf(Torch.ones(F64, 2, 2));
        Tensor m = m0.clone();
        Tensor k = Torch.ones(F64, 2, 2);
        Tensor p = m.mm(k);
        m.mul_(3.0);
        p.sum().backward();
        assertThat(m0.grad().toDoubleArray()).containsOnly(2.0);
        Tensor q = m.mm(k);
        k.mul_(3.0);
        assertThatThrownBy(() -> q.sum().backward()).hasMessageContaining("modified by an inplace operation: [torch.DoubleTensor [2, 2]]");
    }

    // =====================================================================================
    // Several roots
    // =====================================================================================

    @Test
    void backwardWithSeveralRootsWhereOneDependsOnTheOther() {
        Tensor v = Torch.tensor(new double[] {1, 10, 100}, F64);
        for (boolean reversed : new boolean[] {false, true}) {
            Tensor x = leaf(Torch.tensor(new double[] {1, 2, 3}, F64));
            Tensor y = x.mul(x);
            Tensor z = y.mul(3.0).sum();
            if (reversed) {
                Engine.backward(new Tensor[] {z, y}, new Tensor[] {null, v}, false);
            } else {
                Engine.backward(new Tensor[] {y, z}, new Tensor[] {v, null}, false);
            }
            assertClose(reversed ? "roots_reversed.x" : "roots.x", x.grad());
        }
    }

    @Test
    void theSameRootTwiceCountsTwice() {
        Tensor x = leaf(Torch.tensor(new double[] {1, 2}, F64));
        Tensor y = x.mul(3.0).sum();
        Engine.backward(new Tensor[] {y, y}, null, false);
        assertThat(x.grad().toDoubleArray()).containsExactly(6, 6);
    }

    // =====================================================================================
    // Overwritten values
    // =====================================================================================

    @Test
    void valuesOverwrittenInPlaceGetAZeroGradient() {
        Tensor x = leaf(Torch.tensor(new double[] {1, 2}, F64));
        Tensor y = x.mul(2.0);
        y.fill_(1.0);
        weighted(y).backward();
        assertClose("fill.x", x.grad());

        Tensor x2 = leaf(Torch.tensor(new double[] {1, 2}, F64));
        Tensor y2 = x2.mul(2.0);
        y2.zero_();
        weighted(y2).backward();
        assertClose("zero.x", x2.grad());

        // uniform_ and normal_ are the same row; PyTorch 1.13 also gives zeros
        for (Function<Tensor, Tensor> fill : java.util.List.<Function<Tensor, Tensor>>of(
                t -> t.uniform_(0, 1), t -> t.normal_(0, 1))) {
            Tensor x3 = leaf(Torch.tensor(new double[] {1, 2}, F64));
            Tensor y3 = x3.mul(2.0);
            assertThat(fill.apply(y3)).isSameAs(y3);
            y3.sum().backward();
            assertThat(x3.grad().toDoubleArray()).containsExactly(0, 0);
        }
    }

    @Test
    void inPlaceOpsUnderRecordingReturnTheirTarget() {
        Tensor x = leaf(Torch.tensor(new double[] {1, 2}, F64));
        Tensor y = x.mul(1.0);
        Tensor src = x.mul(5.0);
        assertThat(y.fill_(3.0)).isSameAs(y);
        assertThat(y.copy_(src)).isSameAs(y);
        assertThat(y.gradFn().name()).isEqualTo("CopyBackwards");
        y.sum().backward();
        // copy_ hands the gradient to src (x * 5) and none to y's old value
        assertThat(x.grad().toDoubleArray()).containsExactly(5, 5);
    }

    // =====================================================================================
    // Helpers
    // =====================================================================================

    private static void unaryCase(String name, Function<Tensor, Tensor> f) {
        Tensor x = leaf(input(name, "x"));
        weighted(f.apply(x)).backward();
        assertClose(name + ".x", x.grad());
    }

    private static void binaryCase(String name, java.util.function.BiFunction<Tensor, Tensor, Tensor> f) {
        binaryCase(name, f, "a", "b");
    }

    private static void binaryCase(String name, java.util.function.BiFunction<Tensor, Tensor, Tensor> f, String left, String right) {
        Tensor a = leaf(input(name, left));
        Tensor b = leaf(input(name, right));
        weighted(f.apply(a, b)).backward();
        assertClose(name + "." + left, a.grad());
        assertClose(name + "." + right, b.grad());
    }

    /** sum(W * y) with W = 1, 2, 3, ... in y's shape. */
    private static Tensor weighted(Tensor y) {
        Tensor w = Torch.arange(1, y.numel() + 1, 1, F64).view(y.shape());
        return y.mul(w).sum();
    }

    private static Tensor leaf(Tensor t) {
        return t.detach().clone().requiresGrad_(true);
    }

    private static Tensor input(String name, String input) {
        return tensor(name + ".in." + input);
    }

    private static Tensor tensor(String name) {
        assertThat(VALUES).as("the reference file has %s", name).containsKey(name);
        return Torch.tensor(VALUES.get(name), F64).view(SHAPES.get(name));
    }

    private static void assertClose(String name, Tensor actual) {
        assertThat(actual).as("%s (PyTorch has a gradient)", name).isNotNull();
        assertThat(actual.shape()).as("shape of %s", name).containsExactly(SHAPES.get(name));
        double[] expected = VALUES.get(name);
        double[] got = actual.toDoubleArray();
        for (int i = 0; i < expected.length; i++) {
            assertThat(got[i]).as("%s[%d] vs PyTorch's %s", name, i, expected[i])
                    .isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-12 + 1e-9 * Math.abs(expected[i])));
        }
    }

    private static void load() {
        ReferenceFile file = ReferenceFile.load("edge_reference.txt", "scripts/make_edge_reference.py");
        VALUES.putAll(file.values);
        SHAPES.putAll(file.shapes);
    }
}
