package dev.steptorch.function.bench;

import dev.steptorch.autograd.lessons.TwoLayerAutograd;
import dev.steptorch.cli.Cli;
import dev.steptorch.function.lessons.MyReLU;
import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import dev.steptorch.tensor.bench.BackgroundWarmup;
import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * The in-loop time of the course's autograd two-layer loop and of its custom-ReLU variant (the
 * lessons' own loop, at the course's sizes), and the cost autograd adds to one small op.
 * Prints {@code loop_ms_per_iter NAME MS} and {@code overhead_us NAME US}; bench/run.sh puts the
 * figures beside PyTorch's.
 *
 * <p>Usage: AutogradBenchmark [rounds] [iterations per round]
 */
public final class AutogradBenchmark {
    private AutogradBenchmark() {
    }

    public static void main(String[] args) {
        Cli.Values v = Cli.lesson(args, "AutogradBenchmark", "Times the two-layer loop with autograd's clamp and with "
                + "the custom MyReLU, and the autograd overhead of one add.", "AutogradBenchmark 5 500",
                new Cli.Value("ROUNDS", int.class, "timed rounds; the median is reported", "5"),
                new Cli.Value("ITERATIONS", int.class, "iterations per round", "500"));
        int rounds = Cli.positive(v.get(0), "AutogradBenchmark", "ROUNDS");
        int iterations = Cli.positive(v.get(1), "AutogradBenchmark", "ITERATIONS");
        BackgroundWarmup.await(); // time the kernels, not the warm-up thread beside them
        System.out.printf("loop_ms_per_iter autograd %.4f%n", loop(h -> h.clamp(0), rounds, iterations));
        System.out.printf("loop_ms_per_iter custom_relu %.4f%n", loop(MyReLU::relu, rounds, iterations));
        System.out.printf("overhead_us add %.3f%n", overhead(rounds));
    }

    /**
     * Median over rounds of ms per iteration, each round a fresh start (as the lesson), after
     * warm-up rounds of at least {@link BackgroundWarmup#MIN_WARMUP_NANOS}.
     */
    static double loop(UnaryOperator<Tensor> relu, int rounds, int iterations) {
        long warm = System.nanoTime() + BackgroundWarmup.MIN_WARMUP_NANOS;
        do {
            round(relu, 0, iterations);
        } while (System.nanoTime() < warm);
        double[] ms = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            ms[r] = round(relu, r + 1, iterations);
        }
        return median(ms);
    }

    /** One round from the given seed: ms per iteration. */
    private static double round(UnaryOperator<Tensor> relu, int seed, int iterations) {
        Torch.manualSeed(seed);
        Tensor x = Torch.randn(TwoLayerAutograd.N, TwoLayerAutograd.D_IN);
        Tensor y = Torch.randn(TwoLayerAutograd.N, TwoLayerAutograd.D_OUT);
        Options grad = Options.requiresGrad(true);
        Tensor w1 = Torch.randn(grad, TwoLayerAutograd.D_IN, TwoLayerAutograd.H);
        Tensor w2 = Torch.randn(grad, TwoLayerAutograd.H, TwoLayerAutograd.D_OUT);
        long start = System.nanoTime();
        double[] losses = TwoLayerAutograd.loop(x, y, w1, w2, iterations, null, relu);
        long elapsed = System.nanoTime() - start;
        if (!(losses[iterations - 1] < losses[0])) {
            throw new IllegalStateException("the loss did not fall in the round from seed " + seed);
        }
        return elapsed / 1e6 / iterations;
    }

    /**
     * Microseconds that recording adds to {@code a.add(b)} on 1x1 tensors: the same add with and
     * without an input that requires grad, plus the backward through it, minus the plain add.
     */
    static double overhead(int rounds) {
        Tensor a = Torch.ones(Options.requiresGrad(true), 1, 1);
        Tensor plain = Torch.ones(1, 1);
        Tensor b = Torch.ones(1, 1);
        int calls = 20000;
        double[] us = new double[rounds];
        for (int r = -2; r < rounds; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                plain.add(b);
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                a.add(b);
            }
            long t2 = System.nanoTime();
            if (r >= 0) {
                us[r] = ((t2 - t1) - (t1 - t0)) / 1e3 / calls;
            }
        }
        return median(us);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
