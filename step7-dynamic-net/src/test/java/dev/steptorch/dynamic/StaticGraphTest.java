package dev.steptorch.dynamic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steptorch.autograd.GradMode;
import dev.steptorch.dynamic.graph.Graph;
import dev.steptorch.dynamic.graph.Session;
import dev.steptorch.dynamic.graph.Sym;
import dev.steptorch.dynamic.lessons.StaticGraphLesson;
import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Device;
import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The static graph must compute what eager autograd computes, and behave as TensorFlow 1's
 * sessions do: assignments land when a run ends, placeholders must be fed with fitting shapes.
 */
class StaticGraphTest {
    private static final Options F64 = Options.of(DType.FLOAT64, Device.CPU);

    /** The lesson's two-layer network plus a broadcast bias, so that gradients must also undo broadcasting. */
    private record TwoLayer(Graph graph, Sym x, Sym y, Sym w1, Sym b1, Sym w2, Sym loss, List<Sym> grads) {
        static TwoLayer build(Tensor w1, Tensor b1, Tensor w2) {
            Graph g = new Graph();
            Sym x = g.placeholder("x", -1, w1.size(0));
            Sym y = g.placeholder("y", -1, w2.size(1));
            Sym vw1 = g.variable("w1", w1::clone);
            Sym vb1 = g.variable("b1", b1::clone);
            Sym vw2 = g.variable("w2", w2::clone);
            Sym hRelu = x.matmul(vw1).add(vb1).maximum(g.constant(Torch.zeros(F64, 1)));
            Sym loss = y.sub(hRelu.matmul(vw2)).pow(2.0).reduceSum();
            return new TwoLayer(g, x, y, vw1, vb1, vw2, loss, g.gradients(loss, vw1, vb1, vw2));
        }
    }

    private static void assertClose(Tensor actual, Tensor expected) {
        assertThat(actual.shape()).isEqualTo(expected.shape());
        double scale = Math.max(1, expected.abs().max().item());
        assertThat(actual.sub(expected).abs().max().item()).isLessThanOrEqualTo(1e-10 * scale);
    }

    @Property(tries = 30)
    void sessionMatchesEagerAutograd(@ForAll @IntRange(min = 1, max = 6) int n, @ForAll @IntRange(min = 1, max = 7) int dIn,
                                     @ForAll @IntRange(min = 1, max = 6) int h, @ForAll @IntRange(min = 1, max = 4) int dOut,
                                     @ForAll long seed) {
        Torch.manualSeed(seed);
        Tensor x = Torch.randn(F64, n, dIn);
        Tensor y = Torch.randn(F64, n, dOut);
        Tensor w1 = Torch.randn(F64, dIn, h);
        Tensor b1 = Torch.randn(F64, h);
        Tensor w2 = Torch.randn(F64, h, dOut);

        TwoLayer net = TwoLayer.build(w1, b1, w2);
        List<Tensor> staticValues;
        try (Session session = new Session(net.graph())) {
            session.initializeVariables();
            staticValues = session.run(List.of(net.loss(), net.grads().get(0), net.grads().get(1), net.grads().get(2)),
                    Map.of(net.x(), x, net.y(), y));
        }

        Tensor ew1 = w1.clone().requiresGrad_(true);
        Tensor eb1 = b1.clone().requiresGrad_(true);
        Tensor ew2 = w2.clone().requiresGrad_(true);
        Tensor hRelu = x.mm(ew1).add(eb1).maximum(Torch.zeros(F64, 1));
        Tensor loss = y.sub(hRelu.mm(ew2)).pow(2.0).sum();
        loss.backward();

        assertClose(staticValues.get(0), loss.detach());
        assertClose(staticValues.get(1), ew1.grad());
        assertClose(staticValues.get(2), eb1.grad());
        assertClose(staticValues.get(3), ew2.grad());
    }

