package dev.steptorch.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import dev.steptorch.function.lessons.LinearFunction;
import dev.steptorch.function.lessons.MyReLU;
import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * gradcheck accepts correct backward formulas and, more importantly, rejects wrong ones, saying
 * which input, which element and which two numbers disagree.
 */
class GradCheckTest {
    private static final Options DOUBLES = Options.dtype(DType.FLOAT64);

    // ----------------------------------------------------------------------------------------
    // Correct functions pass
    // ----------------------------------------------------------------------------------------

    @Test
    void linearFunction20x20WithBias() {
        Random r = new Random(0);
        Tensor input = leaf(r, -2, 2, 20, 20);
        Tensor weight = leaf(r, -2, 2, 20, 20);
        Tensor bias = leaf(r, -2, 2, 20);
        assertThat(GradCheck.gradcheck(in -> LinearFunction.linear(in[0], in[1], in[2]), input, weight, bias)).isTrue();
    }

    @Test
    void linearFunction20x20WithoutBias() {
        Random r = new Random(1);
        Tensor input = leaf(r, -2, 2, 20, 20);
        Tensor weight = leaf(r, -2, 2, 20, 20);
        assertThat(GradCheck.gradcheck(in -> LinearFunction.linear(in[0], in[1], null), input, weight)).isTrue();
    }

    @Test
    void linearFunctionOnRandomSmallShapes() {
        Random r = new Random(2);
        for (int trial = 0; trial < 10; trial++) {
            int batch = 1 + r.nextInt(4);
            int in = 1 + r.nextInt(5);
            int out = 1 + r.nextInt(5);
            Tensor input = leaf(r, -2, 2, batch, in);
            Tensor weight = leaf(r, -2, 2, out, in);
            Tensor bias = leaf(r, -2, 2, out);
            assertThat(GradCheck.gradcheck(x -> LinearFunction.linear(x[0], x[1], x[2]), input, weight, bias))
                    .as("batch %d, in %d, out %d", batch, in, out).isTrue();
            assertThat(GradCheck.gradcheck(x -> LinearFunction.linear(x[0], x[1], null), input, weight)).isTrue();
        }
    }

    @Test
    void linearFunctionWithSomeInputsNotRequiringGrad() {
        Random r = new Random(3);
        Tensor input = plain(r, -2, 2, 3, 4);
        Tensor weight = leaf(r, -2, 2, 2, 4);
        Tensor bias = plain(r, -2, 2, 2);
        assertThat(GradCheck.gradcheck(x -> LinearFunction.linear(x[0], x[1], x[2]), input, weight, bias)).isTrue();
    }

    @Test
    void myReluAwayFromZero() {
        Random r = new Random(4);
        Tensor x = awayFromZero(r, 0.1, 2, 4, 5);
        assertThat(GradCheck.gradcheck(in -> MyReLU.relu(in[0]), x)).isTrue();
    }

    @Test
    void builtInCompositions() {
        Random r = new Random(5);
        Tensor a = leaf(r, -1, 1, 3, 4);
        Tensor b = leaf(r, -1, 1, 4);
        Tensor c = awayFromZero(r, 0.5, 2, 3, 1);
        Tensor w = leaf(r, -1, 1, 4, 2);
        assertThat(GradCheck.gradcheck(x -> x[0].mul(x[1]).add(x[0].exp()).div(x[2]).mm(x[3]).sum(1), a, b, c, w)).isTrue();
        assertThat(GradCheck.gradcheck(x -> x[0].pow(2.0).add(1.0).pow(-0.5).mean(), a)).isTrue();
        assertThat(GradCheck.gradcheck(x -> MyReLU.relu(x[0]).mm(x[1]).sum(0), awayFromZero(r, 0.2, 1, 2, 3),
                leaf(r, -1, 1, 3, 3))).isTrue();
    }

    @Test
    void nonTensorArgumentsMayBeClosedOver() {
        Random r = new Random(6);
        Tensor x = leaf(r, -2, 2, 3, 2);
        assertThat(GradCheck.gradcheck(in -> new FunctionTest.Scale().apply(in[0], -1.5), x)).isTrue();
    }

