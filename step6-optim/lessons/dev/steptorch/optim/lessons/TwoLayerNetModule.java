package dev.steptorch.optim.lessons;

import dev.steptorch.cli.Cli;
import dev.steptorch.ndarray.NumPy;
import dev.steptorch.nn.Linear;
import dev.steptorch.nn.MSELoss;
import dev.steptorch.nn.Module;
import dev.steptorch.nn.Reduction;
import dev.steptorch.optim.SGD;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.io.PrintStream;

/**
 * PyTorch: Custom nn Modules. The two-layer network as a Module subclass, TwoLayerNet, trained by SGD.
 *
 * <p>A model more complex than a sequence of layers is a subclass of Module with its own
 * {@code forward}. The constructor creates the two Linear layers and registers them under the
 * names Python would take from the attributes; {@code model.parameters()} then finds their four
 * tensors, and {@code forward} may use the layers together with any tensor op ({@code clamp}
 * here, for the ReLU).
 */
public final class TwoLayerNetModule {
    public static final int N = 64, D_IN = 1000, H = 100, D_OUT = 10;
    public static final double LEARNING_RATE = 1e-4;

    private TwoLayerNetModule() {
    }

    /** The course's TwoLayerNet. */
    public static final class TwoLayerNet extends Module {
        private final Linear linear1;
        private final Linear linear2;

        public TwoLayerNet(int dIn, int h, int dOut) {
            // self.linear1 = torch.nn.Linear(D_in, H): registration stands in for attribute assignment.
            linear1 = registerModule("linear1", new Linear(dIn, h));
            linear2 = registerModule("linear2", new Linear(h, dOut));
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor hRelu = linear1.call(x).clamp(0);
            return linear2.call(hRelu);
        }
    }

    public static void main(String[] args) {
        Cli.lesson(args, "TwoLayerNetModule",
                "PyTorch: Custom nn Modules. The two-layer network as a Module subclass, TwoLayerNet, trained by SGD.",
                "./lesson TwoLayerNetModule");
        train(500, 0, System.out);
    }

    /** Trains from data and weights drawn with {@code seed}; prints {@code t loss} unless {@code out} is null. */
    public static double[] train(int iterations, long seed, PrintStream out) {
        Torch.manualSeed(seed);
        Tensor x = Torch.randn(N, D_IN);
        Tensor y = Torch.randn(N, D_OUT);

        TwoLayerNet model = new TwoLayerNet(D_IN, H, D_OUT);

        // model.parameters() holds the learnable tensors of both Linear members.
        MSELoss lossFn = new MSELoss(Reduction.SUM);
        SGD optimizer = new SGD(model.parameters(), SGD.defaults().lr(LEARNING_RATE));

        double[] losses = new double[iterations];
        for (int t = 0; t < iterations; t++) {
            Tensor yPred = model.call(x);

            Tensor loss = lossFn.call(yPred, y);
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
