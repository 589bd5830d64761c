package dev.steptorch.autograd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Device;
import dev.steptorch.tensor.GradFn;
import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The graph around the formulas: accumulation, sharing, grad mode, detach and data, leaves,
 * retained grads, the errors PyTorch raises (second backward, stale saved tensors, in-place on
 * leaves, missing or misshapen gradients), the node names of the blitz, torch.autograd.grad,
 * and graphs that are wide (diamonds) or deep (10000 ops). Expected numbers are worked out by hand
 * in the comments.
 */
class GraphProperties {
    private static final Options F64 = Options.of(DType.FLOAT64, Device.CPU);

    private static Tensor leaf(double... values) {
        return Torch.tensor(values, F64).requiresGrad_(true);
    }

    private static Tensor constant(double... values) {
        return Torch.tensor(values, F64);
    }

    /**
     * {@code torch.cat([x2, x1[-2:-3]]).sum().backward()}: PyTorch gives x1 a zero gradient, so an
     * optimizer still applies momentum and weight decay to it. The empty piece must not lose its
     * gradient on the way through CatBackward0.
     */
    @Test
    void anEmptyPieceOfCatStillGetsAZeroGradient() {
        Tensor x1 = Torch.randn(Options.of(DType.FLOAT64, Device.CPU), 4, 3).requiresGrad_(true);
        Tensor x2 = Torch.randn(Options.of(DType.FLOAT64, Device.CPU), 2, 3).requiresGrad_(true);
        Tensor empty = x1.slice(0, -2, -3);
        assertThat(empty.shape()).containsExactly(0, 3);
        Torch.cat(0, x2, empty).sum().backward();
        assertThat(x2.grad().toDoubleArray()).containsOnly(1.0);
        assertThat(x1.grad()).as("x1.grad").isNotNull();
        assertThat(x1.grad().shape()).containsExactly(4, 3);
        assertThat(x1.grad().toDoubleArray()).containsOnly(0.0);
    }

    @Test
    void gradAccumulatesOverBackwardCalls() {
        Tensor x = leaf(1, 2, 3);
        Tensor y = x.mul(x).sum();
        y.backward(null, true);
        assertThat(x.grad().toDoubleArray()).containsExactly(2, 4, 6); // d(x^2)/dx = 2x
        y.backward();
        assertThat(x.grad().toDoubleArray()).containsExactly(4, 8, 12); // 2x added a second time
    }

    @Test
    void aTensorUsedSeveralTimesGetsTheSumOfItsGradients() {
        Tensor w = leaf(1, -2);
        Tensor a = constant(3, 5);
        Tensor b = constant(7, 11);
        w.mul(a).add(w.mul(b)).sum().backward();
        assertThat(w.grad().toDoubleArray()).containsExactly(10, 16); // a + b

        Tensor v = leaf(2, 3);
        v.mul(v).mul(v).sum().backward();
        assertThat(v.grad().toDoubleArray()).containsExactly(12, 27); // 3 v^2
    }

    @Test
    void noGradRecordsNothingAndEnableGradSwitchesRecordingBackOn() {
        Tensor x = leaf(1, 2);
        assertThat(GradMode.isEnabled()).isTrue();
        try (var outer = GradMode.noGrad()) {
            assertThat(GradMode.isEnabled()).isFalse();
            Tensor y = x.mul(2.0);
            assertThat(y.requiresGrad()).isFalse();
            assertThat(y.gradFn()).isNull();
            assertThat(y.isLeaf()).isTrue();
            try (var inner = GradMode.enableGrad()) {
                Tensor z = x.mul(2.0);
                assertThat(z.requiresGrad()).isTrue();
                assertThat(z.gradFn().name()).isEqualTo("MulBackward0");
            }
            assertThat(GradMode.isEnabled()).isFalse();
            assertThat(x.add(1.0).gradFn()).isNull();
        }
        assertThat(GradMode.isEnabled()).isTrue();
        assertThat(x.add(1.0).gradFn().name()).isEqualTo("AddBackward0");
        try (var off = GradMode.setGradEnabled(false)) {
            assertThat(x.exp().requiresGrad()).isFalse();
        }
        assertThat(GradMode.isEnabled()).isTrue();
    }

    @Test
    void updatingALeafUnderNoGradIsAllowed() {
        Tensor w = leaf(1, 2);
        w.mul(w).sum().backward();
        try (var ignored = GradMode.noGrad()) {
            w.sub_(w.grad().mul(0.5)); // the SGD step of the course: w -= lr * grad
        }
        assertThat(w.toDoubleArray()).containsExactly(0, 0); // w - 0.5 * 2w
        assertThat(w.isLeaf()).isTrue();
        assertThat(w.gradFn()).isNull();
    }

