package dev.steptorch.nn.lessons;

import dev.steptorch.cli.Cli;
import dev.steptorch.ndarray.NumPy;
import dev.steptorch.nn.Conv2d;
import dev.steptorch.nn.F;
import dev.steptorch.nn.Linear;
import dev.steptorch.nn.MSELoss;
import dev.steptorch.nn.Module;
import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.GradFn;
import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.io.PrintStream;
import java.util.List;

/**
 * The blitz's "Neural Networks": LeNet on a 1x32x32 image, its parameters, a loss, its graph, and backprop.
 *
 * <p>The network is the blitz's {@code Net}: two convolutions, each followed by ReLU and 2x2 max
 * pooling, then three Linear layers. Its layers are fields, as in Python, but each is also
 * registered under its name, because that is how {@code parameters()}, {@code print(net)} and
 * the state_dict find them. The lesson then follows the blitz cell by cell: print the net, count
 * its parameters, run one forward pass, backpropagate random gradients, compute an MSE loss
 * against a random target, walk the graph back from the loss, watch {@code conv1.bias.grad}
 * change with {@code backward()}, and update the weights by hand.
 */
public final class BlitzNet {
    public static final double LEARNING_RATE = 0.01;

    private BlitzNet() {
    }

    /** The blitz's LeNet, for 1-channel 32x32 inputs. */
    public static final class Net extends Module {
        // Fields for reading the forward pass; registration is what makes them part of the module.
        private final Conv2d conv1 = registerModule("conv1", new Conv2d(1, 6, 5));
        private final Conv2d conv2 = registerModule("conv2", new Conv2d(6, 16, 5));
        private final Linear fc1 = registerModule("fc1", new Linear(16 * 5 * 5, 120));
        private final Linear fc2 = registerModule("fc2", new Linear(120, 84));
        private final Linear fc3 = registerModule("fc3", new Linear(84, 10));

        public Conv2d conv1() {
            return conv1;
        }

        @Override
        public Tensor forward(Tensor x) {
            // Max pooling over a 2x2 window; a square window can also be given by one number.
            x = F.maxPool2d(F.relu(conv1.call(x)), new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0});
            x = F.maxPool2d(F.relu(conv2.call(x)), 2);
            x = x.view(-1, numFlatFeatures(x));
            x = F.relu(fc1.call(x));
            x = F.relu(fc2.call(x));
            return fc3.call(x);
        }

        /** All dimensions except the batch dimension, multiplied. */
        private static int numFlatFeatures(Tensor x) {
            int n = 1;
            for (int d = 1; d < x.dim(); d++) {
                n *= x.size(d);
            }
            return n;
        }
    }

    public static void main(String[] args) {
        Cli.lesson(args, "BlitzNet",
                "The blitz's \"Neural Networks\": LeNet on a 1x32x32 image, its parameters, a loss, its graph, and backprop.",
                "./lesson BlitzNet");
        run(0, System.out);
    }

    /** Runs the whole tour with random numbers drawn from {@code seed}; returns the net for inspection. */
    public static Net run(long seed, PrintStream out) {
        Torch.manualSeed(seed);
        Net net = new Net();
        out.println(net);

        // The learnable parameters: a weight and a bias for each of the five layers.
        List<Tensor> params = net.parameters();
        out.println(params.size());
        out.println(params.get(0).size()); // conv1's weight

        // nn only takes mini-batches: one image is a batch of one, [1, 1, 32, 32].
        Tensor input = Torch.randn(1, 1, 32, 32);
        Tensor out1 = net.call(input);
        out.println(out1);

        // Zero the gradient buffers of all parameters, then backprop random gradients.
        net.zeroGrad();
        out1.backward(Torch.randn(1, 10));

        // A loss: the mean squared error between the output and a made-up target of the same shape.
        // The blitz translation's target, torch.range(1, 10), counts 1..10 with both ends included;
        // torch.range is gone, and arange(1., 11.) leaves the end out. With outputs near 0 the loss
        // is near (1 + 4 + ... + 100) / 10 = 38.5, the translation's printed 38.5849.
        Tensor output = net.call(input);
        Tensor target = Torch.arange(1, 11, 1, Options.dtype(DType.FLOAT32)).view(1, -1);
        MSELoss criterion = new MSELoss();
        Tensor loss = criterion.call(output, target);
        out.println(loss);

        // Following grad_fn back from the loss: MSELoss, then the last Linear, then what fed it.
        GradFn fn = loss.gradFn();
        for (int level = 0; level < 3 && fn != null; level++) {
            out.println(fn);
            List<GradFn> next = fn.nextFunctions();
            fn = next.isEmpty() ? null : next.get(0);
        }

        // backward() accumulates into .grad, so clear the gradients first.
        net.zeroGrad();
        out.println("conv1.bias.grad before backward");
        out.println(net.conv1().bias().grad());
        loss.backward();
        out.println("conv1.bias.grad after backward");
        out.println(net.conv1().bias().grad());

        // The simplest update rule, SGD: weight = weight - learning_rate * gradient. Through .data,
        // so that the update itself is not recorded.
        for (Tensor f : net.parameters()) {
            f.data().sub_(f.grad().mul(LEARNING_RATE));
        }
        Tensor after = criterion.call(net.call(input), target);
        out.println("loss after one update: " + NumPy.scalar(after.item()).str());
        return net;
    }
}
