package dev.steptorch.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;

import dev.steptorch.autograd.GradMode;
import dev.steptorch.function.lessons.LinearFunction;
import dev.steptorch.function.lessons.MyReLU;
import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Device;
import dev.steptorch.tensor.GradFn;
import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * How a user-defined {@link Function} joins the graph: one node per call, named after the class,
 * fed by the user's backward, which is checked (count, argument kinds, shapes, saved-tensor
 * versions) before its gradients travel on.
 */
class FunctionTest {
    private static final Options DOUBLES = Options.dtype(DType.FLOAT64);

    // ----------------------------------------------------------------------------------------
    // Functions used as fixtures
    // ----------------------------------------------------------------------------------------

    /** Multiplies its first argument by the second (a Java double), which backward reads from ctx. */
    static final class Scale extends Function {
        @Override
        protected Object forward(FunctionCtx ctx, Object... args) {
            double c = (Double) args[1];
            ctx.put("c", c);
            return ((Tensor) args[0]).mul(c);
        }

        @Override
        protected Tensor[] backward(FunctionCtx ctx, Tensor... gradOutputs) {
            double c = ctx.get("c");
            return new Tensor[] {gradOutputs[0].mul(c), null};
        }
    }

    /** x * y + flag, recording what needsInputGrad said in forward and in backward. */
    static final class Recorder extends Function {
        final List<boolean[]> seenInForward = new ArrayList<>();
        final List<boolean[]> seenInBackward = new ArrayList<>();

        @Override
        protected Object forward(FunctionCtx ctx, Object... args) {
            seenInForward.add(needs(ctx, args.length));
            ctx.saveForBackward((Tensor) args[0], (Tensor) args[1]);
            return ((Tensor) args[0]).mul((Tensor) args[1]).add((Double) args[2]);
        }

        @Override
        protected Tensor[] backward(FunctionCtx ctx, Tensor... gradOutputs) {
            seenInBackward.add(needs(ctx, 3));
            Tensor[] saved = ctx.savedTensors();
            return new Tensor[] {
                ctx.needsInputGrad(0) ? gradOutputs[0].mul(saved[1]) : null,
                ctx.needsInputGrad(1) ? gradOutputs[0].mul(saved[0]) : null,
                null};
        }

        private static boolean[] needs(FunctionCtx ctx, int n) {
            boolean[] b = new boolean[n];
            for (int i = 0; i < n; i++) {
                b[i] = ctx.needsInputGrad(i);
            }
            return b;
        }
    }

    /** {x * 2, x * 3}; keeps the gradients backward was handed. */
    static final class TwoOutputs extends Function {
        private final boolean materialize;
        Tensor[] seen;

        TwoOutputs(boolean materialize) {
            this.materialize = materialize;
        }

        @Override
        protected Object forward(FunctionCtx ctx, Object... args) {
            ctx.setMaterializeGrads(materialize);
            Tensor x = (Tensor) args[0];
            return new Tensor[] {x.mul(2.0), x.mul(3.0)};
        }

        @Override
        protected Tensor[] backward(FunctionCtx ctx, Tensor... gradOutputs) {
            seen = gradOutputs.clone();
            Tensor g = null;
            if (gradOutputs[0] != null) {
                g = gradOutputs[0].mul(2.0);
            }
            if (gradOutputs[1] != null) {
                Tensor g1 = gradOutputs[1].mul(3.0);
                g = g == null ? g1 : g.add(g1);
            }
            return new Tensor[] {g};
        }
    }

    /** Backward answers whatever the test hands it; forward is the identity map (as a copy) on argument 0. */
    static final class Scripted extends Function {
        private final java.util.function.Function<Tensor, Tensor[]> answer;

        Scripted(java.util.function.Function<Tensor, Tensor[]> answer) {
            this.answer = answer;
        }

        @Override
        protected Object forward(FunctionCtx ctx, Object... args) {
            return ((Tensor) args[0]).clone();
        }

        @Override
        protected Tensor[] backward(FunctionCtx ctx, Tensor... gradOutputs) {
            return answer.apply(gradOutputs[0]);
        }

        @Override
        public String name() {
            return "ScriptedBackward";
        }
    }

    /** Returns its input object itself, as a pass-through op might. */
    static final class Identity extends Function {
        @Override
        protected Object forward(FunctionCtx ctx, Object... args) {
            return args[0];
        }

        @Override
        protected Tensor[] backward(FunctionCtx ctx, Tensor... gradOutputs) {
            return new Tensor[] {gradOutputs[0]};
        }
    }

    // ----------------------------------------------------------------------------------------
    // Tests
    // ----------------------------------------------------------------------------------------

