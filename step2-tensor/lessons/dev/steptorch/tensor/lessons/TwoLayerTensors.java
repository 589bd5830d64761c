package dev.steptorch.tensor.lessons;

import dev.steptorch.cli.Cli;
import dev.steptorch.ndarray.NDArray;
import dev.steptorch.ndarray.NumPy;
import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Device;
import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import dev.steptorch.tensor.opencl.OpenClStats;
import java.io.PrintStream;

/**
 * PyTorch: Tensors. The warm-up's two-layer ReLU network again, on tensors that can live on the GPU.
 *
 * <p>The course's second program, line for line: N, D_in, H, D_out = 64, 1000, 100, 10; random
 * float32 x, y and weights created on the chosen device; 500 steps of gradient descent with
 * learning rate 1e-6 and the backward pass still written by hand, printing {@code t loss} every
 * step. It runs on the GPU when {@link Device#isGpuAvailable()} says there is one, otherwise on the
 * CPU; {@code ./lesson TwoLayerTensors cpu} or {@code ... gpu} chooses. The training loop is a
 * static method so that the tests run this very code.
 */
public final class TwoLayerTensors {
    // N is batch size; D_in is input dimension; H is hidden dimension; D_out is output dimension.
    public static final int N = 64, D_IN = 1000, H = 100, D_OUT = 10;
    public static final double LEARNING_RATE = 1e-6;

    private TwoLayerTensors() {
    }

    public static void main(String[] args) {
        Device chosen = Cli.lesson(args, "TwoLayerTensors",
                "PyTorch: Tensors. The warm-up's two-layer ReLU network again, on tensors that can live on the GPU.",
                "./lesson TwoLayerTensors cpu",
                new Cli.Value("DEVICE", Device.class, "cpu or gpu; the GPU when there is one", null)).<Device>get(0);
        Device device = chosen != null ? chosen : Device.isGpuAvailable() ? Device.GPU : Device.CPU;
        // On stderr, so that stdout is exactly the course's output: one "t loss" line per step.
        System.err.println("device: " + device);
        OpenClStats.reset();
        train(device, 500, 0, System.out);
        if (device == Device.GPU) {
            System.err.println("between host and GPU: " + OpenClStats.summary());
        }
    }

    /**
     * Creates random data and weights on {@code device} from {@code seed}, then trains for
     * {@code iterations} steps; prints {@code t loss} per step to {@code out} (null: silent) and
     * returns the losses. Random numbers are drawn on the CPU, so a seed gives the same start on
     * every device.
     */
    public static double[] train(Device device, int iterations, long seed, PrintStream out) {
        Torch.manualSeed(seed);
        // dtype = torch.float; device = torch.device("cpu") or the GPU.
        Options options = Options.of(DType.FLOAT32, device);

        // Create random input and output data.
        Tensor x = Torch.randn(options, N, D_IN);
        Tensor y = Torch.randn(options, N, D_OUT);

        // Randomly initialise the weights.
        Tensor w1 = Torch.randn(options, D_IN, H);
        Tensor w2 = Torch.randn(options, H, D_OUT);

        double[] losses = new double[iterations];
        for (int t = 0; t < iterations; t++) {
            // Forward pass: compute predicted y.
            Tensor h = x.mm(w1);
            Tensor hRelu = h.clamp(0);                         // h.clamp(min=0), the ReLU
            Tensor yPred = hRelu.mm(w2);

            // Compute and print the loss. item() is the one value that comes back from the device.
            double loss = yPred.sub(y).pow(2).sum().item();
            losses[t] = loss;
            if (out != null) {
                out.println(t + " " + pythonFloat(loss));
            }

            // Backprop to compute the gradients of w1 and w2 with respect to the loss.
            Tensor gradYPred = yPred.sub(y).mul(2.0);
            Tensor gradW2 = hRelu.t().mm(gradYPred);
            Tensor gradHRelu = gradYPred.mm(w2.t());
            Tensor gradH = gradHRelu.clone();
            gradH.maskedFill_(h.lt(0), 0);                     // grad_h[h < 0] = 0
            Tensor gradW1 = x.t().mm(gradH);

            // Update the weights using gradient descent: w1 -= learning_rate * grad_w1.
            w1.sub_(gradW1.mul(LEARNING_RATE));
            w2.sub_(gradW2.mul(LEARNING_RATE));
        }
        return losses;
    }

    /**
     * The text Python's {@code print} gives a float: the shortest digits that read back the same.
     * A 0-d float64 NDArray prints exactly that, as NumPy does.
     */
    static String pythonFloat(double value) {
        return NumPy.scalar(value).str();
    }
}
