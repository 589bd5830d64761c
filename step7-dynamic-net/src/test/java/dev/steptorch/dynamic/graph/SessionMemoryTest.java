package dev.steptorch.dynamic.graph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The session's reuse of memory from run to run, seen from inside: which outputs it keeps for the
 * next run, and that it gives up one as soon as a caller may hold it. StaticGraphTest checks from
 * outside that the values stay what fresh sessions compute.
 */
class SessionMemoryTest {
    private final Graph g = new Graph();
    private final Sym x = g.placeholder("x", -1, 5);
    private final Sym y = g.placeholder("y", -1, 2);
    private final Sym w1 = g.variable("w1", () -> Torch.randn(5, 4));
    private final Sym w2 = g.variable("w2", () -> Torch.randn(4, 2));
    private final Sym hidden = x.matmul(w1);
    private final Sym loss = y.sub(hidden.maximum(g.constant(Torch.zeros(1))).matmul(w2)).pow(2.0).reduceSum();
    private final List<Sym> grads = g.gradients(loss, w1, w2);
    private final Sym scaled = grads.get(0).mul(1e-3);
    private final Sym newValue = w1.sub(scaled);
    private final List<Sym> step = List.of(loss, w1.assign(newValue), w2.assign(w2.sub(grads.get(1).mul(1e-3))));

    @Test
    void theGradientAndItsScaledCopyAreWrittenWhereTheLastRunLeftThem() {
        Torch.manualSeed(0);
        Map<Sym, Tensor> feed = Map.of(x, Torch.randn(3, 5), y, Torch.randn(3, 2));
        try (Session session = new Session(g)) {
            session.initializeVariables();
            session.run(step, feed);
            Tensor gradient = session.spare(grads.get(0));
            Tensor scaledGradient = session.spare(scaled);
            assertThat(gradient).isNotNull();
            assertThat(scaledGradient).isNotNull();
            // w1's new value leaves the run (it is fetched, and it is the variable now); so does the loss
            assertThat(session.spare(newValue)).isNull();
            assertThat(session.spare(loss)).isNull();

            session.run(step, feed);
            assertThat(session.spare(grads.get(0))).isSameAs(gradient);
            assertThat(session.spare(scaled)).isSameAs(scaledGradient);
            assertThat(session.value(w1).storage()).isNotSameAs(gradient.storage()).isNotSameAs(scaledGradient.storage());

            // fetched, the gradient is the caller's: the session gives it up, and the next run makes a fresh one
            Tensor fetched = session.run(List.of(grads.get(0), loss), feed).get(0);
            assertThat(fetched).isSameAs(gradient);
            assertThat(session.spare(grads.get(0))).isNull();
            double[] held = fetched.toDoubleArray();
            session.run(step, feed);
            assertThat(session.spare(grads.get(0))).isNotNull().isNotSameAs(fetched);
            assertThat(fetched.toDoubleArray()).containsExactly(held);
        }
    }

    @Test
    void anotherBatchSizeGetsFreshOutputs() {
        Torch.manualSeed(1);
        try (Session session = new Session(g)) {
            session.initializeVariables();
            session.run(step, Map.of(x, Torch.randn(3, 5), y, Torch.randn(3, 2)));
            assertThat(session.spare(hidden).shape()).containsExactly(3, 4);
            session.run(step, Map.of(x, Torch.randn(6, 5), y, Torch.randn(6, 2)));
            assertThat(session.spare(hidden).shape()).containsExactly(6, 4);
        }
    }
}