    @Test
    void detachStopsGradientsAndSharesStorage() {
        Tensor x = leaf(2, 3);
        Tensor y = x.mul(1.0);
        Tensor d = y.detach();
        assertThat(d.requiresGrad()).isFalse();
        assertThat(d.gradFn()).isNull();
        assertThat(d.isLeaf()).isTrue();
        assertThat(d.storage()).isSameAs(y.storage());
        try (var ignored = GradMode.noGrad()) {
            d.fill_(7);
        }
        assertThat(y.toDoubleArray()).containsExactly(7, 7);

        Tensor z = leaf(2, 3);
        z.mul(z.detach()).sum().backward();
        assertThat(z.grad().toDoubleArray()).containsExactly(2, 3); // only the recorded factor counts: z, not 2z
    }

    @Test
    void dataSharesStorageWithoutHistory() {
        Tensor x = leaf(1, 2);
        Tensor y = x.mul(3.0);
        Tensor data = y.data();
        assertThat(data.storage()).isSameAs(y.storage());
        assertThat(data.requiresGrad()).isFalse();
        assertThat(data.gradFn()).isNull();
        Tensor xd = x.data();
        xd.mul_(10.0); // no graph is recorded through .data, and the leaf check does not fire
        assertThat(x.toDoubleArray()).containsExactly(10, 20);
        assertThat(x.isLeaf()).isTrue();
        assertThat(x.gradFn()).isNull();
    }

    @Test
    void leavesAreTensorsWithoutHistory() {
        Tensor x = leaf(1, 2);
        Tensor c = constant(1, 2);
        assertThat(x.isLeaf()).isTrue();
        assertThat(c.isLeaf()).isTrue();
        assertThat(c.mul(c).isLeaf()).isTrue(); // nothing requires grad: no history
        assertThat(c.mul(c).requiresGrad()).isFalse();
        Tensor y = x.mul(c);
        assertThat(y.isLeaf()).isFalse();
        assertThat(y.requiresGrad()).isTrue();
        assertThat(Torch.randn(F64.withRequiresGrad(true), 3, 4).isLeaf()).isTrue();
        assertThat(Torch.randn(F64.withRequiresGrad(true), 3, 4).requiresGrad()).isTrue();
    }

    @Test
    void retainGradKeepsTheGradientOfANonLeaf() {
        Tensor x = leaf(1, 2);
        Tensor y = x.mul(3.0);
        Tensor h = y.add(1.0);
        y.retainGrad();
        y.mul(y).sum().backward();
        assertThat(y.grad().toDoubleArray()).containsExactly(6, 12); // 2y, y = 3x
        assertThat(x.grad().toDoubleArray()).containsExactly(18, 36); // 3 * 2y
        assertThat(h.grad()).isNull();

        Tensor other = x.mul(1.0);
        assertThat(other.grad()).isNull(); // a non-leaf without retainGrad gets none
    }

    @Test
    void retainGradFollowsTheTensorThroughAnInPlaceOp() {
        Tensor x = leaf(1, 2);
        Tensor y = x.mul(1.0);
        y.retainGrad();
        y.mul_(3.0);
        y.mul(constant(5, 7)).sum().backward();
        assertThat(y.grad().toDoubleArray()).containsExactly(5, 7); // of y's newest value, as PyTorch: not 3 * (5, 7)
        assertThat(x.grad().toDoubleArray()).containsExactly(15, 21);
    }

    @Test
    void copyIntoANonLeafSendsZerosToTheOverwrittenHistory() {
        Tensor x = leaf(1, 7);
        Tensor d = x.mul(1.0);
        d.copy_(constant(4, 4));
        assertThat(d.gradFn().name()).isEqualTo("CopyBackwards");
        d.sum().backward();
        assertThat(x.grad().toDoubleArray()).containsExactly(0, 0); // PyTorch: zeros, not None
    }

    @Test
    void backwardTwiceThroughAFreedGraphFails() {
        Tensor x = leaf(1, 2);
        Tensor z = x.mul(x).sum();
        z.backward();
        assertThatThrownBy(z::backward).hasMessageContaining("backward through the graph a second time");
    }

