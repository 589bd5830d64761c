package dev.steptorch.tensor;

import java.util.Random;

/**
 * The one random generator behind rand/randn, always drawn on the CPU so that a seed gives the
 * same numbers on every device ({@code torch.manual_seed}). The sequence is Java's, not PyTorch's.
 */
final class TensorRandom {
    private static Random generator = new Random();

    private TensorRandom() {
    }

    static synchronized void manualSeed(long seed) {
        generator = new Random(seed);
    }

    static synchronized Tensor uniform(int[] shape, DType dtype, double from, double to) {
        Tensor t = Dispatcher.belowAutograd(Device.CPU).empty(shape, DType.FLOAT64);
        double[] d = (double[]) ((dev.steptorch.tensor.cpu.CpuStorage) t.storage()).array();
        for (int i = 0; i < d.length; i++) {
            double u = dtype == DType.FLOAT32 ? generator.nextFloat() : generator.nextDouble();
            d[i] = dtype.isFloatingPoint() ? from + (to - from) * u : Math.floor(from + (to - from) * u);
        }
        return t;
    }

    static synchronized Tensor normal(int[] shape, DType dtype, double mean, double std) {
        Tensor t = Dispatcher.belowAutograd(Device.CPU).empty(shape, DType.FLOAT64);
        double[] d = (double[]) ((dev.steptorch.tensor.cpu.CpuStorage) t.storage()).array();
        for (int i = 0; i < d.length; i++) {
            d[i] = mean + std * generator.nextGaussian();
        }
        return t;
    }
}
