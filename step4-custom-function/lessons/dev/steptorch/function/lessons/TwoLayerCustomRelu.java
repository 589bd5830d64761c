package dev.steptorch.function.lessons;

import dev.steptorch.autograd.lessons.TwoLayerAutograd;
import dev.steptorch.cli.Cli;
import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Device;
import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.io.PrintStream;

/**
 * PyTorch: defining new autograd functions. The two-layer network with our own MyReLU Function.
 *
 * <p>Each built-in op is a pair of functions, forward and backward; {@link MyReLU} is such a pair
 * written by hand. Its forward runs without recording, and {@code apply} puts a single node,
 * {@code MyReLUBackward}, into the graph in place of the clamp's. The training loop is step3's,
 * unchanged: only the ReLU differs.
 */
public final class TwoLayerCustomRelu {
    private TwoLayerCustomRelu() {
    }

    public static void main(String[] args) {
        Device chosen = Cli.lesson(args, "TwoLayerCustomRelu",
                "PyTorch: defining new autograd functions. The two-layer network with our own MyReLU Function.",
                "./lesson TwoLayerCustomRelu cpu",
                new Cli.Value("DEVICE", Device.class, "cpu or gpu; the GPU when there is one", null)).<Device>get(0);
        Device device = chosen != null ? chosen : Device.isGpuAvailable() ? Device.GPU : Device.CPU;
        System.err.println("device: " + device);
        train(device, 500, 0, System.out);
    }

    public static double[] train(Device device, int iterations, long seed, PrintStream out) {
        Torch.manualSeed(seed);
        Options options = Options.of(DType.FLOAT32, device);
        Tensor x = Torch.randn(options, TwoLayerAutograd.N, TwoLayerAutograd.D_IN);
        Tensor y = Torch.randn(options, TwoLayerAutograd.N, TwoLayerAutograd.D_OUT);
        Tensor w1 = Torch.randn(options.withRequiresGrad(true), TwoLayerAutograd.D_IN, TwoLayerAutograd.H);
        Tensor w2 = Torch.randn(options.withRequiresGrad(true), TwoLayerAutograd.H, TwoLayerAutograd.D_OUT);

        // y_pred = MyReLU.apply(x.mm(w1)).mm(w2), inside the same loop as before.
        return TwoLayerAutograd.loop(x, y, w1, w2, iterations, out, MyReLU::relu);
    }
}