    @Test
    void eachOutputOfAMultiOutputFunctionIsChecked() {
        Random r = new Random(7);
        Tensor x = leaf(r, -2, 2, 2, 3);
        assertThat(GradCheck.gradcheck(in -> new TwoOutputs(2.0, 3.0).applyAll(in[0]), x)).isTrue();

        // the same function with only output 1's formula wrong: output 0 passes, output 1 is caught
        GradcheckError e = catchThrowableOfType(GradcheckError.class,
                () -> GradCheck.gradcheck(in -> new TwoOutputs(2.0, 4.0).applyAll(in[0]), x));
        assertThat(e).isNotNull();
        assertThat(e.output()).isEqualTo(1);
        assertThat(e.input()).isZero();
        assertThat(e.numerical()).isCloseTo(3.0, within(1e-6));
        assertThat(e.analytical()).isCloseTo(4.0, within(1e-12));
        assertThat(e.getMessage()).contains("output 1");

        GradcheckError first = catchThrowableOfType(GradcheckError.class,
                () -> GradCheck.gradcheck(in -> new TwoOutputs(-2.0, 3.0).applyAll(in[0]), x));
        assertThat(first.output()).isZero();
    }

    @Test
    void outputsThatIgnoreSomeInputsPass() {
        Random r = new Random(17);
        Tensor a = leaf(r, -1, 1, 2, 2);
        Tensor b = leaf(r, -1, 1, 3);
        assertThat(GradCheck.gradcheck(x -> new Tensor[] {x[0].exp(), x[1].mul(2.0)}, a, b)).isTrue();
        assertThat(GradCheck.gradcheck(x -> x[0], a)).isTrue();
        assertThat(GradCheck.gradcheck(x -> new FunctionTest.Identity().apply(x[0]), a)).isTrue();
    }

    @Test
    void aForgottenGradientIsCaught() {
        Random r = new Random(18);
        Tensor x = leaf(r, -2, 2, 2);
        Tensor y = awayFromZero(r, 0.5, 2, 2);
        GradcheckError e = catchThrowableOfType(GradcheckError.class, () -> GradCheck.gradcheck(in -> new Function() {
            @Override
            protected Object forward(FunctionCtx ctx, Object... args) {
                return ((Tensor) args[0]).mul((Tensor) args[1]);
            }

            @Override
            protected Tensor[] backward(FunctionCtx ctx, Tensor... g) {
                return new Tensor[] {null, null};
            }
        }.apply(in[0], in[1]), x, y));

        assertThat(e).isNotNull();
        assertThat(e.input()).isZero();
        assertThat(e.analytical()).isZero();
        assertThat(e.numerical()).isCloseTo(y.toDoubleArray()[0], within(1e-6));
    }

    // ----------------------------------------------------------------------------------------
    // Wrong functions are caught and located
    // ----------------------------------------------------------------------------------------

    @Test
    void wrongSignOfTheSecondInput() {
        Random r = new Random(8);
        Tensor x = leaf(r, -2, 2, 2, 3);
        Tensor y = awayFromZero(r, 0.5, 2, 2, 3);
        GradcheckError e = catchThrowableOfType(GradcheckError.class, () -> GradCheck.gradcheck(in -> new WrongSignProduct().apply(in[0], in[1]), x, y));

        assertThat(e).isNotNull();
        assertThat(e.input()).isEqualTo(1);
        // d(x*y)/dy at element 0 is x[0]; backward claimed -x[0]
        double x0 = x.toDoubleArray()[0];
        assertThat(e.inputElement()).isZero();
        assertThat(e.numerical()).isCloseTo(x0, within(1e-6));
        assertThat(e.analytical()).isCloseTo(-x0, within(1e-12));
        assertMessageNames(e);
    }

    @Test
    void transposedWeightGradient() {
        Random r = new Random(9);
        Tensor input = plain(r, -2, 2, 4, 3);
        Tensor weight = leaf(r, -2, 2, 3, 3);
        Tensor bias = plain(r, -2, 2, 3);
        GradcheckError e = catchThrowableOfType(GradcheckError.class, () -> GradCheck.gradcheck(
                in -> new BrokenLinear(Mistake.TRANSPOSED_WEIGHT).apply(in[0], in[1], in[2]), input, weight, bias));

        assertThat(e).isNotNull();
        assertThat(e.input()).isEqualTo(1);
        assertMessageNames(e);
    }

