package dev.steptorch.autograd.lessons;

import dev.steptorch.autograd.GradMode;
import dev.steptorch.cli.Cli;
import dev.steptorch.tensor.GradFn;
import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;

/**
 * The blitz's autograd tour: requiresGrad, gradFn, out.backward() giving 4.5, and a vector-Jacobian product.
 *
 * <p>Every op on a tensor that requires grad leaves a node ({@code gradFn}) that knows how to send
 * gradients back to its inputs; {@code backward()} runs those nodes from the output to the
 * leaves. For a non-scalar output autograd cannot form the full Jacobian, so {@code backward(v)}
 * computes the vector-Jacobian product {@code v^T J} instead.
 */
public final class AutogradTour {
    private AutogradTour() {
    }

    public static void main(String[] args) {
        long seed = Cli.lesson(args, "AutogradTour",
                "The blitz's autograd tour: requiresGrad, gradFn, out.backward() giving 4.5, and a vector-Jacobian product.",
                "./lesson AutogradTour 7",
                new Cli.Value("SEED", long.class, "the seed of the random tensors", "0")).<Long>get(0);
        Torch.manualSeed(seed);

        // A leaf tensor whose operations will be tracked.
        Tensor x = Torch.ones(Options.requiresGrad(true), 2, 2);
        System.out.println(x);

        // y is the result of an op, so it has a gradFn.
        Tensor y = x.add(2);
        System.out.println(y);
        System.out.println(y.gradFn());

        Tensor z = y.mul(y).mul(3);
        Tensor out = z.mean();
        System.out.println(z + " " + out);

        // requires_grad is false unless asked for; requiresGrad_ flips it in place.
        Tensor a = Torch.randn(2, 2);
        a = a.mul(3).div(a.sub(1));
        System.out.println(a.requiresGrad());
        a.requiresGrad_(true);
        System.out.println(a.requiresGrad());
        Tensor b = a.mul(a).sum();
        System.out.println(b.gradFn());

        // out = mean(3 (x + 2)^2), so d(out)/dx = 3 (x + 2) / 2 = 4.5 at x = 1.
        out.backward();
        System.out.println(x.grad());

        // Walking the graph back from out, as loss.grad_fn.next_functions does.
        GradFn fn = out.gradFn();
        while (fn != null) {
            System.out.println(fn);
            fn = fn.nextFunctions().isEmpty() ? null : fn.nextFunctions().get(0);
        }

        // y doubles until its norm passes 1000; y is not a scalar, so backward needs a vector v.
        Tensor w = Torch.randn(Options.requiresGrad(true), 3);
        Tensor v = w.mul(2);
        while (v.data().norm().item() < 1000) {
            v = v.mul(2);
        }
        System.out.println(v);
        Tensor gradients = Torch.tensor(new float[] {0.1f, 1.0f, 0.0001f});
        v.backward(gradients);
        System.out.println(w.grad());

        // Inside noGrad nothing is recorded, even for tensors that require grad.
        System.out.println(w.requiresGrad());
        System.out.println(w.pow(2).requiresGrad());
        try (var ignored = GradMode.noGrad()) {
            System.out.println(w.pow(2).requiresGrad());
        }
    }
}
