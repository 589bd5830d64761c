package dev.steptorch.ndarray.lessons;

import dev.steptorch.cli.Cli;
import dev.steptorch.ndarray.NDArray;
import dev.steptorch.ndarray.NumPy;
import java.io.PrintStream;

/**
 * Warm-up: NumPy. A two-layer ReLU network fitted to random data with hand-written backprop.
 *
 * <p>The course's first program, line for line: N, D_in, H, D_out = 64, 1000, 100, 10; random x
 * and y; random weights; 500 steps of gradient descent with learning rate 1e-6, printing
 * {@code t loss} every step. Run it with {@code ./lesson WarmupNumpy}. The training loop and the
 * forward/backward pass are static methods so that the tests and the benchmark run this very code.
 */
public final class WarmupNumpy {
    private WarmupNumpy() {
    }

    public static void main(String[] args) {
        Cli.lesson(args, "WarmupNumpy",
                "Warm-up: NumPy. A two-layer ReLU network fitted to random data with hand-written backprop.",
                "./lesson WarmupNumpy");
        // N is batch size; D_in is input dimension; H is hidden dimension; D_out is output dimension.
        int n = 64, dIn = 1000, h = 100, dOut = 10;
        NumPy.random().seed(0);
        train(n, dIn, h, dOut, 500, 1e-6, System.out);
    }

    /**
     * Creates random data and weights, then runs the training loop; prints {@code t loss} per step
     * to {@code out} (null: silent) and returns the losses.
     */
    public static double[] train(int n, int dIn, int h, int dOut, int steps, double learningRate, PrintStream out) {
        // Create random input and output data.
        NDArray x = NumPy.random().randn(n, dIn);
        NDArray y = NumPy.random().randn(n, dOut);

        // Randomly initialise the weights.
        NDArray w1 = NumPy.random().randn(dIn, h);
        NDArray w2 = NumPy.random().randn(h, dOut);

        return train(x, y, w1, w2, steps, learningRate, out);
    }

    /** The training loop alone, updating {@code w1} and {@code w2} in place; returns the losses. */
    public static double[] train(NDArray x, NDArray y, NDArray w1, NDArray w2, int steps, double learningRate,
                                 PrintStream out) {
        double[] losses = new double[steps];
        for (int t = 0; t < steps; t++) {
            Pass pass = forwardBackward(x, y, w1, w2);
            losses[t] = pass.loss().item();
            if (out != null) {
                out.println(t + " " + pass.loss().str());
            }

            // Update weights: w1 -= learning_rate * grad_w1.
            w1.sub_(pass.gradW1().mul(learningRate));
            w2.sub_(pass.gradW2().mul(learningRate));
        }
        return losses;
    }

    /** Every array of one forward and backward pass, so a lesson can print any of them. */
    public record Pass(NDArray h, NDArray hRelu, NDArray yPred, NDArray loss,
                       NDArray gradYPred, NDArray gradW2, NDArray gradHRelu,
                       NDArray gradHBeforeMask, NDArray gradH, NDArray gradW1) {
    }

    /** The forward pass, the squared-error loss, and the backward pass written out by hand. */
    public static Pass forwardBackward(NDArray x, NDArray y, NDArray w1, NDArray w2) {
        // Forward pass: compute predicted y.
        NDArray h = x.dot(w1);
        NDArray hRelu = NumPy.maximum(h, 0);
        NDArray yPred = hRelu.dot(w2);

        // Compute the loss: the sum of squared errors, a 0-d array.
        NDArray loss = NumPy.square(yPred.sub(y)).sum();

        // Backprop to compute the gradients of w1 and w2 with respect to the loss.
        // BEGIN SOLUTION step1.warmup-backward
        NDArray gradYPred = yPred.sub(y).mul(2.0);
        NDArray gradW2 = hRelu.T().dot(gradYPred);
        NDArray gradHRelu = gradYPred.dot(w2.T());
        NDArray gradH = gradHRelu.copy();
        NDArray gradHBeforeMask = gradH.copy();
        gradH.maskedFill_(h.lt(0), 0);          // grad_h[h < 0] = 0
        NDArray gradW1 = x.T().dot(gradH);
        return new Pass(h, hRelu, yPred, loss, gradYPred, gradW2, gradHRelu, gradHBeforeMask, gradH, gradW1);
        // END SOLUTION
    }
}
