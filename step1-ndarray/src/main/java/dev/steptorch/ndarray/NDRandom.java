package dev.steptorch.ndarray;

import java.util.Random;

/**
 * A seedable source of random arrays, like NumPy's {@code np.random} module: after {@code
 * NumPy.random().seed(0)} the draws of {@code NumPy.random()} repeat, and separate instances give
 * independent, reproducible streams (for tests).
 */
public final class NDRandom {
    private Random random;

    public NDRandom(long seed) {
        random = new Random(seed);
    }

    public NDRandom() {
        random = new Random();
    }

    /** Restarts the stream from {@code seed}; returns this for chaining. */
    public NDRandom seed(long seed) {
        random = new Random(seed);
        return this;
    }

    /** Samples from the standard normal distribution, as {@code np.random.randn(*shape)}. */
    public NDArray randn(int... shape) {
        double[] data = new double[Shapes.size(shape)];
        for (int i = 0; i < data.length; i++) {
            data[i] = random.nextGaussian();
        }
        return NDArray.wrap(data, shape.clone());
    }

    /** Samples uniformly from [0, 1), as {@code np.random.rand(*shape)}. */
    public NDArray rand(int... shape) {
        double[] data = new double[Shapes.size(shape)];
        for (int i = 0; i < data.length; i++) {
            data[i] = random.nextDouble();
        }
        return NDArray.wrap(data, shape.clone());
    }

    /** Uniform integers in [low, high), as {@code np.random.randint(low, high, size)}. */
    public NDArray randint(long low, long high, int... shape) {
        if (high <= low) {
            throw new IllegalArgumentException("randint: low >= high (" + low + " >= " + high + ")");
        }
        long[] data = new long[Shapes.size(shape)];
        for (int i = 0; i < data.length; i++) {
            data[i] = low + (long) Math.floor(random.nextDouble() * (high - low));
        }
        return NDArray.wrap(data, shape.clone());
    }
}
