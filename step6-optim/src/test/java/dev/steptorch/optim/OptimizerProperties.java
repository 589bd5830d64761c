package dev.steptorch.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Device;
import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;

/** Closed forms the update rules must satisfy, on random shapes and options (float64). */
class OptimizerProperties {
    private static final Options F64 = Options.of(DType.FLOAT64, Device.CPU);

    private static Tensor random(Random r, int n, double lo, double hi) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + (hi - lo) * r.nextDouble();
            if (r.nextBoolean()) {
                v[i] = -v[i];
            }
        }
        return Torch.tensor(v, F64);
    }

    /**
     * With a constant gradient g, momentum m and no dampening, the buffer after j steps is
     * g (1 + m + ... + m^(j-1)), since it starts as a copy of g.
     */
    @Property(tries = 30)
    void sgdMomentumOnAConstantGradientFollowsTheGeometricSeries(@ForAll @IntRange(min = 1, max = 6) int n,
            @ForAll @IntRange(min = 1, max = 8) int steps, @ForAll @Scale(6) @DoubleRange(min = 0.01, max = 0.99) double momentum,
            @ForAll @Scale(6) @DoubleRange(min = 0.001, max = 0.5) double lr, @ForAll long seed) {
        Random r = new Random(seed);
        Tensor g = random(r, n, 0.1, 2);
        Tensor p = random(r, n, 0, 1).requiresGrad_(true);
        double[] p0 = p.toDoubleArray();
        SGD sgd = new SGD(List.of(p), SGD.defaults().lr(lr).momentum(momentum));
        double total = 0;
        for (int j = 1; j <= steps; j++) {
            p.setGrad(g.clone());
            sgd.step();
            total += (1 - Math.pow(momentum, j)) / (1 - momentum);
        }
        double[] gs = g.toDoubleArray();
        double[] ps = p.toDoubleArray();
        for (int i = 0; i < n; i++) {
            assertThat(ps[i]).isCloseTo(p0[i] - lr * gs[i] * total, offset(1e-9));
        }
    }

    /** Adam's first step: both averages are exactly corrected, so each coordinate moves lr * g / (|g| + eps). */
    @Property(tries = 30)
    void adamsFirstStepMovesEachCoordinateByAboutLr(@ForAll @IntRange(min = 1, max = 6) int n,
            @ForAll @Scale(6) @DoubleRange(min = 0.0001, max = 0.5) double lr, @ForAll @Scale(6) @DoubleRange(min = 0.0, max = 0.99) double beta1,
            @ForAll @Scale(6) @DoubleRange(min = 0.0, max = 0.9999) double beta2, @ForAll long seed) {
        Random r = new Random(seed);
        Tensor g = random(r, n, 1e-3, 10);
        Tensor p = random(r, n, 0, 1).requiresGrad_(true);
        double[] p0 = p.toDoubleArray();
        double eps = 1e-8;
        p.setGrad(g);
        Adam adam = new Adam(List.of(p), Adam.defaults().lr(lr).betas(beta1, beta2).eps(eps));
        adam.step();
        double[] gs = g.toDoubleArray();
        double[] ps = p.toDoubleArray();
        for (int i = 0; i < n; i++) {
            double expected = p0[i] - lr * gs[i] / (Math.abs(gs[i]) + eps);
            assertThat(ps[i]).isCloseTo(expected, offset(1e-12 + 1e-9 * lr));
        }
    }

    /**
     * Adam reuses one tensor for g * g, sqrt and the quotient: the parameters must be, to the bit,
     * those of its formula written with a fresh tensor for every op (float32, long enough that the
     * ops are cut across threads; with weight decay, maximize and amsgrad).
     */
    @Property(tries = 25)
    void adamIsItsFormulaWithAFreshTensorForEveryOp(@ForAll @IntRange(min = 1, max = 140_000) int n,
            @ForAll @IntRange(min = 1, max = 4) int steps, @ForAll boolean decay, @ForAll boolean maximize,
            @ForAll boolean amsgrad, @ForAll long seed) {
        Random r = new Random(seed);
        double lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay = decay ? 0.01 : 0;
        Tensor p = random(r, n, 0, 1).to(DType.FLOAT32).requiresGrad_(true);
        Tensor q = p.detach().clone();
        Tensor m = Torch.zerosLike(q), v = Torch.zerosLike(q), vMax = Torch.zerosLike(q);
        Adam adam = new Adam(List.of(p), Adam.defaults().lr(lr).weightDecay(weightDecay).maximize(maximize).amsgrad(amsgrad));
        for (int t = 1; t <= steps; t++) {
            Tensor grad = random(r, n, 1e-4, 3).to(DType.FLOAT32);
            p.setGrad(grad.clone());
            adam.step();
            Tensor g = maximize ? grad.neg() : grad;
            if (decay) {
                g = g.add(q, weightDecay);
            }
            m.mul_(beta1).add_(g, 1 - beta1);
            v.mul_(beta2).add_(g.mul(g), 1 - beta2);
            Tensor second = v;
            if (amsgrad) {
                vMax.copy_(vMax.maximum(v));
                second = vMax;
            }
            Tensor denom = second.sqrt().div(Math.sqrt(1 - Math.pow(beta2, t))).add_(eps);
            q.add_(m.div(denom), -lr / (1 - Math.pow(beta1, t)));
            assertThat(p.detach().toFloatArray()).as("step %d", t).isEqualTo(q.toFloatArray());
        }
    }

    /** RMSprop's first step has no bias correction: v = (1 - alpha) g^2, so the move is lr / sqrt(1 - alpha). */
    @Property(tries = 30)
    void rmspropsFirstStepIsLargeByOneOverSqrtOfOneMinusAlpha(@ForAll @IntRange(min = 1, max = 6) int n,
            @ForAll @Scale(6) @DoubleRange(min = 0.0001, max = 0.1) double lr, @ForAll @Scale(6) @DoubleRange(min = 0.5, max = 0.999) double alpha,
            @ForAll long seed) {
        Random r = new Random(seed);
        Tensor g = random(r, n, 1e-2, 10);
        Tensor p = random(r, n, 0, 1).requiresGrad_(true);
        double[] p0 = p.toDoubleArray();
        p.setGrad(g);
        new RMSprop(List.of(p), RMSprop.defaults().lr(lr).alpha(alpha).eps(0)).step();
        double[] gs = g.toDoubleArray();
        double[] ps = p.toDoubleArray();
        for (int i = 0; i < n; i++) {
            double expected = p0[i] - Math.signum(gs[i]) * lr / Math.sqrt(1 - alpha);
            assertThat(ps[i]).isCloseTo(expected, offset(1e-9 * lr / Math.sqrt(1 - alpha)));
        }
    }

    /** Adagrad on a constant gradient (eps = 0): the j-th step moves lr / sqrt(j) against the gradient's sign. */
    @Property(tries = 30)
    void adagradStepsShrinkAsOneOverSqrtOfTheStep(@ForAll @IntRange(min = 1, max = 6) int n,
            @ForAll @IntRange(min = 1, max = 8) int steps, @ForAll @Scale(6) @DoubleRange(min = 0.001, max = 0.5) double lr,
            @ForAll long seed) {
        Random r = new Random(seed);
        Tensor g = random(r, n, 1e-2, 10);
        Tensor p = random(r, n, 0, 1).requiresGrad_(true);
        double[] p0 = p.toDoubleArray();
        Adagrad adagrad = new Adagrad(List.of(p), Adagrad.defaults().lr(lr).eps(0));
        double total = 0;
        for (int j = 1; j <= steps; j++) {
            p.setGrad(g.clone());
            adagrad.step();
            total += 1 / Math.sqrt(j);
        }
        double[] gs = g.toDoubleArray();
        double[] ps = p.toDoubleArray();
        for (int i = 0; i < n; i++) {
            assertThat(ps[i]).isCloseTo(p0[i] - Math.signum(gs[i]) * lr * total, offset(1e-9));
        }
    }
}
