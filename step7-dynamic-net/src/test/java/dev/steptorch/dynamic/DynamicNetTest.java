package dev.steptorch.dynamic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steptorch.nn.F;
import dev.steptorch.nn.Linear;
import dev.steptorch.nn.MSELoss;
import dev.steptorch.nn.Reduction;
import dev.steptorch.optim.SGD;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Assume;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Weight sharing in DynamicNet: the one middle_linear weight, used k times in a pass, must get
 * the sum of k separate contributions, and an optimizer step must apply that sum once.
 */
class DynamicNetTest {
    private static final int N = 6, D_IN = 8, H = 5, D_OUT = 3;
    private static final MSELoss CRITERION = new MSELoss(Reduction.SUM);

    private record Data(DynamicNet net, Tensor x, Tensor y) {
    }

    private static Data data(long seed) {
        Torch.manualSeed(seed);
        DynamicNet net = new DynamicNet(D_IN, H, D_OUT, new Random(seed));
        return new Data(net, Torch.randn(N, D_IN), Torch.randn(N, D_OUT));
    }

    /**
     * The same pass as {@code net.forward(x, k)}, but use i of middle_linear gets its own leaf
     * copy of the weight, so that copy's gradient is exactly that use's contribution.
     */
    private static List<Tensor> perUseWeightGrads(Data d, int k) {
        Linear in = (Linear) d.net().namedChildren().get("input_linear");
        Linear middle = d.net().middleLinear();
        Linear out = (Linear) d.net().namedChildren().get("output_linear");
        List<Tensor> copies = new ArrayList<>();
        Tensor h = F.linear(d.x(), in.weight().detach(), in.bias().detach()).clamp(0);
        for (int i = 0; i < k; i++) {
            Tensor w = middle.weight().detach().clone().requiresGrad_(true);
            copies.add(w);
            h = F.linear(h, w, middle.bias().detach()).clamp(0);
        }
        Tensor yPred = F.linear(h, out.weight().detach(), out.bias().detach());
        CRITERION.call(yPred, d.y()).backward();
        List<Tensor> grads = new ArrayList<>();
        for (Tensor w : copies) {
            grads.add(w.grad());
        }
        return grads;
    }

    private static Tensor sum(List<Tensor> grads) {
        Tensor total = Torch.zeros(H, H);
        for (Tensor g : grads) {
            total = total.add(g);
        }
        return total;
    }

    private static double maxAbs(Tensor t) {
        return t.abs().max().item();
    }

    @Property(tries = 20)
    void sharedWeightGetsTheSumOfItsUses(@ForAll @IntRange(min = 1, max = 3) int depth, @ForAll long seed) {
        Data d = data(seed);
        List<Tensor> perUse = perUseWeightGrads(d, depth);

        CRITERION.call(d.net().forward(d.x(), depth), d.y()).backward();
        Tensor accumulated = d.net().middleLinear().weight().grad();

        assertThat(perUse).hasSize(depth);
        Tensor expected = sum(perUse);
        assertThat(maxAbs(accumulated.sub(expected))).isLessThanOrEqualTo(1e-5 * Math.max(1, maxAbs(expected)));
    }

    @Property(tries = 10)
    void usesContributeDifferentGradients(@ForAll long seed) {
        // Otherwise "sum of the uses" could not be told apart from "k times one use".
        List<Tensor> perUse = perUseWeightGrads(data(seed), 3);
        Tensor first = perUse.get(0);
        Tensor last = perUse.get(2);
        // with 5 hidden units every ReLU can be dead for some draws; then there is nothing to tell apart
        Assume.that(maxAbs(first) > 0 || maxAbs(last) > 0);
        assertThat(maxAbs(first.sub(last))).isGreaterThan(1e-6 * Math.max(maxAbs(first), maxAbs(last)));
    }

    @Example
    void depthZeroLeavesMiddleLinearWithoutGradient() {
        Data d = data(3);
        CRITERION.call(d.net().forward(d.x(), 0), d.y()).backward();
        Tensor g = d.net().middleLinear().weight().grad();
        assertThat(g == null || maxAbs(g) == 0).as("gradient of an unused layer").isTrue();
        assertThat(d.net().namedChildren().get("input_linear").param("weight").grad()).isNotNull();
    }

    /**
     * The course's question: is middle_linear updated once per use or once per step? Once per
     * optimizer step, with the summed gradient: w_after = w_before - lr * (g_1 + ... + g_k).
     */
    @Property(tries = 10)
    void oneStepAppliesTheSummedGradientOnce(@ForAll @IntRange(min = 1, max = 3) int depth, @ForAll long seed) {
        Data d = data(seed);
        double lr = 0.05;
        Tensor before = d.net().middleLinear().weight().detach().clone();
        Tensor expected = before.sub(sum(perUseWeightGrads(d, depth)).mul(lr));

        SGD optimizer = new SGD(d.net().parameters(), SGD.defaults().lr(lr));
        optimizer.zeroGrad();
        CRITERION.call(d.net().forward(d.x(), depth), d.y()).backward();
        optimizer.step();

        Tensor after = d.net().middleLinear().weight().detach();
        assertThat(optimizer.stepCount()).isEqualTo(1);
        assertThat(maxAbs(after.sub(expected))).isLessThanOrEqualTo(1e-6 * Math.max(1, maxAbs(before)));
    }

    @Example
    void lastDepthIsTheDepthForwardUsed() {
        Data d = data(11);
        Random mirror = new Random(11);
        for (int pass = 0; pass < 20; pass++) {
            Tensor out = d.net().call(d.x());
            int depth = d.net().lastDepth();
            assertThat(depth).isEqualTo(mirror.nextInt(4));
            // The same depth given explicitly recomputes the same output; any other depth does not.
            assertThat(d.net().forward(d.x(), depth).equal(out)).isTrue();
            int other = (depth + 1) % 4;
            assertThat(d.net().forward(d.x(), other).equal(out)).isFalse();
            assertThat(d.net().lastDepth()).isEqualTo(other);
        }
    }

    @Property(tries = 10)
    void depthsAreReproducibleWithAFixedRandom(@ForAll long seed) {
        DynamicNet a = new DynamicNet(D_IN, H, D_OUT, new Random(seed));
        DynamicNet b = new DynamicNet(D_IN, H, D_OUT, new Random(seed));
        Tensor x = Torch.randn(2, D_IN);
        Set<Integer> seen = new HashSet<>();
        for (int pass = 0; pass < 60; pass++) {
            a.call(x);
            b.call(x);
            assertThat(a.lastDepth()).isEqualTo(b.lastDepth());
            seen.add(a.lastDepth());
        }
        assertThat(seen).containsExactlyInAnyOrder(0, 1, 2, 3);
    }
}