    /** The lesson's losses against eager autograd started from the same initial values (same draw order). */
    @Example
    void lessonLossFallsLikeEagerAutograd() {
        long seed = 0;
        int steps = 10;
        double[] staticLosses = StaticGraphLesson.train(steps, seed, null, false);

        Torch.manualSeed(seed);
        Tensor w1 = Torch.randn(StaticGraphLesson.D_IN, StaticGraphLesson.H).requiresGrad_(true);
        Tensor w2 = Torch.randn(StaticGraphLesson.H, StaticGraphLesson.D_OUT).requiresGrad_(true);
        Tensor x = Torch.randn(StaticGraphLesson.N, StaticGraphLesson.D_IN);
        Tensor y = Torch.randn(StaticGraphLesson.N, StaticGraphLesson.D_OUT);
        for (int t = 0; t < steps; t++) {
            Tensor loss = y.sub(x.mm(w1).maximum(Torch.zeros(1)).mm(w2)).pow(2.0).sum();
            double eager = loss.item();
            assertThat(staticLosses[t]).as("loss %d", t).isCloseTo(eager, org.assertj.core.data.Offset.offset(1e-4 * eager));
            loss.backward();
            try (var ignored = GradMode.noGrad()) {
                w1.sub_(w1.grad().mul(1e-6));
                w2.sub_(w2.grad().mul(1e-6));
                w1.grad().zero_();
                w2.grad().zero_();
            }
        }
        assertThat(staticLosses[steps - 1]).isLessThan(staticLosses[0]);
    }

    /**
     * A session computes each node into the tensor it left dead in an earlier run. So its runs
     * must give, bit for bit, what a fresh session gives from the same variable values, whatever
     * is fetched and however many rows are fed, and it must never write into a tensor a caller
     * holds: a fetched value (a fetched transpose too, which is a view of its input's memory), a
     * variable's value, a fed tensor.
     */
    @Property(tries = 25)
    void reusedMemoryLeavesWhatCallersHoldAlone(@ForAll @IntRange(min = 1, max = 5) int dIn, @ForAll @IntRange(min = 1, max = 5) int h,
                                                @ForAll @IntRange(min = 1, max = 3) int dOut, @ForAll long seed) {
        Random r = new Random(seed);
        Torch.manualSeed(seed);
        Stepped net = Stepped.build(Torch.randn(F64, dIn, h), Torch.randn(F64, h), Torch.randn(F64, h, dOut));
        List<Tensor[]> held = new ArrayList<>(); // a tensor a caller holds, and a copy of what it held then
        try (Session session = new Session(net.graph())) {
            session.initializeVariables();
            for (int run = 0; run < 6; run++) {
                Stepped fresh = Stepped.build(session.value(net.variables().get(0)), session.value(net.variables().get(1)),
                        session.value(net.variables().get(2)));
                net.variables().forEach(v -> held.add(new Tensor[] {session.value(v), session.value(v).clone()}));
                int n = 1 + r.nextInt(4);
                Tensor x = Torch.randn(F64, n, dIn);
                Tensor y = Torch.randn(F64, n, dOut);
                held.add(new Tensor[] {x, x.clone()});
                List<Integer> picked = new ArrayList<>();
                for (int i = 0; i < net.fetchable().size(); i++) {
                    if (r.nextBoolean()) {
                        picked.add(i);
                    }
                }
                Collections.shuffle(picked, r);
                if (picked.isEmpty()) {
                    picked.add(0);
                }
                List<Tensor> got = session.run(picked.stream().map(net.fetchable()::get).toList(), Map.of(net.x(), x, net.y(), y));
                List<Tensor> want;
                try (Session reference = new Session(fresh.graph())) {
                    reference.initializeVariables();
                    want = reference.run(picked.stream().map(fresh.fetchable()::get).toList(), Map.of(fresh.x(), x, fresh.y(), y));
                }
                for (int i = 0; i < got.size(); i++) {
                    assertThat(got.get(i).toDoubleArray()).as("run %d, fetch %d", run, picked.get(i))
                            .containsExactly(want.get(i).toDoubleArray());
                    held.add(new Tensor[] {got.get(i), got.get(i).clone()});
                }
            }
        }
        for (Tensor[] pair : held) {
            assertThat(pair[0].toDoubleArray()).containsExactly(pair[1].toDoubleArray());
        }
    }