    @Test
    void transposedWeightGradientIsBlamedOnWeightEvenWhenInputIsCheckedFirst() {
        Random r = new Random(10);
        Tensor input = leaf(r, -2, 2, 4, 3);
        Tensor weight = leaf(r, -2, 2, 3, 3);
        Tensor bias = leaf(r, -2, 2, 3);
        GradcheckError e = catchThrowableOfType(GradcheckError.class, () -> GradCheck.gradcheck(
                in -> new BrokenLinear(Mistake.TRANSPOSED_WEIGHT).apply(in[0], in[1], in[2]), input, weight, bias));

        assertThat(e.input()).isEqualTo(1);
    }

    @Test
    void biasGradientSummedOverTheWrongDim() {
        // batch == out, so sum(1) has the right shape and only gradcheck can tell
        Random r = new Random(11);
        Tensor input = leaf(r, -2, 2, 3, 2);
        Tensor weight = leaf(r, -2, 2, 3, 2);
        Tensor bias = leaf(r, -2, 2, 3);
        GradcheckError e = catchThrowableOfType(GradcheckError.class, () -> GradCheck.gradcheck(
                in -> new BrokenLinear(Mistake.BIAS_WRONG_DIM).apply(in[0], in[1], in[2]), input, weight, bias));

        assertThat(e).isNotNull();
        assertThat(e.input()).isEqualTo(2);
        // for output element (0, 0) the wrong sum happens to agree; output (0, 1) depends on bias[1]
        // only, but sum(1) credits its gradient to bias[0]
        assertThat(e.outputElement()).isEqualTo(1);
        assertThat(e.inputElement()).isZero();
        assertThat(e.numerical()).isCloseTo(0.0, within(1e-6));
        assertThat(e.analytical()).isCloseTo(1.0, within(1e-12));
        assertMessageNames(e);
    }

    @Test
    void aFactorOfTwoOnOneElementIsFoundAtThatElement() {
        Random r = new Random(12);
        Tensor x = awayFromZero(r, 0.5, 2, 3, 4);
        int element = 6; // index (1, 2)
        GradcheckError e = catchThrowableOfType(GradcheckError.class, () -> GradCheck.gradcheck(in -> new OneElementDoubled(element).apply(in[0]), x));

        assertThat(e).isNotNull();
        assertThat(e.input()).isZero();
        assertThat(e.inputElement()).isEqualTo(element);
        assertThat(e.outputElement()).isEqualTo(element);
        // d(x^3)/dx = 3x^2
        double x6 = x.toDoubleArray()[element];
        assertThat(e.numerical()).isCloseTo(3 * x6 * x6, within(1e-5));
        assertThat(e.analytical()).isCloseTo(6 * x6 * x6, within(1e-9));
        assertMessageNames(e);
        assertThat(e.getMessage()).contains("[1, 2]");
    }

    @Test
    void swappedGradientsOfTwoSameShapeInputs() {
        Random r = new Random(13);
        Tensor a = leaf(r, 0.5, 2, 2, 2);
        Tensor b = leaf(r, 0.5, 2, 2, 2);
        GradcheckError e = catchThrowableOfType(GradcheckError.class, () -> GradCheck.gradcheck(in -> new Swapped().apply(in[0], in[1]), a, b));

        assertThat(e).isNotNull();
        assertThat(e.input()).isZero(); // both are wrong; the first checked is reported
        assertMessageNames(e);

        // with only b checked, b is blamed
        Tensor aFixed = a.detach();
        GradcheckError onB = catchThrowableOfType(GradcheckError.class, () -> GradCheck.gradcheck(in -> new Swapped().apply(in[0], in[1]), aFixed, b));
        assertThat(onB).isNotNull();
        assertThat(onB.input()).isEqualTo(1);
    }

    @Test
    void theInputsAreLeftAsTheyWere() {
        Random r = new Random(14);
        Tensor x = leaf(r, -2, 2, 3, 3);
        double[] before = x.toDoubleArray();
        catchThrowableOfType(GradcheckError.class, () -> GradCheck.gradcheck(in -> new OneElementDoubled(4).apply(in[0]), x));
        GradCheck.gradcheck(in -> in[0].exp(), x);
        assertThat(x.toDoubleArray()).containsExactly(before);
        assertThat(x.grad()).isNull();
    }

