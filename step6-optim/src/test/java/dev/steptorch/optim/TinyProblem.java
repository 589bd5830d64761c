package dev.steptorch.optim;

import dev.steptorch.autograd.GradMode;
import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Device;
import dev.steptorch.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The reference script's problem: parameters W (3x4) and b (3) from the file, and the loss
 * {@code sum(c * (x W^T + b - t)^2)} of fixed x, t, c.
 */
final class TinyProblem {
    final Tensor w;
    final Tensor b;
    private final Tensor x;
    private final Tensor t;
    private final Tensor c;

    TinyProblem(DType dtype, Device device) {
        OptimReference ref = OptimReference.get();
        w = ref.tensor("W0", dtype, device).requiresGrad_(true);
        b = ref.tensor("b0", dtype, device).requiresGrad_(true);
        x = ref.tensor("x", dtype, device);
        t = ref.tensor("t", dtype, device);
        c = ref.tensor("c", dtype, device);
    }

    static TinyProblem float64() {
        return new TinyProblem(DType.FLOAT64, Device.CPU);
    }

    /** Takes over another problem's current weights, as loading a model's state_dict would. */
    void copyWeightsFrom(TinyProblem other) {
        try (var ignored = GradMode.noGrad()) {
            w.copy_(other.w);
            b.copy_(other.b);
        }
    }

    List<Tensor> params() {
        return List.of(w, b);
    }

    Tensor loss() {
        Tensor residual = x.mm(w.t()).add(b).sub(t);
        return residual.mul(residual).mul(c).sum();
    }

    /** The training loop; returns {W, b} after each step. */
    List<double[][]> train(Optimizer optimizer, int steps) {
        List<double[][]> out = new ArrayList<>();
        for (int k = 0; k < steps; k++) {
            optimizer.zeroGrad();
            loss().backward();
            optimizer.step();
            out.add(new double[][] {w.toDoubleArray(), b.toDoubleArray()});
        }
        return out;
    }

    /** Same, with the optimizer made over this problem's parameters. */
    List<double[][]> train(Function<List<Tensor>, Optimizer> make, int steps) {
        return train(make.apply(params()), steps);
    }
}