    /** {@link TwoLayer} with a gradient step for each variable, and the nodes a run may fetch. */
    private record Stepped(Graph graph, Sym x, Sym y, List<Sym> variables, List<Sym> fetchable) {
        static Stepped build(Tensor w1, Tensor b1, Tensor w2) {
            TwoLayer net = TwoLayer.build(w1, b1, w2);
            List<Sym> variables = List.of(net.w1(), net.b1(), net.w2());
            List<Sym> fetchable = new ArrayList<>(List.of(net.loss(), net.grads().get(0), net.grads().get(2),
                    net.grads().get(0).transpose(), net.grads().get(2).mul(3.0)));
            for (int i = 0; i < 3; i++) {
                fetchable.add(variables.get(i).assign(variables.get(i).sub(net.grads().get(i).mul(1e-3))));
            }
            return new Stepped(net.graph(), net.x(), net.y(), variables, fetchable);
        }
    }

    /** out= records nothing for autograd, so a fed tensor that requires grad gets fresh outputs, with a history. */
    @Example
    void aFedTensorThatRequiresGradKeepsItsHistory() {
        Graph g = new Graph();
        Sym x = g.placeholder("x", 2);
        Sym w = g.variable("w", () -> Torch.tensor(new double[] {1, 2}));
        Sym doubled = x.mul(w).mul(2.0); // x * w is not fetched: its output would be kept for the next run
        Tensor fed = Torch.tensor(new double[] {3, 4}).requiresGrad_(true);
        try (Session session = new Session(g)) {
            session.initializeVariables();
            for (int run = 0; run < 2; run++) {
                Tensor out = session.run(doubled, Map.of(x, fed));
                assertThat(out.toDoubleArray()).containsExactly(6, 16);
                assertThat(out.requiresGrad()).isTrue();
            }
        }
    }

    @Example
    void assignmentsLandWhenTheRunEnds() {
        Graph g = new Graph();
        Sym w = g.variable("w", () -> Torch.tensor(new double[] {1, 2}));
        Sym doubled = w.assign(w.add(w));
        Sym tripled = w.mul(3.0);
        try (Session session = new Session(g)) {
            session.initializeVariables();
            // The assignment is fetched first, yet the nodes after it still see the old w.
            List<Tensor> first = session.run(List.of(doubled, tripled, w), Map.of());
            assertThat(first.get(0).toDoubleArray()).containsExactly(2, 4);
            assertThat(first.get(1).toDoubleArray()).containsExactly(3, 6);
            assertThat(first.get(2).toDoubleArray()).containsExactly(1, 2);
            assertThat(session.value(w).toDoubleArray()).containsExactly(2, 4);

            List<Tensor> second = session.run(List.of(tripled, doubled), Map.of());
            assertThat(second.get(0).toDoubleArray()).containsExactly(6, 12);
            assertThat(session.value(w).toDoubleArray()).containsExactly(4, 8);
        }
    }

    @Example
    void lessonStepFetchesLossOfTheOldWeights() {
        Torch.manualSeed(2);
        TwoLayer net = TwoLayer.build(Torch.randn(F64, 4, 3), Torch.randn(F64, 3), Torch.randn(F64, 3, 2));
        Sym newW1 = net.w1().assign(net.w1().sub(net.grads().get(0).mul(1e-3)));
        Map<Sym, Tensor> feed = Map.of(net.x(), Torch.randn(F64, 5, 4), net.y(), Torch.randn(F64, 5, 2));
        try (Session session = new Session(net.graph())) {
            session.initializeVariables();
            Tensor w1Before = session.value(net.w1());
            double lossBefore = session.run(net.loss(), feed).item();
            List<Tensor> step = session.run(List.of(newW1, net.loss()), feed);
            assertThat(step.get(1).item()).isEqualTo(lossBefore);
            assertThat(session.value(net.w1()).equal(w1Before)).isFalse();
            assertThat(session.run(net.loss(), feed).item()).isLessThan(lossBefore);
        }
    }