    @Test
    void myReluGivesTheSameGradientAsClamp() {
        Random r = new Random(1);
        double[] xs = values(r, 12, -2, 2);
        double[] ws = values(r, 12, -2, 2);
        Tensor x1 = leaf(xs, 3, 4);
        Tensor x2 = leaf(xs, 3, 4);
        Tensor w = Torch.tensor(ws, DOUBLES).reshape(3, 4);

        MyReLU.relu(x1).mul(w).sum().backward();
        x2.clamp(0).mul(w).sum().backward();

        // both are w where x > 0 and zero elsewhere (clamp's zeros may carry a sign: compare with ==)
        double[] mine = x1.grad().toDoubleArray();
        double[] clamp = x2.grad().toDoubleArray();
        for (int i = 0; i < xs.length; i++) {
            double expected = xs[i] > 0 ? ws[i] : 0.0;
            assertThat(mine[i] == expected).as("MyReLU grad %d: %s, expected %s", i, mine[i], expected).isTrue();
            assertThat(clamp[i] == expected).as("clamp grad %d: %s, expected %s", i, clamp[i], expected).isTrue();
        }
    }

    @Test
    void gradFnIsNamedAfterTheClassAndLeadsToAccumulateGrad() {
        Tensor x = leaf(new double[] {-1, 2, 3}, 3);
        Tensor y = MyReLU.relu(x);

        GradFn fn = y.gradFn();
        assertThat(fn).isNotNull();
        assertThat(fn.name()).isEqualTo("MyReLUBackward");
        assertThat(fn.nextFunctions()).hasSize(1);
        assertThat(fn.nextFunctions().get(0).name()).isEqualTo("AccumulateGrad");
        assertThat(y.isLeaf()).isFalse();
        assertThat(y.requiresGrad()).isTrue();
    }

    @Test
    void gradFnOfAChainPointsAtThePreviousNode() {
        Tensor x = leaf(new double[] {-1, 2, 3}, 3);
        Tensor y = MyReLU.relu(x.mul(2.0));
        assertThat(y.gradFn().nextFunctions().get(0).name()).startsWith("MulBackward");
    }

    @Test
    void needsInputGradSaysWhichTensorArgumentsRequireGrad() {
        Tensor a = leaf(new double[] {1, 2}, 2);
        Tensor b = Torch.tensor(new double[] {3, 4}, DOUBLES);
        Recorder f = new Recorder();

        Tensor out = f.apply(a, b, 0.5);
        out.sum().backward();

        assertThat(f.seenInForward).hasSize(1);
        assertThat(f.seenInForward.get(0)).containsExactly(true, false, false);
        assertThat(f.seenInBackward).hasSize(1);
        assertThat(f.seenInBackward.get(0)).containsExactly(true, false, false);
        assertThat(a.grad().toDoubleArray()).containsExactly(3, 4);
        assertThat(b.grad()).isNull();
    }

    @Test
    void needsInputGradForTheSecondArgumentOnly() {
        Tensor a = Torch.tensor(new double[] {1, 2}, DOUBLES);
        Tensor b = leaf(new double[] {3, 4}, 2);
        Recorder f = new Recorder();

        f.apply(a, b, 0.5).sum().backward();

        assertThat(f.seenInForward.get(0)).containsExactly(false, true, false);
        assertThat(f.seenInBackward.get(0)).containsExactly(false, true, false);
        assertThat(b.grad().toDoubleArray()).containsExactly(1, 2);
    }

    @Test
    void noInputRequiringGradRecordsNothing() {
        Recorder f = new Recorder();
        Tensor out = f.apply(Torch.tensor(new double[] {1, 2}, DOUBLES), Torch.tensor(new double[] {3, 4}, DOUBLES), 1.0);

        assertThat(f.seenInForward.get(0)).containsExactly(false, false, false);
        assertThat(out.requiresGrad()).isFalse();
        assertThat(out.gradFn()).isNull();
        assertThat(out.toDoubleArray()).containsExactly(4, 9);
    }

    @Test
    void nonTensorArgumentsTakeNoGradient() {
        Tensor x = leaf(new double[] {1, -2, 3}, 3);
        Tensor y = new Scale().apply(x, 2.5);

        // the constant has no edge: PyTorch prints (None, 0) for it
        assertThat(y.gradFn().nextFunctions()).hasSize(2);
        assertThat(y.gradFn().nextFunctions().get(1)).isNull();
        assertThat(y.toDoubleArray()).containsExactly(2.5, -5, 7.5);

        y.sum().backward();
        assertThat(x.grad().toDoubleArray()).containsExactly(2.5, 2.5, 2.5);
    }

