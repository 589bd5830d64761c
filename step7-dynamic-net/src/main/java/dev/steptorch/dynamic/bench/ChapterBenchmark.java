package dev.steptorch.dynamic.bench;

import dev.steptorch.autograd.GradMode;
import dev.steptorch.cli.Cli;
import dev.steptorch.dynamic.DynamicNet;
import dev.steptorch.dynamic.graph.Graph;
import dev.steptorch.dynamic.graph.Session;
import dev.steptorch.dynamic.graph.Sym;
import dev.steptorch.nn.Linear;
import dev.steptorch.nn.MSELoss;
import dev.steptorch.nn.Module;
import dev.steptorch.nn.ReLU;
import dev.steptorch.nn.Reduction;
import dev.steptorch.nn.Sequential;
import dev.steptorch.optim.Adam;
import dev.steptorch.optim.Optimizer;
import dev.steptorch.optim.SGD;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import dev.steptorch.tensor.bench.BackgroundWarmup;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The in-loop time of the seed programs of steps 5 to 7 at the course's sizes, each round a fresh
 * start after warm-up rounds of 4 seconds at least. Prints {@code loop_ms_per_iter NAME MS}; bench/run.sh puts the
 * figures beside those of chapters_torch.py, which runs the same loops in PyTorch.
 *
 * <p>DynamicNet's depth follows t mod 4 here, on both sides, rather than a random draw, so that
 * the two sides do the same work.
 *
 * <p>Usage: ChapterBenchmark [rounds] [iterations per round]
 */
public final class ChapterBenchmark {
    static final int N = 64, D_IN = 1000, H = 100, D_OUT = 10;

    private ChapterBenchmark() {
    }

    /** One program: set up from a seed, then {@link #run} the timed loop and return the losses. */
    interface Program {
        double[] run(long seed, int iterations, Timer timer);
    }

    /** Starts the clock just before the loop, so that set-up is not counted. */
    static final class Timer {
        long start;

        void start() {
            start = System.nanoTime();
        }
    }

    public static void main(String[] args) {
        Cli.Values v = Cli.lesson(args, "ChapterBenchmark", "Times the programs of the course's nn, optim, custom-module "
                + "and dynamic-net chapters, to set beside bench/chapters_torch.py.", "ChapterBenchmark 5 500",
                new Cli.Value("ROUNDS", int.class, "timed rounds; the median is reported", "5"),
                new Cli.Value("ITERATIONS", int.class, "iterations per round", "500"));
        int rounds = Cli.positive(v.get(0), "ChapterBenchmark", "ROUNDS");
        int iterations = Cli.positive(v.get(1), "ChapterBenchmark", "ITERATIONS");
        BackgroundWarmup.await(); // time the kernels, not the warm-up thread beside them
        report("nn_sequential_manual", ChapterBenchmark::nnSequentialManual, rounds, iterations);
        report("optim_adam", ChapterBenchmark::optimAdam, rounds, iterations);
        report("custom_module_sgd", ChapterBenchmark::customModuleSgd, rounds, iterations);
        report("dynamic_net", ChapterBenchmark::dynamicNet, rounds, iterations);
        report("static_graph", ChapterBenchmark::staticGraph, rounds, iterations);
    }

    static void report(String name, Program program, int rounds, int iterations) {
        System.out.printf("loop_ms_per_iter %s %.4f%n", name, loop(name, program, rounds, iterations));
        System.out.flush();
    }

