package dev.steptorch.autograd;

import static dev.steptorch.tensor.ExerciseAssert.check;
import static dev.steptorch.tensor.ExerciseAssert.close;
import static dev.steptorch.tensor.ExerciseAssert.float64;

import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import org.junit.jupiter.api.Test;

/**
 * The graded tests of step 3's classroom exercises (exercises.txt, docs/teaching.md), one per
 * exercise. Each backward is started with an explicit gradient rather than through sum(), so a
 * test depends on its own row only.
 */
class AutogradExercisesTest {
    private static final Options F64 = Options.dtype(DType.FLOAT64);

    private static Tensor leaf(double[] values, int... shape) {
        return float64(values, shape).requiresGrad_(true);
    }

    @Test
    void mulBackward() {
        Tensor a = leaf(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor b = leaf(new double[] {-1, 0.5, 2}, 3);
        Tensor g = Torch.tensor(new double[] {1, 10, 100, 1000, 10000, 100000}, F64).view(2, 3);
        Tensor y = a.mul(b);
        check(y.gradFn() != null && y.gradFn().name().equals("MulBackward0"),
                "a * b should record the node MulBackward0, got " + (y.gradFn() == null ? "no node" : y.gradFn().name()));
        y.backward(g);
        close("a.grad for y = a * b (d y / d a = b, times the incoming gradient)", a.grad(),
                new double[] {-1, 5, 200, -1000, 5000, 200000}, 1e-12);
        close("b.grad for y = a * b with b broadcast over the rows (d y / d b = a, summed over the rows)", b.grad(),
                new double[] {1 * 1 + 4 * 1000, 2 * 10 + 5 * 10000, 3 * 100 + 6 * 100000}, 1e-12);
    }

    @Test
    void mmBackward() {
        double[] av = {1, 2, 3, 4, 5, 6};
        double[] gv = {1, 2, 3, 4, 5, 6, 7, 8};
        Tensor a = leaf(av, 2, 3);
        double[] bv = {1, -1, 2, 0, 3, 1, -2, 4, 0, 1, 1, 1};
        Tensor b = leaf(bv, 3, 4);
        Tensor y = a.mm(b);
        check(y.gradFn() != null && y.gradFn().name().equals("MmBackward0"),
                "a.mm(b) should record the node MmBackward0, got " + (y.gradFn() == null ? "no node" : y.gradFn().name()));
        y.backward(Torch.tensor(gv, F64).view(2, 4));
        double[] da = new double[6];
        double[] db = new double[12];
        for (int i = 0; i < 2; i++) {
            for (int k = 0; k < 3; k++) {
                for (int j = 0; j < 4; j++) {
                    da[i * 3 + k] += gv[i * 4 + j] * bv[k * 4 + j];
                    db[k * 4 + j] += av[i * 3 + k] * gv[i * 4 + j];
                }
            }
        }
        close("a.grad for y = a.mm(b), a of shape [2, 3] (G . b^T)", a.grad(), da, 1e-12);
        close("b.grad for y = a.mm(b), b of shape [3, 4] (a^T . G)", b.grad(), db, 1e-12);
    }

    @Test
    void reluBackward() {
        Tensor x = leaf(new double[] {-2, -0.5, 0.5, 3}, 4);
        Tensor g = Torch.tensor(new double[] {1, 2, 3, 4}, F64);
        x.clamp(0).backward(g);
        close("x.grad for relu(x) = x.clamp(min=0) at x = [-2, -0.5, 0.5, 3] (1 where x >= 0, else 0; times g = [1, 2, 3, 4])",
                x.grad(), new double[] {0, 0, 3, 4}, 0);
        Tensor z = leaf(new double[] {-2, -1, 0.5, 1, 3}, 5);
        z.clamp(-1, 1).backward(Torch.onesLike(z));
        close("z.grad for z.clamp(-1, 1) at z = [-2, -1, 0.5, 1, 3] (the bounds themselves pass the gradient)", z.grad(),
                new double[] {0, 1, 1, 1, 0}, 0);
        Tensor w = leaf(new double[] {-3, 2, 5}, 3);
        w.clampMax(2).backward(Torch.onesLike(w));
        close("w.grad for w.clamp(max=2) at w = [-3, 2, 5] (no lower bound)", w.grad(), new double[] {1, 1, 0}, 0);
    }

    @Test
    void sumMeanBackward() {
        Tensor x = leaf(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor s = x.sum();
        check(s.gradFn().name().equals("SumBackward0"), "x.sum() should record SumBackward0, got " + s.gradFn().name());
        s.backward();
        close("x.grad for x.sum() (every element counts once)", x.grad(), new double[] {1, 1, 1, 1, 1, 1}, 0);

        Tensor y = leaf(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor rows = y.sum(1, false);
        check(rows.gradFn().name().equals("SumBackward1"), "y.sum(1) should record SumBackward1, got " + rows.gradFn().name());
        rows.backward(Torch.tensor(new double[] {10, 20}, F64));
        close("y.grad for y.sum(dim=1) with gradient [10, 20] (each row's gradient spread over its row)", y.grad(),
                new double[] {10, 10, 10, 20, 20, 20}, 0);

        Tensor m = leaf(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        m.mean().backward();
        close("m.grad for m.mean() over 6 elements", m.grad(), new double[] {1.0 / 6, 1.0 / 6, 1.0 / 6, 1.0 / 6, 1.0 / 6, 1.0 / 6}, 1e-12);

        Tensor c = leaf(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        c.mean(0, true).backward(Torch.tensor(new double[] {2, 4, 6}, F64).view(1, 3));
        close("c.grad for c.mean(dim=0, keepdim=True) with gradient [[2, 4, 6]] (each column averages 2 rows)", c.grad(),
                new double[] {1, 2, 3, 1, 2, 3}, 1e-12);

        Tensor bias = leaf(new double[] {1, 1, 1}, 3);
        Tensor z = Torch.zeros(F64, 4, 3).add(bias);
        z.sum().backward();
        close("bias.grad for (zeros(4, 3) + bias).sum(), bias broadcast over 4 rows", bias.grad(), new double[] {4, 4, 4}, 0);
    }

    @Test
    void engineDependencies() {
        // x feeds a, and a feeds the root along a short path (neg) and a long one (exp, exp): a's
        // node must wait for both before passing the sum on to x.
        double[] xv = {-1, 0.25, 0.5};
        Tensor x = leaf(xv, 3);
        Tensor a = x.add(1);
        Tensor y = a.exp().exp().add(a.neg());
        y.backward(Torch.onesLike(y));
        double[] expected = new double[3];
        for (int i = 0; i < 3; i++) {
            double av = xv[i] + 1;
            expected[i] = Math.exp(Math.exp(av)) * Math.exp(av) - 1;
        }
        close("x.grad for y = exp(exp(a)) - a with a = x + 1 (a is used twice: its node must add both gradients before it runs)",
                x.grad(), expected, 1e-12);

        Tensor w = leaf(new double[] {2}, 1);
        Tensor h = w;
        for (int i = 0; i < 3; i++) {
            h = h.add(h); // each step uses h twice: 8 w in the end
        }
        h.backward(Torch.onesLike(h));
        close("w.grad for h = w + w, three times over (h = 8 w)", w.grad(), new double[] {8}, 0);
    }
}
