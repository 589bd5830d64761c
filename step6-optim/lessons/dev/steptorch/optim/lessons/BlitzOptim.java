package dev.steptorch.optim.lessons;

import dev.steptorch.cli.Cli;
import dev.steptorch.ndarray.NumPy;
import dev.steptorch.nn.MSELoss;
import dev.steptorch.nn.lessons.BlitzNet;
import dev.steptorch.optim.SGD;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.io.PrintStream;

/**
 * The blitz's training loop with torch.optim.SGD (lr 0.01) on its LeNet: zeroGrad, forward, loss, backward, step.
 *
 * <p>The hand-written {@code f.data.sub_(f.grad.data * learning_rate)} of step 5 becomes
 * {@code optimizer.step()}. The loop is the one every later lesson uses: clear the gradients
 * (they accumulate), forward, loss, backward, step. With a single sample and target, the loss
 * falls towards zero as the network learns to reproduce that one target.
 */
public final class BlitzOptim {
    public static final double LEARNING_RATE = 0.01;

    private BlitzOptim() {
    }

    public static void main(String[] args) {
        Cli.lesson(args, "BlitzOptim",
                "The blitz's training loop with torch.optim.SGD (lr 0.01) on its LeNet: zeroGrad, forward, loss, backward, step.",
                "./lesson BlitzOptim");
        train(20, 0, System.out);
    }

    /** Runs {@code iterations} SGD steps; prints {@code t loss} unless {@code out} is null; returns the losses. */
    public static double[] train(int iterations, long seed, PrintStream out) {
        Torch.manualSeed(seed);
        BlitzNet.Net net = new BlitzNet.Net();
        Tensor input = Torch.randn(1, 1, 32, 32);
        Tensor target = Torch.randn(10).view(1, -1);
        MSELoss criterion = new MSELoss();

        SGD optimizer = new SGD(net.parameters(), SGD.defaults().lr(LEARNING_RATE));

        double[] losses = new double[iterations];
        for (int t = 0; t < iterations; t++) {
            // in the training loop:
            optimizer.zeroGrad();   // zero the gradient buffers
            Tensor output = net.call(input);
            Tensor loss = criterion.call(output, target);
            loss.backward();
            optimizer.step();       // does the update

            losses[t] = loss.item();
            if (out != null) {
                out.println(t + " " + NumPy.scalar(losses[t]).str());
            }
        }
        return losses;
    }
}