    @Test
    void retainGraphAllowsASecondBackward() {
        Tensor x = leaf(1, 2);
        Tensor z = x.mul(x).sum();
        z.backward(null, true);
        z.backward(null, true);
        z.backward();
        assertThat(x.grad().toDoubleArray()).containsExactly(6, 12); // 3 * 2x
    }

    @Test
    void modifyingASavedTensorInPlaceFailsAtBackwardNamingTheVersion() {
        Tensor x = leaf(1, 2);
        Tensor y = x.mul(2.0);
        Tensor z = y.mul(y); // saves y, whose storage is at version v
        int saved = y.storage().version();
        y.add_(1.0);
        assertThat(y.storage().version()).isEqualTo(saved + 1);
        assertThatThrownBy(() -> z.sum().backward())
                .hasMessageContaining("modified by an inplace operation")
                .hasMessageContaining("is at version " + (saved + 1) + "; expected version " + saved);
    }

    @Test
    void modifyingASavedResultInPlaceFailsToo() {
        Tensor x = leaf(1, 2);
        Tensor e = x.exp(); // exp saves its result
        Tensor f = e.mul(2.0);
        e.mul_(3.0);
        assertThatThrownBy(() -> f.sum().backward()).hasMessageContaining("modified by an inplace operation");
    }

    @Test
    void anInPlaceOpWithItselfAsOperandSeesTheOldValueTwice() {
        Tensor x = leaf(1, 2);
        Tensor y = x.mul(1.0);
        y.mul_(y); // y = x^2
        y.sum().backward();
        assertThat(x.grad().toDoubleArray()).containsExactly(2, 4); // 2x, not x^2 + x

        Tensor v = leaf(3, 5);
        Tensor q = v.mul(1.0);
        q.div_(q); // q = 1
        q.sum().backward();
        assertThat(v.grad().toDoubleArray()).containsExactly(0, 0);
    }

    @Test
    void inPlaceOnALeafThatRequiresGradFails() {
        Tensor x = leaf(1, 2);
        assertThatThrownBy(() -> x.add_(1.0)).hasMessageContaining("a leaf Variable that requires grad");
        assertThatThrownBy(() -> x.mul_(constant(2, 2))).hasMessageContaining("leaf Variable");
        assertThat(x.toDoubleArray()).containsExactly(1, 2); // refused before writing
    }

    @Test
    void backwardOfANonScalarNeedsAGradient() {
        Tensor x = leaf(1, 2, 3);
        Tensor y = x.mul(2.0);
        assertThatThrownBy(y::backward).hasMessageContaining("grad can be implicitly created only for scalar outputs");
        y.backward(constant(1, 10, 100));
        assertThat(x.grad().toDoubleArray()).containsExactly(2, 20, 200);
    }

    @Test
    void backwardWithAGradientOfTheWrongShapeFails() {
        Tensor x = leaf(1, 2, 3);
        Tensor y = x.mul(2.0);
        assertThatThrownBy(() -> y.backward(constant(1, 1))).hasMessageContaining("Mismatch in shape");
        assertThatThrownBy(() -> y.backward(Torch.ones(F64, 3, 1))).hasMessageContaining("Mismatch in shape");
    }

    @Test
    void backwardFromATensorWithoutHistoryFails() {
        Tensor c = constant(1, 2).sum();
        assertThatThrownBy(c::backward).hasMessageContaining("does not require grad and does not have a grad_fn");
    }

    @Test
    void theBlitzChainHasPyTorchsNodeNames() {
        Tensor x = Torch.ones(F64.withRequiresGrad(true), 2, 2);
        Tensor y = x.add(2);
        Tensor z = y.mul(y).mul(3);
        Tensor out = z.mean();
        assertThat(y.gradFn().name()).isEqualTo("AddBackward0");
        assertThat(z.gradFn().name()).isEqualTo("MulBackward0");
        assertThat(out.gradFn().name()).isEqualTo("MeanBackward0");

        Tensor w = Torch.randn(F64.withRequiresGrad(true), 2, 3);
        Tensor h = x.mm(w);
        assertThat(h.gradFn().name()).isEqualTo("MmBackward0");
        assertThat(h.clamp(0).gradFn().name()).isEqualTo("ClampBackward1");
        assertThat(h.pow(2).gradFn().name()).isEqualTo("PowBackward0");
        assertThat(h.sum().gradFn().name()).isEqualTo("SumBackward0");

        out.backward();
        // out = mean(3 (x+2)^2), d/dx = 6 (x+2) / 4 = 4.5 at x = 1
        assertThat(x.grad().toDoubleArray()).containsExactly(4.5, 4.5, 4.5, 4.5);
    }

