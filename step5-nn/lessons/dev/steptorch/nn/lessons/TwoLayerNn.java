package dev.steptorch.nn.lessons;

import dev.steptorch.autograd.GradMode;
import dev.steptorch.cli.Cli;
import dev.steptorch.ndarray.NumPy;
import dev.steptorch.nn.Linear;
import dev.steptorch.nn.MSELoss;
import dev.steptorch.nn.ReLU;
import dev.steptorch.nn.Reduction;
import dev.steptorch.nn.Sequential;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.io.PrintStream;

/**
 * PyTorch: nn. The two-layer network as Sequential(Linear, ReLU, Linear) with MSELoss(reduction='sum').
 *
 * <p>The weights are no longer loose tensors: each Linear owns a weight and a bias, and
 * {@code model.parameters()} hands all four to the update. The update is still written by hand,
 * under {@code GradMode.noGrad()}, and {@code model.zeroGrad()} clears every parameter's gradient
 * before the next backward. The loss is the sum of squared errors, not their mean, so that the
 * numbers compare with the earlier lessons; the learning rate is larger (1e-4) because Linear
 * starts from small Kaiming-uniform weights instead of standard-normal ones.
 */
public final class TwoLayerNn {
    public static final int N = 64, D_IN = 1000, H = 100, D_OUT = 10;
    public static final double LEARNING_RATE = 1e-4;

    private TwoLayerNn() {
    }

    public static void main(String[] args) {
        Cli.lesson(args, "TwoLayerNn",
                "PyTorch: nn. The two-layer network as Sequential(Linear, ReLU, Linear) with MSELoss(reduction='sum').",
                "./lesson TwoLayerNn");
        train(500, 0, System.out);
    }

    /** Trains from data and weights drawn with {@code seed}; prints {@code t loss} unless {@code out} is null. */
    public static double[] train(int iterations, long seed, PrintStream out) {
        Torch.manualSeed(seed);
        Tensor x = Torch.randn(N, D_IN);
        Tensor y = Torch.randn(N, D_OUT);

        // Each module takes the previous one's output; the Linears create and register their own weights.
        Sequential model = new Sequential(
                new Linear(D_IN, H),
                new ReLU(),
                new Linear(H, D_OUT));

        // reduction='sum': the sum of squared errors, as the hand-written loss of the earlier steps.
        MSELoss lossFn = new MSELoss(Reduction.SUM);

        double[] losses = new double[iterations];
        for (int t = 0; t < iterations; t++) {
            // model(x): a module is called like a function.
            Tensor yPred = model.call(x);

            Tensor loss = lossFn.call(yPred, y);
            losses[t] = loss.item();
            if (out != null) {
                out.println(t + " " + NumPy.scalar(losses[t]).str());
            }

            // backward() adds into .grad, so clear the gradients of every parameter first.
            model.zeroGrad();
            loss.backward();

            // param -= learning_rate * param.grad, for each of the four parameters, unrecorded.
            try (var ignored = GradMode.noGrad()) {
                for (Tensor param : model.parameters()) {
                    param.sub_(param.grad().mul(LEARNING_RATE));
                }
            }
        }
        return losses;
    }
}
