package dev.steptorch.function;

import static dev.steptorch.tensor.ExerciseAssert.check;
import static dev.steptorch.tensor.ExerciseAssert.close;
import static dev.steptorch.tensor.ExerciseAssert.float64;

import dev.steptorch.function.lessons.LinearFunction;
import dev.steptorch.function.lessons.MyReLU;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import org.junit.jupiter.api.Test;

/** The graded tests of step 4's classroom exercises (exercises.txt, docs/teaching.md), one per exercise. */
class FunctionExercisesTest {


    @Test
    void myReluBackward() {
        Tensor x = float64(new double[] {-2, -0.5, 0.5, 3}, 4).requiresGrad_(true);
        Tensor y = MyReLU.relu(x);
        y.backward(float64(new double[] {1, 2, 3, 4}, 4));
        close("x.grad for MyReLU at x = [-2, -0.5, 0.5, 3] with gradient [1, 2, 3, 4] (zero where x < 0)", x.grad(),
                new double[] {0, 0, 3, 4}, 0);
        Tensor g = float64(new double[] {5, 6}, 2);
        Tensor x2 = float64(new double[] {1, -1}, 2).requiresGrad_(true);
        MyReLU.relu(x2).backward(g);
        close("the incoming gradient after MyReLU's backward (backward must not write into it)", g, new double[] {5, 6}, 0);
    }

    private static final double[] INPUT = {1, 2, 3, -1, 0, 2};
    private static final double[] WEIGHT = {1, 0, -1, 2, 1, 0.5};
    private static final double[] BIAS = {0.5, -1};

    @Test
    void linearFunctionForward() {
        Tensor out = LinearFunction.linear(float64(INPUT, 2, 3), float64(WEIGHT, 2, 3), float64(BIAS, 2));
        close("LinearFunction(input [2, 3], weight [2, 3], bias [2]) = input . weight^T + bias", out,
                new double[] {1 - 3 + 0.5, 2 + 2 + 1.5 - 1, -1 - 2 + 0.5, -2 + 0 + 1 - 1}, 1e-12);
        Tensor noBias = LinearFunction.linear(float64(INPUT, 2, 3), float64(WEIGHT, 2, 3), null);
        close("LinearFunction without bias = input . weight^T", noBias, new double[] {-2, 5.5, -3, -1}, 1e-12);
    }

    @Test
    void linearFunctionBackward() {
        Tensor input = float64(INPUT, 2, 3).requiresGrad_(true);
        Tensor weight = float64(WEIGHT, 2, 3).requiresGrad_(true);
        Tensor bias = float64(BIAS, 2).requiresGrad_(true);
        Tensor g = float64(new double[] {1, 2, 3, 4}, 2, 2);
        LinearFunction.linear(input, weight, bias).backward(g);
        // grad_input = G . W, grad_weight = G^T . input, grad_bias = sum of G's rows
        close("input.grad (G . weight)", input.grad(), new double[] {1 + 4, 0 + 2, -1 + 1, 3 + 8, 0 + 4, -3 + 2}, 1e-12);
        close("weight.grad (G^T . input)", weight.grad(), new double[] {1 - 3, 2 + 0, 3 + 6, 2 - 4, 4 + 0, 6 + 8}, 1e-12);
        close("bias.grad (G summed over the batch)", bias.grad(), new double[] {4, 6}, 1e-12);

        Tensor frozen = float64(WEIGHT, 2, 3);
        Tensor x = float64(INPUT, 2, 3).requiresGrad_(true);
        LinearFunction.linear(x, frozen, null).backward(g);
        close("input.grad when the weight needs no gradient", x.grad(), new double[] {5, 2, 0, 11, 4, -1}, 1e-12);
        check(frozen.grad() == null, "a weight that does not require grad must get no gradient");
        check(GradCheck.gradcheck(in -> LinearFunction.linear(in[0], in[1], in[2]), float64(INPUT, 2, 3).requiresGrad_(true),
                float64(WEIGHT, 2, 3).requiresGrad_(true), float64(BIAS, 2).requiresGrad_(true)), "gradcheck of LinearFunction");
    }

    /** A function whose backward is wrong by a factor of 2 on one element. */
    private static final class Skewed extends Function {
        @Override
        protected Object forward(FunctionCtx ctx, Object... args) {
            Tensor x = (Tensor) args[0];
            ctx.saveForBackward(x);
            return x.mul(x);
        }

        @Override
        protected Tensor[] backward(FunctionCtx ctx, Tensor... gradOutputs) {
            Tensor x = ctx.savedTensors()[0];
            Tensor scale = Torch.onesLike(x);
            scale.narrow(0, 2, 1).fill_(2);
            return new Tensor[] {gradOutputs[0].mul(x).mul(2).mul(scale)};
        }
    }

    @Test
    void centralDifference() {
        Tensor x = float64(new double[] {0.5, -1.5, 2, 1}, 4).requiresGrad_(true);
        check(GradCheck.gradcheck(in -> in[0].pow(3.0).add(in[0].exp()), x),
                "gradcheck of x^3 + exp(x), whose backward is right, should pass");
        try {
            GradCheck.gradcheck(in -> new Skewed().apply(in[0]), x);
            throw new AssertionError("gradcheck passed a backward that is twice too large at element 2: "
                    + "the numerical Jacobian should catch it");
        } catch (GradcheckError e) {
            check(e.inputElement() == 2, "gradcheck blamed input element " + e.inputElement() + ", but the wrong gradient is at 2");
            double expected = 2 * 2.0; // d(x^2)/dx at x = 2
            check(Math.abs(e.numerical() - expected) < 1e-6, "the numerical derivative of x^2 at x = 2 should be 4 "
                    + "(central differences: (f(x + eps) - f(x - eps)) / (2 eps)), got " + e.numerical());
        }
        double[] values = {0.5, -1.5, 2, 1};
        check(x.toDoubleArray()[2] == values[2] && x.toDoubleArray()[1] == values[1],
                "gradcheck must put every element back after perturbing it, but x is now " + java.util.Arrays.toString(x.toDoubleArray()));
    }
}
