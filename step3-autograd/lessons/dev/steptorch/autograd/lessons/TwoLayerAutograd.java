package dev.steptorch.autograd.lessons;

import dev.steptorch.autograd.GradMode;
import dev.steptorch.cli.Cli;
import dev.steptorch.ndarray.NumPy;
import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Device;
import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.io.PrintStream;
import java.util.function.UnaryOperator;

/**
 * PyTorch: Tensors and autograd. The same two-layer network, but loss.backward() computes the gradients.
 *
 * <p>Compared with step2's lesson the backward pass is gone: the weights are created with
 * {@code requiresGrad}, every op on them records a node, and {@code loss.backward()} walks the
 * recorded graph. The update runs under {@code GradMode.noGrad()}, because the update itself must
 * not become part of the next iteration's graph, and the gradients are zeroed afterwards because
 * backward adds into {@code grad()}. {@code ./lesson TwoLayerAutograd cpu} or {@code gpu} picks
 * the device; by default the GPU is used when there is one.
 */
public final class TwoLayerAutograd {
    public static final int N = 64, D_IN = 1000, H = 100, D_OUT = 10;
    public static final double LEARNING_RATE = 1e-6;

    private TwoLayerAutograd() {
    }

    public static void main(String[] args) {
        Device chosen = Cli.lesson(args, "TwoLayerAutograd",
                "PyTorch: Tensors and autograd. The same two-layer network, but loss.backward() computes the gradients.",
                "./lesson TwoLayerAutograd cpu",
                new Cli.Value("DEVICE", Device.class, "cpu or gpu; the GPU when there is one", null)).<Device>get(0);
        Device device = chosen != null ? chosen : Device.isGpuAvailable() ? Device.GPU : Device.CPU;
        System.err.println("device: " + device);
        train(device, 500, 0, System.out);
    }

    /** Trains from random data and weights drawn with {@code seed}; prints {@code t loss} to {@code out} unless null. */
    public static double[] train(Device device, int iterations, long seed, PrintStream out) {
        Torch.manualSeed(seed);
        Options options = Options.of(DType.FLOAT32, device);

        // Inputs and targets need no gradient: requires_grad is false by default.
        Tensor x = Torch.randn(options, N, D_IN);
        Tensor y = Torch.randn(options, N, D_OUT);

        // The weights do: every op that uses them will be recorded for backward.
        Tensor w1 = Torch.randn(options.withRequiresGrad(true), D_IN, H);
        Tensor w2 = Torch.randn(options.withRequiresGrad(true), H, D_OUT);
        return loop(x, y, w1, w2, iterations, out, h -> h.clamp(0));
    }

    /**
     * The training loop itself, with the ReLU passed in so that step4's custom-ReLU lesson runs the
     * very same loop. Returns the loss of every iteration.
     */
    public static double[] loop(Tensor x, Tensor y, Tensor w1, Tensor w2, int iterations, PrintStream out,
                                UnaryOperator<Tensor> relu) {
        double[] losses = new double[iterations];
        for (int t = 0; t < iterations; t++) {
            // Forward pass: the same ops as before, now each leaving a node in the graph.
            Tensor yPred = relu.apply(x.mm(w1)).mm(w2);

            // The loss is a one-element tensor; item() reads its value.
            Tensor loss = yPred.sub(y).pow(2).sum();
            losses[t] = loss.item();
            if (out != null) {
                out.println(t + " " + NumPy.scalar(losses[t]).str()); // Python's repr of the float
            }

            // Backward pass: fills w1.grad() and w2.grad() with d(loss)/d(w).
            loss.backward();

            // Gradient descent on the weights, not recorded: w -= learning_rate * w.grad.
            try (var ignored = GradMode.noGrad()) {
                w1.sub_(w1.grad().mul(LEARNING_RATE));
                w2.sub_(w2.grad().mul(LEARNING_RATE));

                // backward() adds into grad(), so clear it for the next iteration.
                w1.grad().zero_();
                w2.grad().zero_();
            }
        }
        return losses;
    }
}