    @Test
    void nextFunctionsWalkBackToAccumulateGrad() {
        Tensor x = Torch.ones(F64.withRequiresGrad(true), 2, 2);
        Tensor y = x.add(2);
        Tensor z = y.mul(y).mul(3);
        Tensor out = z.mean();

        List<String> path = new ArrayList<>();
        GradFn fn = out.gradFn();
        while (fn != null) {
            path.add(fn.name());
            fn = fn.nextFunctions().isEmpty() ? null : fn.nextFunctions().get(0);
        }
        assertThat(path).containsExactly("MeanBackward0", "MulBackward0", "MulBackward0", "AddBackward0", "AccumulateGrad");

        GradFn times3 = z.gradFn();
        assertThat(times3.nextFunctions()).hasSize(2);
        assertThat(times3.nextFunctions().get(1)).isNull(); // the number 3 has no history
        GradFn square = times3.nextFunctions().get(0);
        // both factors of y * y lead to y's node, and every use of x meets in one AccumulateGrad
        assertThat(square.nextFunctions().get(0)).isSameAs(square.nextFunctions().get(1)).isSameAs(y.gradFn());
        assertThat(y.gradFn().nextFunctions().get(0)).isSameAs(x.mul(1.0).gradFn().nextFunctions().get(0));
        assertThat(y.gradFn().nextFunctions().get(1)).isNull();
    }

    @Test
    void engineGradReturnsGradientsWithoutTouchingGrad() {
        Tensor x = leaf(1, 2);
        Tensor w = leaf(3, 4);
        Tensor mid = x.mul(w);
        Tensor y = mid.mul(mid).sum(); // (xw)^2
        Tensor unused = leaf(5);
        Tensor[] g = Engine.grad(new Tensor[] {y}, null, new Tensor[] {x, mid, unused}, true);
        assertThat(g[0].toDoubleArray()).containsExactly(18, 64); // 2 x w^2
        assertThat(g[1].toDoubleArray()).containsExactly(6, 16); // 2 xw
        assertThat(g[2]).isNull();
        assertThat(x.grad()).isNull();
        assertThat(w.grad()).isNull();

        Tensor[] withSeed = Engine.grad(new Tensor[] {y}, new Tensor[] {Torch.tensor(10.0, F64)}, new Tensor[] {w}, false);
        assertThat(withSeed[0].toDoubleArray()).containsExactly(60, 320); // 10 * 2 x^2 w
        assertThat(w.grad()).isNull();
    }

    @Test
    void aDiamondRunsEachNodeOnce() {
        Tensor x = leaf(1);
        Tensor a = x.mul(1.0);
        a.retainGrad();
        Tensor b = a.mul(2.0);
        Tensor c = a.mul(3.0);
        b.add(c).sum().backward();
        // a's node runs once, with both branches summed: its retained grad is 2 + 3, not 2 or 3 or 10
        assertThat(a.grad().toDoubleArray()).containsExactly(5);
        assertThat(x.grad().toDoubleArray()).containsExactly(5);
    }

    /** 60 diamonds in a row: 2^60 paths, so an engine walking paths instead of nodes would never finish. */
    @Test
    @Timeout(20)
    void stackedDiamondsAreWalkedNodeByNode() {
        Tensor x = leaf(1);
        Tensor a = x;
        Tensor first = null;
        for (int i = 0; i < 60; i++) {
            a = a.mul(1.0).add(a.mul(1.0));
            if (i == 0) {
                first = a;
                first.retainGrad();
            }
        }
        a.sum().backward();
        assertThat(x.grad().toDoubleArray()).containsExactly(Math.pow(2, 60));
        assertThat(first.grad().toDoubleArray()).containsExactly(Math.pow(2, 59));
    }

    /** The engine must not recurse per node: backward of 10000 ops runs on a thread with a small stack. */
    @Test
    void aLongChainDoesNotOverflowTheStack() throws InterruptedException {
        Tensor x = leaf(0.5, -1);
        Tensor y = x;
        for (int i = 0; i < 10_000; i++) {
            y = i % 2 == 0 ? y.add(1.0) : y.mul(1.0);
        }
        Tensor loss = y.sum();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                loss.backward();
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "small-stack backward", 128 * 1024);
        t.start();
        t.join();
        assertThat(failure.get()).isNull();
        assertThat(x.grad().toDoubleArray()).containsExactly(1, 1);
        assertThat(y.toDoubleArray()).containsExactly(5000.5, 4999);
    }
}
