package dev.steptorch.function;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steptorch.autograd.Engine;
import dev.steptorch.autograd.GradMode;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * When backward may add a gradient into a leaf's {@code .grad} itself ({@link FunctionCtx#accumulateInto}):
 * only where the engine would add it there anyway, and with the same sum as the returned gradient.
 */
class AccumulateIntoTest {
    /** {@code x @ w}, which records what backward was offered for w and adds into it when it can. */
    static final class Product extends Function {
        final List<Tensor> offered = new ArrayList<>();

        @Override
        protected Object forward(FunctionCtx ctx, Object... args) {
            Tensor x = (Tensor) args[0], w = (Tensor) args[1];
            ctx.saveForBackward(x, w);
            return x.mm(w);
        }

        @Override
        protected Tensor[] backward(FunctionCtx ctx, Tensor... grads) {
            Tensor[] s = ctx.savedTensors();
            Tensor into = ctx.accumulateInto(1);
            offered.add(into);
            Tensor gx = ctx.needsInputGrad(0) ? grads[0].mm(s[1].t()) : null;
            if (into != null) {
                into.addmm_(s[0].t(), grads[0]);
                return new Tensor[] {gx, null};
            }
            return new Tensor[] {gx, s[0].t().mm(grads[0])};
        }
    }

    private final Tensor x;
    private final Tensor g;

    AccumulateIntoTest() {
        Torch.manualSeed(1);
        x = Torch.randn(5, 4);
        g = Torch.randn(5, 3);
    }

    private static Tensor leaf() {
        return Torch.randn(4, 3).requiresGrad_(true);
    }

    @Test
    void offeredTheGradOnceItExistsAndTheSumIsTheReturnedGradients() {
        Tensor w = leaf();
        Product p = new Product();
        p.apply(x, w).backward(g);
        assertThat(p.offered.get(0)).as("no .grad yet: the gradient is returned").isNull();
        Tensor first = w.grad().clone();
        assertThat(first.toDoubleArray()).containsExactly(x.t().mm(g).toDoubleArray());
        Tensor grad = w.grad();
        p.apply(x, w).backward(g);
        p.apply(x, w).backward(g);
        assertThat(p.offered.get(1)).isSameAs(grad);
        assertThat(p.offered.get(2)).isSameAs(grad);
        assertThat(w.grad()).isSameAs(grad);
        assertClose(w.grad(), first.mul(3.0));
        assertThat(p.offered.stream().filter(t -> t != null).count()).isEqualTo(2);
    }

    @Test
    void notOfferedWhereAnotherEdgeAddsToTheSameLeaf() {
        Tensor w = leaf();
        w.setGrad(Torch.zeros(4, 3));
        Product p = new Product();
        p.apply(x, w).add(x.mm(w)).backward(g);
        assertThat(p.offered).containsExactly((Tensor) null);
        assertClose(w.grad(), x.t().mm(g).mul(2.0));
    }

    @Test
    void notOfferedForANonLeafNorToAutogradGrad() {
        Tensor w = leaf();
        w.setGrad(Torch.zeros(4, 3));
        Product p = new Product();
        p.apply(x, w.mul(2.0)).backward(g); // w's node is MulBackward0, not its AccumulateGrad
        Tensor[] got = Engine.grad(new Tensor[] {p.apply(x, w)}, new Tensor[] {g}, new Tensor[] {w}, false);
        assertThat(p.offered).containsExactly(null, null);
        assertClose(got[0], x.t().mm(g));
        assertClose(w.grad(), x.t().mm(g).mul(2.0));
    }

    @Test
    void theBuiltInProductsAddIntoTheGradAsTheirGradientsWould() {
        Tensor w = leaf();
        Tensor b = Torch.randn(3).requiresGrad_(true);
        Tensor a = x.clone().requiresGrad_(true);
        for (int i = 0; i < 3; i++) {
            a.mm(w).backward(g);
            b.addmm(a, w).backward(g);
        }
        assertClose(w.grad(), x.t().mm(g).mul(6.0));
        assertClose(a.grad(), g.mm(w.t()).mul(6.0));
        assertClose(b.grad(), g.sum(0).mul(3.0));
        try (var ignored = GradMode.noGrad()) {
            Tensor before = w.grad().clone();
            w.grad().addmm_(x.t(), g);
            assertClose(w.grad(), before.add(x.t().mm(g)));
        }
    }

    private static void assertClose(Tensor got, Tensor want) {
        double[] g = got.toDoubleArray(), w = want.toDoubleArray();
        assertThat(g).hasSize(w.length);
        for (int i = 0; i < g.length; i++) {
            assertThat(Math.abs(g[i] - w[i])).as("element " + i + ": " + g[i] + " against " + w[i])
                    .isLessThanOrEqualTo(1e-5 * Math.max(1, Math.abs(w[i])));
        }
    }
}
