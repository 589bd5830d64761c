package dev.steptorch.dynamic.lessons;

import dev.steptorch.cli.Cli;
import dev.steptorch.dynamic.graph.Graph;
import dev.steptorch.dynamic.graph.Session;
import dev.steptorch.dynamic.graph.Sym;
import dev.steptorch.ndarray.NumPy;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * TensorFlow: static graphs. The two-layer network declared once as a graph, then run 500 times.
 *
 * <p>Nothing is computed while the graph is built: {@code x.matmul(w1)} only adds a node. The
 * gradients are nodes too, derived from the graph before any data exists, and the weight update
 * is part of the graph ({@code w1.assign(...)}), whereas in PyTorch it happens outside the graph.
 * Printing the graph shows everything that every run will execute.
 */
public final class StaticGraphLesson {
    public static final int N = 64, D_IN = 1000, H = 100, D_OUT = 10;

    private StaticGraphLesson() {
    }

    public static void main(String[] args) {
        boolean printGraph = Cli.lesson(args, "StaticGraphLesson",
                "TensorFlow: static graphs. The two-layer network declared once as a graph, then run 500 times.",
                "./lesson StaticGraphLesson --print-graph",
                new Cli.Value("--print-graph", boolean.class, "print the graph before running it", "false")).<Boolean>get(0);
        train(500, 0, System.out, printGraph);
    }

    public static double[] train(int iterations, long seed, PrintStream out, boolean printGraph) {
        Torch.manualSeed(seed);
        Graph g = new Graph();

        // Placeholders are filled with real data on every run; -1 is TensorFlow's None.
        Sym x = g.placeholder("x", -1, D_IN);
        Sym y = g.placeholder("y", -1, D_OUT);

        // Variables keep their values between runs; the session initialises them.
        Sym w1 = g.variable("w1", () -> Torch.randn(D_IN, H));
        Sym w2 = g.variable("w2", () -> Torch.randn(H, D_OUT));

        // The forward pass: only nodes are created here.
        Sym h = x.matmul(w1);
        Sym hRelu = h.maximum(g.constant(Torch.zeros(1)));
        Sym yPred = hRelu.matmul(w2);
        Sym loss = y.sub(yPred).pow(2.0).reduceSum();

        // Gradient nodes, derived symbolically from the graph above.
        List<Sym> grads = g.gradients(loss, w1, w2);

        // The update is part of the graph.
        double learningRate = 1e-6;
        Sym newW1 = w1.assign(w1.sub(grads.get(0).mul(learningRate)));
        Sym newW2 = w2.assign(w2.sub(grads.get(1).mul(learningRate)));
        if (printGraph && out != null) {
            out.println(g);
        }

        double[] losses = new double[iterations];
        try (Session session = new Session(g)) {
            session.initializeVariables();
            Tensor xValue = Torch.randn(N, D_IN);
            Tensor yValue = Torch.randn(N, D_OUT);
            for (int t = 0; t < iterations; t++) {
                // Run the same graph again, binding new (here: the same) data to the placeholders.
                List<Tensor> values = session.run(List.of(loss, newW1, newW2), Map.of(x, xValue, y, yValue));
                losses[t] = values.get(0).item();
                if (out != null) {
                    out.println(NumPy.scalar(losses[t]).str());
                }
            }
        }
        return losses;
    }
}