    // ----------------------------------------------------------------------------------------
    // Misuse
    // ----------------------------------------------------------------------------------------

    @Test
    void float32InputsRequiringGradAreRefused() {
        Tensor x = Torch.randn(Options.dtype(DType.FLOAT32).withRequiresGrad(true), 3);
        assertThatThrownBy(() -> GradCheck.gradcheck(in -> in[0].exp(), x))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("float64");
    }

    @Test
    void float32InputsWithoutGradAreAllowed() {
        Random r = new Random(15);
        Tensor x = leaf(r, -1, 1, 3);
        Tensor mask = Torch.tensor(new double[] {1, 0, 2});
        assertThat(mask.dtype()).isEqualTo(DType.FLOAT32);
        assertThat(GradCheck.gradcheck(in -> in[0].mul(in[1]), x, mask)).isTrue();
    }

    @Test
    void noInputRequiringGradIsAnError() {
        Tensor x = Torch.randn(DOUBLES, 3);
        assertThatThrownBy(() -> GradCheck.gradcheck(in -> in[0].exp(), x))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("require");
    }

    @Test
    void aFunctionReturningSomethingElseIsAnError() {
        Random r = new Random(16);
        Tensor x = leaf(r, -1, 1, 3);
        assertThatThrownBy(() -> GradCheck.gradcheck(in -> "not a tensor", x))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("String");
    }

    // ----------------------------------------------------------------------------------------
    // Fixtures
    // ----------------------------------------------------------------------------------------

    private static void assertMessageNames(GradcheckError e) {
        assertThat(e.getMessage())
                .contains("numerical")
                .contains("analytical")
                .contains(String.valueOf(e.numerical()))
                .contains(String.valueOf(e.analytical()))
                .contains("input " + e.input())
                .contains("input element " + e.inputElement());
    }

    /** {x * s0, x * s1}, but backward claims the slopes {b0, b1}: wrong where b differs from s. */
    static final class TwoOutputs extends Function {
        private final double b0;
        private final double b1;

        /** Forward uses 2 and 3; backward uses b0 and b1. */
        TwoOutputs(double b0, double b1) {
            this.b0 = b0;
            this.b1 = b1;
        }

        @Override
        protected Object forward(FunctionCtx ctx, Object... args) {
            Tensor x = (Tensor) args[0];
            return new Tensor[] {x.mul(2.0), x.mul(3.0)};
        }

        @Override
        protected Tensor[] backward(FunctionCtx ctx, Tensor... g) {
            return new Tensor[] {g[0].mul(b0).add(g[1].mul(b1))};
        }
    }

    /** x * y with the sign of y's gradient flipped. */
    static final class WrongSignProduct extends Function {
        @Override
        protected Object forward(FunctionCtx ctx, Object... args) {
            Tensor x = (Tensor) args[0];
            Tensor y = (Tensor) args[1];
            ctx.saveForBackward(x, y);
            return x.mul(y);
        }

        @Override
        protected Tensor[] backward(FunctionCtx ctx, Tensor... g) {
            Tensor[] s = ctx.savedTensors();
            return new Tensor[] {g[0].mul(s[1]), g[0].mul(s[0]).neg()};
        }
    }

    enum Mistake { TRANSPOSED_WEIGHT, BIAS_WRONG_DIM }

    /** LinearFunction with one deliberate mistake in backward, each keeping the right shapes. */
    static final class BrokenLinear extends Function {
        private final Mistake mistake;

        BrokenLinear(Mistake mistake) {
            this.mistake = mistake;
        }

        @Override
        protected Object forward(FunctionCtx ctx, Object... args) {
            Tensor input = (Tensor) args[0];
            Tensor weight = (Tensor) args[1];
            Tensor bias = (Tensor) args[2];
            ctx.saveForBackward(input, weight);
            return input.mm(weight.t()).add(bias);
        }

