package dev.steptorch.function;

import dev.steptorch.autograd.Node;
import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Device;
import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.util.Arrays;

/** The graph node of one call of a {@link Function}: backward is the user's, checked on the way out. */
final class FunctionNode extends Node {
    private final Function function;
    private final FunctionCtx ctx;
    private final int[][] outputShapes;
    private final DType[] outputDtypes;
    private final Device[] outputDevices;
    private final int[][] inputShapes;

    FunctionNode(Function function, FunctionCtx ctx, Tensor[] inputs, Tensor[] outputs) {
        super(function.name(), inputs, outputs.length);
        this.function = function;
        this.ctx = ctx;
        outputShapes = new int[outputs.length][];
        outputDtypes = new DType[outputs.length];
        outputDevices = new Device[outputs.length];
        for (int i = 0; i < outputs.length; i++) {
            outputShapes[i] = outputs[i].shape();
            outputDtypes[i] = outputs[i].dtype();
            outputDevices[i] = outputs[i].device();
        }
        inputShapes = new int[inputs.length][];
        for (int i = 0; i < inputs.length; i++) {
            inputShapes[i] = inputs[i] == null ? null : inputs[i].shape();
        }
    }

    void connect(Tensor output, int outputNr) {
        setOutput(output, outputNr);
    }

    @Override
    protected Tensor[] apply(Tensor[] gradOutputs, Tensor[] accumulateInto) {
        ctx.setAccumulateInto(accumulateInto);
        try {
            return apply(gradOutputs);
        } finally {
            ctx.setAccumulateInto(null);
        }
    }

    @Override
    protected Tensor[] apply(Tensor[] gradOutputs) {
        Tensor[] grads = gradOutputs.clone();
        for (int i = 0; i < grads.length; i++) {
            if (grads[i] == null && ctx.materializeGrads()) {
                grads[i] = Torch.zeros(Options.of(outputDtypes[i], outputDevices[i]), outputShapes[i]);
            }
        }
        Tensor[] gradInputs = function.backward(ctx, grads);
        if (gradInputs == null || gradInputs.length != numInputs()) {
            throw new IllegalStateException("function " + name() + " returned an incorrect number of gradients (expected "
                    + numInputs() + ", got " + (gradInputs == null ? 0 : gradInputs.length) + ")");
        }
        for (int i = 0; i < gradInputs.length; i++) {
            Tensor g = gradInputs[i];
            if (g == null) {
                continue;
            }
            if (inputShapes[i] == null) {
                throw new IllegalStateException("function " + name() + " returned a gradient for argument " + i
                        + ", which is not a Tensor; return null there");
            }
            if (!broadcastsTo(g.shape(), inputShapes[i])) {
                throw new IllegalStateException("Function " + name() + " returned an invalid gradient at index " + i + " - got "
                        + Arrays.toString(g.shape()) + " but expected shape compatible with " + Arrays.toString(inputShapes[i]));
            }
        }
        return gradInputs;
    }

    /** True if summing {@code grad} over broadcast dims gives {@code input} (the engine does that sum). */
    private static boolean broadcastsTo(int[] grad, int[] input) {
        int lead = grad.length - input.length;
        if (lead < 0) {
            return false;
        }
        for (int d = 0; d < input.length; d++) {
            if (input[d] != 1 && input[d] != grad[lead + d]) {
                return false;
            }
        }
        return true;
    }

    @Override
    protected void release() {
        ctx.release();
    }
}