    /** Median over rounds (seeds 1, 2, ...), after warm-up rounds (seed 0) of at least {@link BackgroundWarmup#MIN_WARMUP_NANOS}. */
    static double loop(String name, Program program, int rounds, int iterations) {
        long warm = System.nanoTime() + BackgroundWarmup.MIN_WARMUP_NANOS;
        do {
            round(name, program, 0, iterations);
        } while (System.nanoTime() < warm);
        double[] ms = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            ms[r] = round(name, program, r + 1, iterations);
        }
        Arrays.sort(ms);
        return ms[rounds / 2];
    }

    /** One round from the given seed: ms per iteration. */
    private static double round(String name, Program program, int seed, int iterations) {
        Timer timer = new Timer();
        double[] losses = program.run(seed, iterations, timer);
        long elapsed = System.nanoTime() - timer.start;
        if (!(losses[iterations - 1] < losses[0])) {
            throw new IllegalStateException(name + ": the loss did not fall in the round from seed " + seed);
        }
        return elapsed / 1e6 / iterations;
    }

    private static Sequential sequential() {
        return new Sequential(new Linear(D_IN, H), new ReLU(), new Linear(H, D_OUT));
    }

    /** Step 5's nn program: the update written by hand. */
    static double[] nnSequentialManual(long seed, int iterations, Timer timer) {
        Torch.manualSeed(seed);
        Tensor x = Torch.randn(N, D_IN);
        Tensor y = Torch.randn(N, D_OUT);
        Sequential model = sequential();
        MSELoss lossFn = new MSELoss(Reduction.SUM);
        double learningRate = 1e-4;
        double[] losses = new double[iterations];
        timer.start();
        for (int t = 0; t < iterations; t++) {
            Tensor loss = lossFn.call(model.call(x), y);
            losses[t] = loss.item();
            model.zeroGrad();
            loss.backward();
            try (var ignored = GradMode.noGrad()) {
                for (Tensor param : model.parameters()) {
                    param.sub_(param.grad().mul(learningRate));
                }
            }
        }
        return losses;
    }

    static double[] withOptimizer(Module model, Optimizer optimizer, Tensor x, Tensor y, int iterations, Timer timer,
                                  boolean cycleDepth) {
        MSELoss lossFn = new MSELoss(Reduction.SUM);
        double[] losses = new double[iterations];
        timer.start();
        for (int t = 0; t < iterations; t++) {
            Tensor yPred = cycleDepth ? ((DynamicNet) model).forward(x, t % 4) : model.call(x);
            Tensor loss = lossFn.call(yPred, y);
            losses[t] = loss.item();
            optimizer.zeroGrad();
            loss.backward();
            optimizer.step();
        }
        return losses;
    }

    /** Step 6's optim program. */
    static double[] optimAdam(long seed, int iterations, Timer timer) {
        Torch.manualSeed(seed);
        Tensor x = Torch.randn(N, D_IN);
        Tensor y = Torch.randn(N, D_OUT);
        Sequential model = sequential();
        return withOptimizer(model, new Adam(model.parameters(), Adam.defaults().lr(1e-4)), x, y, iterations, timer, false);
    }

    /** Step 5's custom nn.Module. */
    static final class TwoLayerNet extends Module {
        private final Linear linear1;
        private final Linear linear2;

        TwoLayerNet(int dIn, int h, int dOut) {
            linear1 = registerModule("linear1", new Linear(dIn, h));
            linear2 = registerModule("linear2", new Linear(h, dOut));
        }

        @Override
        public Tensor forward(Tensor x) {
            return linear2.call(linear1.call(x).clamp(0));
        }
    }

    static double[] customModuleSgd(long seed, int iterations, Timer timer) {
        Torch.manualSeed(seed);
        Tensor x = Torch.randn(N, D_IN);
        Tensor y = Torch.randn(N, D_OUT);
        TwoLayerNet model = new TwoLayerNet(D_IN, H, D_OUT);
        return withOptimizer(model, new SGD(model.parameters(), SGD.defaults().lr(1e-4)), x, y, iterations, timer, false);
    }

    static double[] dynamicNet(long seed, int iterations, Timer timer) {
        Torch.manualSeed(seed);
        Tensor x = Torch.randn(N, D_IN);
        Tensor y = Torch.randn(N, D_OUT);
        DynamicNet model = new DynamicNet(D_IN, H, D_OUT, new Random(seed));
        SGD optimizer = new SGD(model.parameters(), SGD.defaults().lr(1e-4).momentum(0.9));
        return withOptimizer(model, optimizer, x, y, iterations, timer, true);
    }

    /** Step 7's TensorFlow program, the lesson's graph run in a Session. */
    static double[] staticGraph(long seed, int iterations, Timer timer) {
        Torch.manualSeed(seed);
        Graph g = new Graph();
        Sym x = g.placeholder("x", -1, D_IN);
        Sym y = g.placeholder("y", -1, D_OUT);
        Sym w1 = g.variable("w1", () -> Torch.randn(D_IN, H));
        Sym w2 = g.variable("w2", () -> Torch.randn(H, D_OUT));
        Sym hRelu = x.matmul(w1).maximum(g.constant(Torch.zeros(1)));
        Sym loss = y.sub(hRelu.matmul(w2)).pow(2.0).reduceSum();
        List<Sym> grads = g.gradients(loss, w1, w2);
        double learningRate = 1e-6;
        Sym newW1 = w1.assign(w1.sub(grads.get(0).mul(learningRate)));
        Sym newW2 = w2.assign(w2.sub(grads.get(1).mul(learningRate)));
        double[] losses = new double[iterations];
        try (Session session = new Session(g)) {
            session.initializeVariables();
            Map<Sym, Tensor> feed = Map.of(x, Torch.randn(N, D_IN), y, Torch.randn(N, D_OUT));
            List<Sym> fetches = List.of(loss, newW1, newW2);
            timer.start();
            for (int t = 0; t < iterations; t++) {
                losses[t] = session.run(fetches, feed).get(0).item();
            }
        }
        return losses;
    }
}
