package dev.steptorch.function.lessons;

import dev.steptorch.function.Function;
import dev.steptorch.function.FunctionCtx;
import dev.steptorch.tensor.Tensor;

/**
 * The course's custom ReLU: forward clamps at zero and keeps its input; backward lets the
 * gradient through where the input was positive and zeroes it elsewhere.
 */
public final class MyReLU extends Function {
    /** Call it like PyTorch's {@code MyReLU.apply(x)}. */
    public static Tensor relu(Tensor x) {
        return new MyReLU().apply(x);
    }

    @Override
    protected Object forward(FunctionCtx ctx, Object... args) {
        Tensor x = (Tensor) args[0];
        ctx.saveForBackward(x);
        return x.clamp(0);
    }

    @Override
    protected Tensor[] backward(FunctionCtx ctx, Tensor... gradOutputs) {
        // BEGIN SOLUTION step4.my-relu-backward
        Tensor x = ctx.savedTensors()[0];
        Tensor gradX = gradOutputs[0].clone();
        gradX.maskedFill_(x.lt(0), 0); // grad_x[x < 0] = 0
        return new Tensor[] {gradX};
        // END SOLUTION
    }
}
