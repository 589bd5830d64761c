package dev.steptorch.nn;

import static dev.steptorch.tensor.ExerciseAssert.check;
import static dev.steptorch.tensor.ExerciseAssert.close;
import static dev.steptorch.tensor.ExerciseAssert.float64;

import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The graded tests of step 5's classroom exercises (exercises.txt, docs/teaching.md), one per exercise. */
class NnExercisesTest {
    private static final Options F64 = Options.dtype(DType.FLOAT64);


    @Test
    void linearForward() {
        Tensor x = float64(new double[] {1, 2, 3, -1, 0, 2}, 2, 3);
        Tensor w = float64(new double[] {1, 0, -1, 2, 1, 0.5}, 2, 3);
        Tensor b = float64(new double[] {0.5, -1}, 2);
        close("F.linear(x [2, 3], W [2, 3], b [2]) = x . W^T + b", F.linear(x, w, b), new double[] {-1.5, 4.5, -2.5, -2}, 1e-12);
        close("F.linear without bias = x . W^T", F.linear(x, w, null), new double[] {-2, 5.5, -3, -1}, 1e-12);
        Tensor batch = float64(new double[] {1, 2, 3, -1, 0, 2, 1, 2, 3, -1, 0, 2}, 2, 2, 3);
        Tensor y = F.linear(batch, w, b);
        check(y.dim() == 3 && y.size(0) == 2 && y.size(1) == 2 && y.size(2) == 2,
                "F.linear of an input [2, 2, 3] keeps the leading dims and ends in out_features: expected [2, 2, 2], got " + y.size());
        close("F.linear of an input [2, 2, 3]", y, new double[] {-1.5, 4.5, -2.5, -2, -1.5, 4.5, -2.5, -2}, 1e-12);
    }

    @Test
    void linearInit() {
        Torch.manualSeed(0);
        Linear layer = new Linear(16, 3);
        Tensor w = layer.weight();
        Tensor b = layer.bias();
        check(w != null && w.dim() == 2 && w.size(0) == 3 && w.size(1) == 16,
                "Linear(16, 3).weight should have shape [3, 16] (out_features, in_features), got " + (w == null ? "null" : w.size()));
        check(b != null && b.dim() == 1 && b.size(0) == 3, "Linear(16, 3).bias should have shape [3], got " + (b == null ? "null" : b.size()));
        check(w.requiresGrad() && b.requiresGrad(), "a registered parameter requires grad");
        double bound = 1 / Math.sqrt(16);
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        for (double v : w.toDoubleArray()) {
            check(Math.abs(v) <= bound, "Linear(16, 3).weight: kaiming_uniform_ with a = sqrt(5) draws within +-1/sqrt(16) = 0.25, got " + v);
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        check(hi - lo > bound, "Linear(16, 3).weight should be drawn at random in [-0.25, 0.25], but its values span only "
                + (hi - lo));
        for (double v : b.toDoubleArray()) {
            check(Math.abs(v) <= bound && v != 0, "Linear(16, 3).bias: uniform within +-1/sqrt(in_features) = 0.25, got " + v);
        }
        Linear plain = new Linear(4, 2, false);
        check(plain.bias() == null, "Linear(4, 2, bias=False).bias should be None (null)");
    }

    /** Two layers, one of them shared, and a buffer. */
    private static final class Net extends Module {
        Net() {
            Linear shared = new Linear(2, 2);
            registerModule("first", shared);
            registerModule("inner", new Sequential(new Linear(2, 3), new ReLU()));
            registerModule("again", shared);
            registerParameter("scale", Torch.ones(F64, 1));
            registerParameter("missing", null);
        }
    }

    @Test
    void parameterNames() {
        List<String> names = List.copyOf(new Net().namedParameters().keySet());
        List<String> expected = List.of("scale", "first.weight", "first.bias", "inner.0.weight", "inner.0.bias");
        check(names.equals(expected), "named_parameters() of a module with its own parameter 'scale', a child 'first', a "
                + "Sequential 'inner' and 'first' registered again as 'again': expected " + expected + " (own parameters first, "
                + "children's under dotted names, a shared tensor once, None skipped), got " + names);
        check(new Net().parameters().size() == 5, "parameters() should list 5 tensors, got " + new Net().parameters().size());
    }

    private static final double[] LOG_PROBS = {-1.2, -0.4, -2.0, -0.1, -3.0, -2.5, -0.7, -0.9, -1.5};

    @Test
    void nllLoss() {
        Tensor target = Torch.tensor(new long[] {1, 0, 2});
        Tensor input = float64(LOG_PROBS, 3, 3).requiresGrad_(true);
        Tensor none = Losses.nllLoss(input, target, Reduction.NONE);
        close("nll_loss(reduction='none'): -input[n, target[n]] for each sample", none, new double[] {0.4, 0.1, 1.5}, 1e-12);
        close("nll_loss(reduction='sum')", Losses.nllLoss(input, target, Reduction.SUM), new double[] {2.0}, 1e-12);
        Tensor mean = Losses.nllLoss(input, target);
        close("nll_loss (mean over the batch of 3)", mean, new double[] {2.0 / 3}, 1e-12);
        mean.backward();
        close("input.grad of the mean nll_loss (-1/3 at each target, 0 elsewhere)", input.grad(),
                new double[] {0, -1.0 / 3, 0, -1.0 / 3, 0, 0, 0, 0, -1.0 / 3}, 1e-12);
    }

    @Test
    void crossEntropy() {
        double[] logits = {2, 1, 0.5, -1, 0, 3};
        long[] labels = {0, 2};
        Tensor input = float64(logits, 2, 3).requiresGrad_(true);
        Tensor loss = Losses.crossEntropy(input, Torch.tensor(labels));
        double expected = 0;
        double[] softmax = new double[6];
        for (int n = 0; n < 2; n++) {
            double z = 0;
            for (int c = 0; c < 3; c++) {
                z += Math.exp(logits[n * 3 + c]);
            }
            for (int c = 0; c < 3; c++) {
                softmax[n * 3 + c] = Math.exp(logits[n * 3 + c]) / z;
            }
            expected += (Math.log(z) - logits[n * 3 + (int) labels[n]]) / 2;
        }
        close("cross_entropy(logits [[2, 1, 0.5], [-1, 0, 3]], targets [0, 2]) = mean of log(sum exp) - logit of the target",
                loss, new double[] {expected}, 1e-12);
        loss.backward();
        double[] grad = softmax.clone();
        grad[0] -= 1;
        grad[5] -= 1;
        for (int i = 0; i < 6; i++) {
            grad[i] /= 2;
        }
        close("logits.grad of cross_entropy ((softmax - one_hot) / batch)", input.grad(), grad, 1e-12);
    }
}