    @Example
    void missingPlaceholderIsNamedWithItsShape() {
        Graph g = new Graph();
        Sym x = g.placeholder("x", -1, 3);
        try (Session session = new Session(g)) {
            assertThatThrownBy(() -> session.run(x.reduceSum(), Map.of()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("You must feed a value for placeholder x with shape [None, 3]");
        }
    }

    @Example
    void wrongShapeIsRejected() {
        Graph g = new Graph();
        Sym x = g.placeholder("x", -1, 3);
        Sym s = x.reduceSum();
        try (Session session = new Session(g)) {
            assertThatThrownBy(() -> session.run(s, Map.of(x, Torch.zeros(2, 4))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("Cannot feed value of shape torch.Size([2, 4]) for placeholder x, which has shape [None, 3]");
            assertThatThrownBy(() -> session.run(s, Map.of(x, Torch.zeros(3))))
                    .hasMessage("Cannot feed value of shape torch.Size([3]) for placeholder x, which has shape [None, 3]");
            // None takes any size.
            assertThat(session.run(s, Map.of(x, Torch.ones(5, 3))).item()).isEqualTo(15);
            assertThat(session.run(s, Map.of(x, Torch.ones(1, 3))).item()).isEqualTo(3);
        }
    }

    @Example
    void onlyWhatTheFetchesNeedIsEvaluated() {
        Graph g = new Graph();
        Sym x = g.placeholder("x", 2);
        Sym w = g.variable("w", () -> Torch.tensor(new double[] {1, 2}));
        x.mul(w); // needs x, but is not fetched
        try (Session session = new Session(g)) {
            session.initializeVariables();
            assertThat(session.run(w.mul(2.0), Map.of()).toDoubleArray()).containsExactly(2, 4);
        }
    }

    @Example
    void gradientOfAnUnrelatedNodeIsAnError() {
        Graph g = new Graph();
        Sym x = g.placeholder("x", -1, 3);
        Sym w = g.variable("w", () -> Torch.ones(3));
        Sym loss = x.reduceSum();
        assertThatThrownBy(() -> g.gradients(loss, w))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("w does not influence " + loss);
    }

    @Example
    void misuseIsRejected() {
        Graph g = new Graph();
        Sym x = g.placeholder("x", 1);
        Sym other = new Graph().placeholder("z", 1);
        assertThatThrownBy(() -> x.add(other)).hasMessageContaining("two different graphs");
        assertThatThrownBy(() -> x.assign(x)).hasMessageContaining("only variables can be assigned");
        Sym w = g.variable("w", () -> Torch.ones(1));
        try (Session session = new Session(g)) {
            assertThatThrownBy(() -> session.value(w))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("initializeVariables()");
        }
    }

    @Example
    void printingTheGraphListsEveryNode() {
        Torch.manualSeed(0);
        TwoLayer net = TwoLayer.build(Torch.randn(F64, 3, 4), Torch.randn(F64, 4), Torch.randn(F64, 4, 2));
        String printed = net.graph().toString();
        List<String> lines = printed.lines().toList();
        assertThat(lines.subList(0, 6)).containsExactly(
                "x = placeholder[None, 3]",
                "y = placeholder[None, 2]",
                "w1 = variable",
                "b1 = variable",
                "w2 = variable",
                "matmul_5 = matmul(x, w1)");
        // The gradient nodes are part of the printed graph too.
        assertThat(printed).contains("greater(", "transpose(", "sum_to_like(", "ones_like(");
        assertThat(lines.stream().filter(l -> l.startsWith(net.loss() + " = reduce_sum("))).hasSize(1);
        assertThat(lines.size()).isGreaterThan(12);
    }
}