        @Override
        protected Tensor[] backward(FunctionCtx ctx, Tensor... g) {
            Tensor[] s = ctx.savedTensors();
            Tensor grad = g[0];
            Tensor gradWeight = grad.t().mm(s[0]);
            Tensor gradBias = grad.sum(0);
            switch (mistake) {
                case TRANSPOSED_WEIGHT -> gradWeight = gradWeight.t().contiguous();
                case BIAS_WRONG_DIM -> gradBias = grad.sum(1);
                default -> throw new AssertionError(mistake);
            }
            return new Tensor[] {grad.mm(s[1]), gradWeight, gradBias};
        }
    }

    /** x^3, with the gradient of one element doubled. */
    static final class OneElementDoubled extends Function {
        private final int element;

        OneElementDoubled(int element) {
            this.element = element;
        }

        @Override
        protected Object forward(FunctionCtx ctx, Object... args) {
            Tensor x = (Tensor) args[0];
            ctx.saveForBackward(x);
            return x.pow(3.0);
        }

        @Override
        protected Tensor[] backward(FunctionCtx ctx, Tensor... g) {
            Tensor x = ctx.savedTensors()[0];
            Tensor grad = g[0].mul(x.pow(2.0)).mul(3.0).contiguous();
            double[] factor = new double[grad.numel()];
            java.util.Arrays.fill(factor, 1.0);
            factor[element] = 2.0;
            return new Tensor[] {grad.mul(Torch.tensor(factor, DOUBLES).reshape(grad.shape()))};
        }
    }

    /** a * exp(b), handing a's gradient to b and b's to a. */
    static final class Swapped extends Function {
        @Override
        protected Object forward(FunctionCtx ctx, Object... args) {
            Tensor a = (Tensor) args[0];
            Tensor b = (Tensor) args[1];
            ctx.saveForBackward(a, b);
            return a.mul(b.exp());
        }

        @Override
        protected Tensor[] backward(FunctionCtx ctx, Tensor... g) {
            Tensor[] s = ctx.savedTensors();
            Tensor gradA = g[0].mul(s[1].exp());
            Tensor gradB = g[0].mul(s[0]).mul(s[1].exp());
            return new Tensor[] {gradB, gradA};
        }
    }

    static Tensor plain(Random r, double lo, double hi, int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + (hi - lo) * r.nextDouble();
        }
        return Torch.tensor(v, DOUBLES).reshape(shape);
    }

    static Tensor leaf(Random r, double lo, double hi, int... shape) {
        return plain(r, lo, hi, shape).requiresGrad_(true);
    }

    /** Values in +-[lo, hi], requiring grad. */
    static Tensor awayFromZero(Random r, double lo, double hi, int... shape) {
        Tensor magnitude = plain(r, lo, hi, shape);
        double[] v = magnitude.toDoubleArray();
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextBoolean() ? v[i] : -v[i];
        }
        return Torch.tensor(v, DOUBLES).reshape(shape).requiresGrad_(true);
    }

    /** With the default tolerances too, a wrong backward is an error, never a quiet true. */
    @Test
    void theDefaultTolerancesStillRejectAWrongBackward() {
        Tensor x = Torch.tensor(new double[] {0.5, -1.5}, DOUBLES).requiresGrad_(true);
        // the forward doubles, the backward hands the gradient back unchanged
        Function doubled = new Function() {
            @Override
            protected Object forward(FunctionCtx ctx, Object... args) {
                return ((Tensor) args[0]).mul(2.0);
            }

            @Override
            protected Tensor[] backward(FunctionCtx ctx, Tensor... gradOutputs) {
                return new Tensor[] {gradOutputs[0]};
            }
        };
        assertThatThrownBy(() -> GradCheck.gradcheck(in -> doubled.apply(in[0]), x)).isInstanceOf(GradcheckError.class);
    }

    /** The tolerance is inclusive: an exact agreement passes with atol = rtol = 0. */
    @Test
    void anExactAgreementPassesWithZeroTolerance() {
        // at 0 with eps 0.5, central differences of 2x are exactly 2
        Tensor x = Torch.tensor(new double[] {0.0}, DOUBLES).requiresGrad_(true);
        assertThat(GradCheck.gradcheck(in -> in[0].mul(2.0), new Tensor[] {x}, 0.5, 0.0, 0.0)).isTrue();
    }
}
