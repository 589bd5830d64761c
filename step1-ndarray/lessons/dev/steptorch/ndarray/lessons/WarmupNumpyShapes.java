package dev.steptorch.ndarray.lessons;

import dev.steptorch.cli.Cli;
import dev.steptorch.ndarray.NDArray;
import dev.steptorch.ndarray.NumPy;

/**
 * Warm-up: NumPy, small and talkative: prints every shape and the gradient arrays of each step.
 *
 * <p>The course's annotated variant of the warm-up: N, D_in, H, D_out = 4, 10, 6, 3, so that each
 * array fits on the screen. For each of the 500 steps it prints the shapes of the forward pass,
 * the loss, and then {@code grad_h} before and after the ReLU mask, {@code h} and {@code grad_w1}.
 * The network is {@link WarmupNumpy#forwardBackward}. Pass a number to run fewer steps: {@code ./lesson WarmupNumpyShapes 3}.
 */
public final class WarmupNumpyShapes {
    private WarmupNumpyShapes() {
    }

    public static void main(String[] args) {
        int steps = Cli.lesson(args, "WarmupNumpyShapes",
                "Warm-up: NumPy, small and talkative: prints every shape and the gradient arrays of each step.",
                "./lesson WarmupNumpyShapes 3",
                new Cli.Value("STEPS", int.class, "how many training steps to run and print", "500")).<Integer>get(0);
        int n = 4, dIn = 10, h = 6, dOut = 3;
        NumPy.random().seed(0);

        NDArray x = NumPy.random().randn(n, dIn);
        NDArray y = NumPy.random().randn(n, dOut);
        NDArray w1 = NumPy.random().randn(dIn, h);
        NDArray w2 = NumPy.random().randn(h, dOut);

        System.out.println("x shape: " + x.shapeString());
        System.out.println("y shape: " + y.shapeString());
        System.out.println("w1 shape: " + w1.shapeString());
        System.out.println("w2 shape: " + w2.shapeString());

        double learningRate = 1e-6;
        for (int t = 0; t < steps; t++) {
            WarmupNumpy.Pass p = WarmupNumpy.forwardBackward(x, y, w1, w2);
            NDArray diff = p.yPred().sub(y);

            System.out.println("\nforward  " + "*".repeat(50));
            System.out.println("h shape: " + p.h().shapeString());
            System.out.println("h_relu shape: " + p.hRelu().shapeString());
            System.out.println("y_pred shape: " + p.yPred().shapeString());
            System.out.println("y_pred - y shape: " + diff.shapeString());
            System.out.println("np.square(y_pred - y) shape: " + NumPy.square(diff).shapeString());
            System.out.println("loss shape: " + p.loss().shapeString());
            System.out.println(t + " " + p.loss().str());

            System.out.println("\nbackward  " + "*".repeat(50));
            System.out.println("grad_y_pred shape: " + p.gradYPred().shapeString());
            System.out.println("grad_w2 shape: " + p.gradW2().shapeString());
            System.out.println("grad_h_relu shape: " + p.gradHRelu().shapeString());
            System.out.println("grad_h shape: " + p.gradH().shapeString());
            System.out.println("1 grad_h: " + p.gradHBeforeMask().str());
            System.out.println("h: " + p.h().str());
            System.out.println("2 grad_h: " + p.gradH().str());
            System.out.println("grad_w1: " + p.gradW1().str());

            w1.sub_(p.gradW1().mul(learningRate));
            w2.sub_(p.gradW2().mul(learningRate));
        }
    }
}
