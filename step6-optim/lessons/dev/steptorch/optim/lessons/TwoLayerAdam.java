package dev.steptorch.optim.lessons;

import dev.steptorch.cli.Cli;
import dev.steptorch.ndarray.NumPy;
import dev.steptorch.nn.Linear;
import dev.steptorch.nn.MSELoss;
import dev.steptorch.nn.ReLU;
import dev.steptorch.nn.Reduction;
import dev.steptorch.nn.Sequential;
import dev.steptorch.optim.Adam;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.io.PrintStream;

/**
 * PyTorch: optim. The Sequential two-layer network, updated by torch.optim.Adam instead of by hand.
 *
 * <p>The optimizer is given the model's parameters once; each iteration then reads
 * {@code optimizer.zeroGrad(); loss.backward(); optimizer.step();}. Adam scales each parameter's
 * step by running averages of its gradient and squared gradient, so its steps are about lr in
 * size whatever the scale of the gradient, which is why lr = 1e-4 suits it here.
 */
public final class TwoLayerAdam {
    public static final int N = 64, D_IN = 1000, H = 100, D_OUT = 10;
    public static final double LEARNING_RATE = 1e-4;

    private TwoLayerAdam() {
    }

    public static void main(String[] args) {
        Cli.lesson(args, "TwoLayerAdam",
                "PyTorch: optim. The Sequential two-layer network, updated by torch.optim.Adam instead of by hand.",
                "./lesson TwoLayerAdam");
        train(500, 0, System.out);
    }

    /** Trains from data and weights drawn with {@code seed}; prints {@code t loss} unless {@code out} is null. */
    public static double[] train(int iterations, long seed, PrintStream out) {
        Torch.manualSeed(seed);
        Tensor x = Torch.randn(N, D_IN);
        Tensor y = Torch.randn(N, D_OUT);

        Sequential model = new Sequential(
                new Linear(D_IN, H),
                new ReLU(),
                new Linear(H, D_OUT));
        MSELoss lossFn = new MSELoss(Reduction.SUM);

        // The first argument says which tensors the optimizer updates.
        Adam optimizer = new Adam(model.parameters(), Adam.defaults().lr(LEARNING_RATE));

        double[] losses = new double[iterations];
        for (int t = 0; t < iterations; t++) {
            Tensor yPred = model.call(x);

            Tensor loss = lossFn.call(yPred, y);
            losses[t] = loss.item();
            if (out != null) {
                out.println(t + " " + NumPy.scalar(losses[t]).str());
            }

            // Zero the gradients of every tensor the optimizer updates, then backward, then one update.
            optimizer.zeroGrad();
            loss.backward();
            optimizer.step();
        }
        return losses;
    }
}
