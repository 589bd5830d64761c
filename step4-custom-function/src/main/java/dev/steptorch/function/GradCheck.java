package dev.steptorch.function;

import dev.steptorch.autograd.Engine;
import dev.steptorch.autograd.GradMode;
import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code torch.autograd.gradcheck}: builds the Jacobian of {@code fn} twice, once from backward
 * (analytical: one backward pass per output element) and once from central differences
 * (numerical: two forward passes per input element), and compares them element by element with
 * {@code |analytical - numerical| <= atol + rtol * |numerical|}.
 *
 * <p>Only float64 makes the comparison meaningful: with float32 the rounding error of a central
 * difference is larger than most gradients' mistakes. {@code gradgradcheck} is not offered:
 * StepTorch's backward formulas run without recording, so there is no double backward to check.
 */
public final class GradCheck {
    /** The function under test: returns a Tensor or a Tensor[]. */
    @FunctionalInterface
    public interface Fn {
        Object apply(Tensor... inputs);
    }

    private GradCheck() {
    }

    /** With PyTorch's defaults: eps 1e-6, atol 1e-5, rtol 1e-3. */
    public static boolean gradcheck(Fn fn, Tensor... inputs) {
        return gradcheck(fn, inputs, 1e-6, 1e-5, 1e-3);
    }

    /** True when the Jacobians agree; otherwise throws {@link GradcheckError} naming the first disagreement. */
    public static boolean gradcheck(Fn fn, Tensor[] inputs, double eps, double atol, double rtol) {
        List<Integer> checked = new ArrayList<>();
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] != null && inputs[i].requiresGrad()) {
                if (inputs[i].dtype() != DType.FLOAT64) {
                    throw new IllegalArgumentException("gradcheck: input " + i + " requires grad but is " + inputs[i].dtype()
                            + "; use float64 inputs, or the numerical Jacobian is too imprecise to judge anything");
                }
                checked.add(i);
            }
        }
        if (checked.isEmpty()) {
            throw new IllegalArgumentException("gradcheck expects at least one input tensor to require gradient");
        }
        double[][][] numerical = numericalJacobian(fn, inputs, checked, eps);
        double[][][] analytical = analyticalJacobian(fn, inputs, checked);
        for (int o = 0; o < numerical.length; o++) {
            for (int c = 0; c < checked.size(); c++) {
                for (int k = 0; k < numerical[o][c].length; k++) {
                    int j = k % inputs[checked.get(c)].numel();
                    int outElem = k / Math.max(1, inputs[checked.get(c)].numel());
                    double n = numerical[o][c][k];
                    double a = analytical[o][c][k];
                    if (!(Math.abs(a - n) <= atol + rtol * Math.abs(n))) {
                        throw mismatch(inputs, checked.get(c), j, o, outElem, n, a, eps, atol, rtol);
                    }
                }
            }
        }
        return true;
    }

    private static GradcheckError mismatch(Tensor[] inputs, int input, int j, int output, int outElem, double n, double a,
                                           double eps, double atol, double rtol) {
        String message = "Jacobian mismatch for output " + output + " with respect to input " + input + ",\n"
                + "  input element " + j + " (index " + Arrays.toString(unravel(j, inputs[input].shape())) + "), output element "
                + outElem + ":\n"
                + "  numerical:  " + n + "\n"
                + "  analytical: " + a + "\n"
                + "(numerical from central differences with eps=" + eps + "; allowed |a - n| <= " + atol + " + " + rtol
                + " * |n|)";
        return new GradcheckError(message, input, j, output, outElem, n, a);
    }

    /** [output][checked input][outElem * inputNumel + inputElem]. */
    private static double[][][] numericalJacobian(Fn fn, Tensor[] inputs, List<Integer> checked, double eps) {
        double[][] base = evaluate(fn, inputs);
        double[][][] jac = new double[base.length][checked.size()][];
        for (int c = 0; c < checked.size(); c++) {
            Tensor x = inputs[checked.get(c)];
            int n = x.numel();
            for (int o = 0; o < base.length; o++) {
                jac[o][c] = new double[base[o].length * n];
            }
            for (int j = 0; j < n; j++) {
                // BEGIN SOLUTION step4.central-difference
                Tensor element = element(x.data(), j);
                double original = element.item();
                element.fill_(original + eps);
                double[][] plus = evaluate(fn, inputs);
                element.fill_(original - eps);
                double[][] minus = evaluate(fn, inputs);
                element.fill_(original);
                for (int o = 0; o < base.length; o++) {
                    for (int k = 0; k < base[o].length; k++) {
                        jac[o][c][k * n + j] = (plus[o][k] - minus[o][k]) / (2 * eps);
                    }
                }
                // END SOLUTION
            }
        }
        return jac;
    }

    private static double[][][] analyticalJacobian(Fn fn, Tensor[] inputs, List<Integer> checked) {
        Tensor[] outputs = outputs(fn.apply(inputs));
        Tensor[] wrt = checked.stream().map(i -> inputs[i]).toArray(Tensor[]::new);
        double[][][] jac = new double[outputs.length][checked.size()][];
        for (int o = 0; o < outputs.length; o++) {
            Tensor out = outputs[o];
            for (int c = 0; c < checked.size(); c++) {
                jac[o][c] = new double[out.numel() * inputs[checked.get(c)].numel()];
            }
            if (!out.requiresGrad()) {
                continue; // no path to any input: the analytical Jacobian is zero
            }
            for (int k = 0; k < out.numel(); k++) {
                Tensor oneHot = Torch.zerosLike(out);
                element(oneHot, k).fill_(1);
                Tensor[] grads = Engine.grad(new Tensor[] {out}, new Tensor[] {oneHot}, wrt, true);
                for (int c = 0; c < checked.size(); c++) {
                    if (grads[c] != null) {
                        double[] row = grads[c].contiguous().toDoubleArray();
                        System.arraycopy(row, 0, jac[o][c], k * row.length, row.length);
                    }
                }
            }
        }
        return jac;
    }

    private static double[][] evaluate(Fn fn, Tensor[] inputs) {
        try (var ignored = GradMode.noGrad()) {
            Tensor[] outputs = outputs(fn.apply(inputs));
            double[][] values = new double[outputs.length][];
            for (int o = 0; o < outputs.length; o++) {
                values[o] = outputs[o].to(DType.FLOAT64).contiguous().toDoubleArray();
            }
            return values;
        }
    }

    private static Tensor[] outputs(Object result) {
        if (result instanceof Tensor t) {
            return new Tensor[] {t};
        }
        if (result instanceof Tensor[] ts) {
            return ts;
        }
        throw new IllegalArgumentException("gradcheck: the function must return a Tensor or a Tensor[], got "
                + (result == null ? "null" : result.getClass().getSimpleName()));
    }

    /** A 0-dim view of the element with row-major index {@code flat}, through which it can be read and written. */
    private static Tensor element(Tensor t, int flat) {
        Tensor v = t;
        for (int i : unravel(flat, t.shape())) {
            v = v.select(0, i);
        }
        return v;
    }

    private static int[] unravel(int flat, int[] shape) {
        int[] index = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            index[d] = flat % shape[d];
            flat /= shape[d];
        }
        return index;
    }
}
