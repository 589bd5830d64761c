package dev.steptorch.dynamic.lessons;

import dev.steptorch.cli.Cli;
import dev.steptorch.dynamic.DynamicNet;
import dev.steptorch.ndarray.NumPy;
import dev.steptorch.nn.MSELoss;
import dev.steptorch.nn.Reduction;
import dev.steptorch.optim.SGD;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.io.PrintStream;
import java.util.Random;

/**
 * PyTorch: Control Flow + Weight Sharing. A network whose depth is drawn at random on every pass.
 *
 * <p>Each forward pass applies {@code middle_linear} between zero and three times, decided by an
 * ordinary loop; the graph recorded by that pass has exactly that many copies of the layer, all
 * sharing one weight. Plain SGD struggles with such a model, so the course uses momentum 0.9.
 */
public final class DynamicNetLesson {
    public static final int N = 64, D_IN = 1000, H = 100, D_OUT = 10;

    private DynamicNetLesson() {
    }

    public static void main(String[] args) {
        Cli.lesson(args, "DynamicNetLesson",
                "PyTorch: Control Flow + Weight Sharing. A network whose depth is drawn at random on every pass.",
                "./lesson DynamicNetLesson");
        train(500, 0, System.out);
    }

    public static double[] train(int iterations, long seed, PrintStream out) {
        Torch.manualSeed(seed);
        Tensor x = Torch.randn(N, D_IN);
        Tensor y = Torch.randn(N, D_OUT);

        // The model draws its depth from its own generator, Python's random.randint(0, 3).
        DynamicNet model = new DynamicNet(D_IN, H, D_OUT, new Random(seed));

        MSELoss criterion = new MSELoss(Reduction.SUM);
        SGD optimizer = new SGD(model.parameters(), SGD.defaults().lr(1e-4).momentum(0.9));
        double[] losses = new double[iterations];
        for (int t = 0; t < iterations; t++) {
            Tensor yPred = model.call(x);

            Tensor loss = criterion.call(yPred, y);
            losses[t] = loss.item();
            if (out != null) {
                out.println(t + " " + NumPy.scalar(losses[t]).str());
            }

            optimizer.zeroGrad();
            loss.backward();
            optimizer.step();
        }
        return losses;
    }
}
