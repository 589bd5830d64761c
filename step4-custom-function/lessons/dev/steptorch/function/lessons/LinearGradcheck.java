package dev.steptorch.function.lessons;

import dev.steptorch.cli.Cli;
import dev.steptorch.function.GradCheck;
import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;

/**
 * gradcheck: LinearFunction's hand-written backward checked against central differences, printing true.
 *
 * <p>gradcheck perturbs every input element by {@code eps} in both directions and compares the
 * resulting slopes with what backward computes. It needs float64: in float32 the rounding error of
 * a difference quotient would drown the mistakes it is looking for.
 */
public final class LinearGradcheck {
    private LinearGradcheck() {
    }

    public static void main(String[] args) {
        Cli.lesson(args, "LinearGradcheck",
                "gradcheck: LinearFunction's hand-written backward checked against central differences, printing true.",
                "./lesson LinearGradcheck");
        Torch.manualSeed(0);
        Options doubles = Options.dtype(DType.FLOAT64).withRequiresGrad(true);
        Tensor input = Torch.randn(doubles, 20, 20);
        Tensor weight = Torch.randn(doubles, 20, 20);
        Tensor bias = Torch.randn(doubles, 20);

        boolean test = GradCheck.gradcheck(in -> LinearFunction.linear(in[0], in[1], in[2]),
                new Tensor[] {input, weight, bias}, 1e-6, 1e-4, 1e-3);
        System.out.println(test);
    }
}