    @Test
    void ctxGetOfAMissingNameNamesTheFunction() {
        Function f = new Function() {
            @Override
            protected Object forward(FunctionCtx ctx, Object... args) {
                return ((Tensor) args[0]).clone();
            }

            @Override
            protected Tensor[] backward(FunctionCtx ctx, Tensor... gradOutputs) {
                return new Tensor[] {gradOutputs[0].mul(ctx.<Double>get("nothing"))};
            }

            @Override
            public String name() {
                return "ForgetfulBackward";
            }
        };
        Tensor y = f.apply(leaf(new double[] {1}, 1));
        assertThatThrownBy(() -> y.sum().backward())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ForgetfulBackward")
                .hasMessageContaining("nothing");
    }

    @Test
    void anUnusedOutputReceivesZeros() {
        Tensor x = leaf(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        TwoOutputs f = new TwoOutputs(true);
        Tensor[] outs = f.applyAll(x);
        assertThat(outs).hasSize(2);

        outs[0].sum().backward();

        assertThat(f.seen[0].toDoubleArray()).containsOnly(1.0);
        assertThat(f.seen[1]).isNotNull();
        assertThat(f.seen[1].shape()).containsExactly(2, 3);
        assertThat(f.seen[1].dtype()).isEqualTo(DType.FLOAT64);
        assertThat(f.seen[1].toDoubleArray()).containsOnly(0.0);
        assertThat(x.grad().toDoubleArray()).containsOnly(2.0);
    }

    @Test
    void withoutMaterializeGradsAnUnusedOutputReceivesNull() {
        Tensor x = leaf(new double[] {1, 2, 3}, 3);
        TwoOutputs f = new TwoOutputs(false);
        Tensor[] outs = f.applyAll(x);

        outs[1].sum().backward();

        assertThat(f.seen[0]).isNull();
        assertThat(f.seen[1].toDoubleArray()).containsOnly(1.0);
        assertThat(x.grad().toDoubleArray()).containsOnly(3.0);
    }

    @Test
    void bothOutputsUsedAddUp() {
        Tensor x = leaf(new double[] {1, 2, 3}, 3);
        Tensor[] outs = new TwoOutputs(true).applyAll(x);
        assertThat(outs[0].gradFn()).isSameAs(outs[1].gradFn());

        outs[0].sum().add(outs[1].mul(2.0).sum()).backward();

        assertThat(x.grad().toDoubleArray()).containsOnly(8.0);
    }

    @Test
    void applyOnAMultiOutputFunctionPointsToApplyAll() {
        assertThatThrownBy(() -> new TwoOutputs(true).apply(leaf(new double[] {1}, 1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("TwoOutputsBackward")
                .hasMessageContaining("applyAll");
    }

    @Test
    void wrongNumberOfGradientsIsRejected() {
        Tensor x = leaf(new double[] {1, 2}, 2);
        Tensor y = new Scripted(g -> new Tensor[] {g, g}).apply(x);
        assertThatThrownBy(() -> y.sum().backward())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ScriptedBackward")
                .hasMessageContaining("incorrect number of gradients")
                .hasMessageContaining("expected 1, got 2");
        assertThat(x.grad()).isNull();
    }

    @Test
    void aGradientForANonTensorArgumentIsRejected() {
        Tensor x = leaf(new double[] {1, 2}, 2);
        Tensor y = new Scripted(g -> new Tensor[] {g, g}).apply(x, 3.0);
        assertThatThrownBy(() -> y.sum().backward())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ScriptedBackward")
                .hasMessageContaining("argument 1")
                .hasMessageContaining("not a Tensor");
    }

    @Test
    void aGradientOfIncompatibleShapeIsRejected() {
        Tensor x = leaf(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor y = new Scripted(g -> new Tensor[] {g.t().contiguous()}).apply(x);
        assertThatThrownBy(() -> y.sum().backward())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ScriptedBackward")
                .hasMessageContaining("[3, 2]")
                .hasMessageContaining("[2, 3]");
    }

    /**
     * PyTorch 1.13's check and words, for gradients that do not fit a (2, 3) input: fewer dims,
     * a size that does not match, an empty tensor. None of them may reach the leaf.
     */
    @Test
    void aGradientOfTheWrongShapeIsRejectedWithPyTorchsMessage() {
        int[][] wrong = {{3}, {2, 1}, {3, 2}, {0}, {1, 2, 1}, {2, 3, 3}};
        for (int[] shape : wrong) {
            Tensor x = leaf(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
            Tensor y = new Scripted(g -> new Tensor[] {Torch.ones(DOUBLES, shape)}).apply(x);
            String got = java.util.Arrays.toString(shape);
            assertThatThrownBy(() -> y.sum().backward()).as("gradient of shape %s", got)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("Function ScriptedBackward returned an invalid gradient at index 0 - got " + got
                            + " but expected shape compatible with [2, 3]");
            assertThat(x.grad()).isNull();
        }
    }

    /** A gradient the input broadcasts to is summed back to the input's shape, as in PyTorch. */
    @Test
    void gradientsTheInputBroadcastsToAreSummed() {
        Tensor x = leaf(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        new Scripted(g -> new Tensor[] {Torch.ones(DOUBLES, 4, 2, 3)}).apply(x).sum().backward();
        assertThat(x.grad().shape()).containsExactly(2, 3);
        assertThat(x.grad().toDoubleArray()).containsOnly(4.0);

        Tensor row = leaf(new double[] {1, 2, 3}, 1, 3);
        new Scripted(g -> new Tensor[] {Torch.ones(DOUBLES, 2, 3)}).apply(row).sum().backward();
        assertThat(row.grad().shape()).containsExactly(1, 3);
        assertThat(row.grad().toDoubleArray()).containsOnly(2.0);

        Tensor column = leaf(new double[] {1, 2}, 2, 1);
        new Scripted(g -> new Tensor[] {Torch.ones(DOUBLES, 3, 2, 5)}).apply(column).sum().backward();
        assertThat(column.grad().shape()).containsExactly(2, 1);
        assertThat(column.grad().toDoubleArray()).containsOnly(15.0);
    }

    @Test
    void aBroadcastableGradientIsSummedToTheInputShape() {
        // PyTorch accepts a gradient the input expands to, and reduces it: here an extra leading dim
        Tensor x = leaf(new double[] {1, 2, 3}, 3);
        Tensor y = new Scripted(g -> new Tensor[] {g.unsqueeze(0).expand(4, 3)}).apply(x);
        y.sum().backward();
        assertThat(x.grad().shape()).containsExactly(3);
        assertThat(x.grad().toDoubleArray()).containsOnly(4.0);
    }

    @Test
    void aSavedTensorModifiedInPlaceIsCaughtAtBackward() {
        Tensor x = leaf(new double[] {-1, 2, 3}, 3);
        Tensor h = x.mul(1.0);
        Tensor y = MyReLU.relu(h);
        h.add_(1.0);

        assertThatThrownBy(() -> y.sum().backward())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("modified by an inplace operation")
                .hasMessageContaining("MyReLUBackward");
    }

    @Test
    void anInPlaceChangeThroughDataIsCaughtToo() {
        Tensor x = leaf(new double[] {-1, 2, 3}, 3);
        Tensor y = MyReLU.relu(x);
        x.data().mul_(2.0);

        assertThatThrownBy(() -> y.sum().backward())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("modified by an inplace operation");
    }

    @Test
    void backwardTwiceWithoutRetainGraphFails() {
        Tensor x = leaf(new double[] {-1, 2, 3}, 3);
        Tensor loss = MyReLU.relu(x).sum();
        loss.backward();

        assertThatThrownBy(loss::backward)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("backward through the graph a second time")
                .hasMessageContaining("MyReLUBackward");
    }

    @Test
    void backwardTwiceWithRetainGraphAccumulates() {
        Tensor x = leaf(new double[] {-1, 2, 3}, 3);
        Tensor loss = MyReLU.relu(x).sum();
        loss.backward(null, true);
        loss.backward(null, true);

        assertThat(x.grad().toDoubleArray()).containsExactly(0, 2, 2);
    }

    @Test
    void underNoGradApplyRecordsNothing() {
        Tensor a = leaf(new double[] {1, 2}, 2);
        Tensor b = leaf(new double[] {3, 4}, 2);
        Recorder f = new Recorder();
        Tensor out;
        try (var ignored = GradMode.noGrad()) {
            out = f.apply(a, b, 1.0);
        }

        assertThat(f.seenInForward.get(0)).containsExactly(false, false, false);
        assertThat(out.requiresGrad()).isFalse();
        assertThat(out.gradFn()).isNull();
        assertThat(out.toDoubleArray()).containsExactly(4, 9);
        assertThatThrownBy(() -> out.sum().backward()).isInstanceOf(IllegalStateException.class);
        assertThat(f.seenInBackward).isEmpty();
    }

    @Test
    void forwardItselfRecordsNothing() {
        // ops inside forward run without recording, so the output's only history is the Function's node
        Tensor x = leaf(new double[] {1, 2}, 2);
        Tensor y = new Scale().apply(x.mul(3.0), 2.0);
        GradFn fn = y.gradFn();
        assertThat(fn.name()).isEqualTo("ScaleBackward");
        assertThat(fn.nextFunctions().get(0).name()).startsWith("MulBackward");
        assertThat(fn.nextFunctions().get(0).nextFunctions().get(0).name()).isEqualTo("AccumulateGrad");
    }

    @Test
    void anInputReturnedUnchangedKeepsItsOwnHistory() {
        Tensor x = leaf(new double[] {1, 2, 3}, 3);
        Tensor h = x.mul(2.0);
        GradFn before = h.gradFn();

        Tensor out = new Identity().apply(h);

        assertThat(out).isNotSameAs(h);
        assertThat(h.gradFn()).isSameAs(before);
        assertThat(out.gradFn().name()).isEqualTo("IdentityBackward");
        assertThat(out.gradFn().nextFunctions().get(0)).isSameAs(before);
        assertThat(out.toDoubleArray()).containsExactly(2, 4, 6);

        out.mul(h).sum().backward();
        // d/dx of (2x)^2 = 8x, both paths meeting in h's MulBackward
        assertThat(x.grad().toDoubleArray()).containsExactly(8, 16, 24);
    }

    @Test
    void aLeafReturnedUnchangedStaysALeaf() {
        Tensor x = leaf(new double[] {1, 2, 3}, 3);

        Tensor out = new Identity().apply(x);

        assertThat(x.isLeaf()).isTrue();
        assertThat(x.gradFn()).isNull();
        assertThat(out.isLeaf()).isFalse();
        assertThat(out.gradFn().name()).isEqualTo("IdentityBackward");
        out.mul(3.0).sum().backward();
        assertThat(x.grad().toDoubleArray()).containsOnly(3.0);
    }

    @Test
    void worksOnTheGpu() {
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        if (!Device.isGpuAvailable()) {
            if (ci) {
                fail("CI=true but no usable OpenCL device: CI installs PoCL so that this test runs");
            }
            Assumptions.abort("no usable OpenCL device (install pocl-opencl-icd to run this test on the CPU)");
        }
        Random r = new Random(7);
        double[] in = values(r, 5 * 4, -2, 2);
        double[] w = values(r, 3 * 4, -2, 2);
        double[] b = values(r, 3, -1, 1);
        double[] seed = values(r, 5 * 3, -1, 1);

        Tensor[] cpu = linearReluGradients(Device.CPU, in, w, b, seed);
        Tensor[] gpu = linearReluGradients(Device.GPU, in, w, b, seed);

        for (int i = 0; i < cpu.length; i++) {
            assertThat(gpu[i].device()).isEqualTo(Device.GPU);
            double[] c = cpu[i].toDoubleArray();
            double[] g = gpu[i].cpu().toDoubleArray();
            assertThat(g).hasSameSizeAs(c);
            // relative to the gradient's largest element: summation order differs between devices
            double scale = 0;
            for (double v : c) {
                scale = Math.max(scale, Math.abs(v));
            }
            assertThat(scale).isGreaterThan(0.1);
            for (int k = 0; k < c.length; k++) {
                assertThat(Math.abs(g[k] - c[k]))
                        .as("gradient %d element %d: gpu %s, cpu %s", i, k, g[k], c[k])
                        .isLessThanOrEqualTo(1e-5 * scale);
            }
        }
    }

    /** float32, as the GPU runs it; gradients of input, weight and bias of sum(relu(linear) * seed). */
    private static Tensor[] linearReluGradients(Device device, double[] in, double[] w, double[] b, double[] seed) {
        Options f32 = Options.of(DType.FLOAT32, device);
        Tensor input = Torch.tensor(in, f32).reshape(5, 4).requiresGrad_(true);
        Tensor weight = Torch.tensor(w, f32).reshape(3, 4).requiresGrad_(true);
        Tensor bias = Torch.tensor(b, f32).requiresGrad_(true);
        Tensor s = Torch.tensor(seed, f32).reshape(5, 3);

        Tensor out = MyReLU.relu(LinearFunction.linear(input, weight, bias));
        assertThat(out.gradFn().name()).isEqualTo("MyReLUBackward");
        out.mul(s).sum().backward();
        return new Tensor[] {input.grad(), weight.grad(), bias.grad()};
    }

    // ----------------------------------------------------------------------------------------

    private static Tensor leaf(double[] data, int... shape) {
        return Torch.tensor(data, DOUBLES).reshape(shape).requiresGrad_(true);
    }

    private static double[] values(Random r, int n, double lo, double hi) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + (hi - lo) * r.nextDouble();
        }
        return v;
    }
}
