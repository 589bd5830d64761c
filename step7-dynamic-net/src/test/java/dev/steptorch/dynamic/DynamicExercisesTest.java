package dev.steptorch.dynamic;

import static dev.steptorch.tensor.ExerciseAssert.check;
import static dev.steptorch.tensor.ExerciseAssert.close;

import dev.steptorch.dynamic.graph.Graph;
import dev.steptorch.dynamic.graph.Session;
import dev.steptorch.dynamic.graph.Sym;
import dev.steptorch.nn.F;
import dev.steptorch.nn.Linear;
import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The graded tests of step 7's classroom exercises (exercises.txt, docs/teaching.md), one per exercise. */
class DynamicExercisesTest {
    private static final Options F64 = Options.dtype(DType.FLOAT64);

    private static Tensor layer(DynamicNet net, String name, Tensor x) {
        Linear l = (Linear) net.namedChildren().get(name);
        return F.linear(x, l.weight(), l.bias());
    }

    @Test
    void dynamicForward() {
        Torch.manualSeed(1);
        DynamicNet net = new DynamicNet(4, 5, 2, new Random(0));
        Tensor x = Torch.randn(3, 4);
        for (int repeats = 0; repeats <= 3; repeats++) {
            Tensor h = layer(net, "input_linear", x).clamp(0);
            for (int i = 0; i < repeats; i++) {
                h = layer(net, "middle_linear", h).clamp(0);
            }
            Tensor expected = layer(net, "output_linear", h);
            close("DynamicNet.forward(x, " + repeats + "): input_linear, ReLU, then middle_linear and ReLU " + repeats
                    + " time(s), then output_linear", net.forward(x, repeats), expected, 1e-6);
        }
        net.zeroGrad();
        net.forward(x, 0).sum().backward();
        check(net.middleLinear().weight().grad() == null,
                "with depth 0 the middle layer is not part of the graph, so middle_linear.weight.grad should stay None");
    }

    @Test
    void staticGradients() {
        Graph g = new Graph();
        Sym w = g.variable("w", () -> Torch.tensor(new double[] {1, -2, 0.5}, F64));
        Sym c = g.constant(Torch.tensor(new double[] {2, 2, 2}, F64));
        // loss = sum(w * w + 3 w + c * w): w is used four times
        Sym loss = w.mul(w).add(w.mul(3.0)).add(c.mul(w)).reduceSum();
        List<Sym> grads = g.gradients(loss, w, c);
        try (Session s = new Session(g)) {
            s.initializeVariables();
            List<Tensor> out = s.run(grads, Map.of());
            close("d loss / d w for loss = sum(w*w + 3w + c*w) at w = [1, -2, 0.5] (2w + 3 + c: every use of w adds)", out.get(0),
                    new double[] {7, 1, 6}, 1e-12);
            close("d loss / d c (= w)", out.get(1), new double[] {1, -2, 0.5}, 1e-12);
        }
    }

    @Test
    void staticEvaluate() {
        Graph g = new Graph();
        Sym x = g.placeholder("x", -1, 2);
        Sym w = g.variable("w", () -> Torch.tensor(new double[] {1, 2, 3, 4}, F64).view(2, 2));
        Sym z = x.matmul(w);
        Sym total = z.add(z).reduceSum();
        Sym update = w.assign(w.add(w));
        try (Session s = new Session(g)) {
            s.initializeVariables();
            Tensor xv = Torch.tensor(new double[] {1, 0, 0, 1}, F64).view(2, 2);
            List<Tensor> out = s.run(List.of(z, total), Map.of(x, xv));
            close("x.matmul(w) with x the identity fed to the placeholder", out.get(0), new double[] {1, 2, 3, 4}, 0);
            close("reduce_sum(z + z)", out.get(1), new double[] {20}, 0);
            s.run(update, Map.of());
            close("w after running w.assign(w + w)", s.value(w), new double[] {2, 4, 6, 8}, 0);
            close("x.matmul(w) in a new run sees the assigned w", s.run(z, Map.of(x, xv)), new double[] {2, 4, 6, 8}, 0);
        }
    }
}
