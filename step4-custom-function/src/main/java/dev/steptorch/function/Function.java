package dev.steptorch.function;

import dev.steptorch.autograd.GradMode;
import dev.steptorch.tensor.Tensor;

/**
 * A user-defined autograd op, PyTorch's {@code torch.autograd.Function}: write {@link #forward}
 * with ordinary tensor ops (nothing inside it is recorded) and {@link #backward} by hand; call it
 * through {@link #apply}, which runs forward and puts one graph node in front of the outputs.
 *
 * <pre>{@code
 * UnaryOperator<Tensor> relu = new MyReLU()::apply;
 * Tensor yPred = relu.apply(x.mm(w1)).mm(w2);
 * }</pre>
 *
 * <p>Arguments may be tensors or anything else (constants, flags); backward returns one gradient
 * per argument, null for arguments that need none.
 */
public abstract class Function {
    /** Computes the outputs: a {@link Tensor}, or a {@code Tensor[]} for several outputs. */
    protected abstract Object forward(FunctionCtx ctx, Object... args);

    /** Gradients of every forward argument, given one gradient per output (zeros where unused). */
    protected abstract Tensor[] backward(FunctionCtx ctx, Tensor... gradOutputs);

    /** Runs the function on {@code args}; for functions with one output. */
    public final Tensor apply(Object... args) {
        Tensor[] outputs = applyAll(args);
        if (outputs.length != 1) {
            throw new IllegalStateException(name() + " returned " + outputs.length + " outputs; call applyAll for them");
        }
        return outputs[0];
    }

    /** Runs the function on {@code args} and returns every output. */
    public final Tensor[] applyAll(Object... args) {
        Tensor[] inputs = new Tensor[args.length];
        boolean[] needsGrad = new boolean[args.length];
        boolean record = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i] instanceof Tensor t) {
                inputs[i] = t;
                needsGrad[i] = GradMode.isEnabled() && t.requiresGrad();
                record |= needsGrad[i];
            }
        }
        FunctionCtx ctx = new FunctionCtx(name(), needsGrad);
        Object result;
        try (var ignored = GradMode.noGrad()) {
            result = forward(ctx, args);
        }
        Tensor[] outputs = outputsOf(result, inputs);
        if (record) {
            FunctionNode node = new FunctionNode(this, ctx, inputs, outputs);
            for (int i = 0; i < outputs.length; i++) {
                if (outputs[i].dtype().isFloatingPoint()) {
                    node.connect(outputs[i], i);
                }
            }
        }
        return outputs;
    }

    /** The graph node's name, as PyTorch names it: {@code MyReLUBackward}. */
    public String name() {
        return getClass().getSimpleName() + "Backward";
    }

    private Tensor[] outputsOf(Object result, Tensor[] inputs) {
        Tensor[] outputs;
        if (result instanceof Tensor t) {
            outputs = new Tensor[] {t};
        } else if (result instanceof Tensor[] ts) {
            outputs = ts.clone();
        } else {
            throw new IllegalStateException(getClass().getSimpleName() + ".forward must return a Tensor or a Tensor[], got "
                    + (result == null ? "null" : result.getClass().getSimpleName()));
        }
        for (int i = 0; i < outputs.length; i++) {
            if (outputs[i] == null) {
                throw new IllegalStateException(getClass().getSimpleName() + ".forward returned null as output " + i);
            }
            for (Tensor in : inputs) {
                if (outputs[i] == in) {
                    // an input handed back unchanged must not lose its own history: give the output a fresh view
                    outputs[i] = in.data();
                }
            }
        }
        return outputs;
    }
}
