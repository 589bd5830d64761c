package dev.steptorch.nn;

import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.util.Arrays;

/**
 * Not a test: times one forward + backward of the CIFAR-10 tutorial's LeNet (3 input channels)
 * on a batch of 4 images of 3x32x32 on the CPU, after a warm-up that lets the JIT compile the
 * hot loops. Run with the test class path: {@code java dev.steptorch.nn.LeNetTiming [iterations]}.
 */
public final class LeNetTiming {
    private LeNetTiming() {
    }

    public static void main(String[] args) {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        Torch.manualSeed(0);
        BlitzNet net = new BlitzNet(3);
        Tensor images = Torch.randn(4, 3, 32, 32);
        for (int i = 0; i < 30; i++) {
            step(net, images);
        }
        long[] nanos = new long[iterations];
        for (int i = 0; i < iterations; i++) {
            long start = System.nanoTime();
            step(net, images);
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        System.out.printf("LeNet forward+backward, batch 4x3x32x32, CPU: median %.2f ms, min %.2f ms over %d runs%n",
                nanos[iterations / 2] / 1e6, nanos[0] / 1e6, iterations);
    }

    private static void step(Module net, Tensor images) {
        net.zeroGrad();
        net.call(images).sum().backward();
    }
}
