package dev.steptorch.optim;

import static dev.steptorch.tensor.ExerciseAssert.check;
import static dev.steptorch.tensor.ExerciseAssert.close;

import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The graded tests of step 6's classroom exercises (exercises.txt, docs/teaching.md), one per
 * exercise. Each optimizer takes three steps with three different gradients and is compared,
 * step by step, with the update rule written out in plain Java.
 */
class OptimExercisesTest {
    private static final Options F64 = Options.dtype(DType.FLOAT64);
    private static final double[] P0 = {1.0, -2.0, 0.5};
    private static final double[][] GRADS = {{0.5, -1.0, 2.0}, {0.25, 0.5, -1.5}, {-0.75, 1.0, 0.5}};

    private static Tensor param() {
        return Torch.tensor(P0, F64).requiresGrad_(true);
    }

    @Test
    void sgdMomentum() {
        for (boolean nesterov : new boolean[] {false, true}) {
            double lr = 0.1, momentum = 0.9, dampening = nesterov ? 0 : 0.2;
            Tensor p = param();
            SGD sgd = new SGD(List.of(p), SGD.defaults().lr(lr).momentum(momentum).dampening(dampening).nesterov(nesterov));
            double[] expected = P0.clone();
            double[] buf = null;
            for (int t = 0; t < GRADS.length; t++) {
                p.setGrad(Torch.tensor(GRADS[t], F64));
                sgd.step();
                double[] g = GRADS[t];
                if (buf == null) {
                    buf = g.clone();
                } else {
                    for (int i = 0; i < 3; i++) {
                        buf[i] = momentum * buf[i] + (1 - dampening) * g[i];
                    }
                }
                for (int i = 0; i < 3; i++) {
                    expected[i] -= lr * (nesterov ? g[i] + momentum * buf[i] : buf[i]);
                }
                close("the parameter after SGD step " + (t + 1) + " (momentum 0.9, " + (nesterov ? "nesterov" : "dampening 0.2") + ")",
                        p, expected, 1e-12);
            }
        }
    }

    @Test
    void adamBiasCorrection() {
        for (boolean amsgrad : new boolean[] {false, true}) {
            double lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-8;
            Tensor p = param();
            Adam adam = new Adam(List.of(p), Adam.defaults().lr(lr).betas(b1, b2).eps(eps).amsgrad(amsgrad));
            double[] expected = P0.clone();
            double[] m = new double[3];
            double[] v = new double[3];
            double[] vMax = new double[3];
            for (int t = 1; t <= GRADS.length; t++) {
                p.setGrad(Torch.tensor(GRADS[t - 1], F64));
                adam.step();
                for (int i = 0; i < 3; i++) {
                    double g = GRADS[t - 1][i];
                    m[i] = b1 * m[i] + (1 - b1) * g;
                    v[i] = b2 * v[i] + (1 - b2) * g * g;
                    vMax[i] = Math.max(vMax[i], v[i]);
                    double denom = Math.sqrt(amsgrad ? vMax[i] : v[i]) / Math.sqrt(1 - Math.pow(b2, t)) + eps;
                    expected[i] -= lr / (1 - Math.pow(b1, t)) * m[i] / denom;
                }
                close("the parameter after Adam step " + t + (amsgrad ? " with amsgrad" : "")
                        + " (each average divided by 1 - beta^t before use)", p, expected, 1e-12);
            }
        }
    }

    @Test
    void rmsprop() {
        for (boolean centered : new boolean[] {false, true}) {
            double lr = 0.01, alpha = 0.9, eps = 1e-8, momentum = centered ? 0.5 : 0;
            Tensor p = param();
            RMSprop opt = new RMSprop(List.of(p), RMSprop.defaults().lr(lr).alpha(alpha).eps(eps).momentum(momentum).centered(centered));
            double[] expected = P0.clone();
            double[] sq = new double[3];
            double[] avg = new double[3];
            double[] buf = new double[3];
            for (int t = 0; t < GRADS.length; t++) {
                p.setGrad(Torch.tensor(GRADS[t], F64));
                opt.step();
                for (int i = 0; i < 3; i++) {
                    double g = GRADS[t][i];
                    sq[i] = alpha * sq[i] + (1 - alpha) * g * g;
                    avg[i] = alpha * avg[i] + (1 - alpha) * g;
                    double denom = Math.sqrt(centered ? sq[i] - avg[i] * avg[i] : sq[i]) + eps;
                    if (momentum > 0) {
                        buf[i] = momentum * buf[i] + g / denom;
                        expected[i] -= lr * buf[i];
                    } else {
                        expected[i] -= lr * g / denom;
                    }
                }
                close("the parameter after RMSprop step " + (t + 1) + (centered ? " (centered, momentum 0.5)" : ""), p, expected, 1e-12);
            }
        }
    }

    @Test
    void stepLr() {
        Tensor p = param();
        SGD sgd = new SGD(List.of(p), SGD.defaults().lr(0.1));
        StepLR scheduler = new StepLR(sgd, 3, 0.5);
        for (int epoch = 1; epoch <= 10; epoch++) {
            sgd.step();
            scheduler.step();
            double expected = 0.1 * Math.pow(0.5, epoch / 3);
            double got = sgd.paramGroups().get(0).lr();
            check(Math.abs(got - expected) < 1e-15, "StepLR(step_size=3, gamma=0.5) from lr 0.1: after " + epoch
                    + " scheduler step(s) the lr should be " + expected + " (halved every 3 epochs), got " + got);
        }
    }
}
