package dev.steptorch.autograd;

import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Device;
import dev.steptorch.tensor.GradFn;
import dev.steptorch.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One recorded op, seen from the backward pass: given the gradients of its outputs it returns the
 * gradients of its inputs, and it knows where each of those must go next. This is what
 * {@code tensor.gradFn()} returns and what the blitz walks with {@code next_functions}.
 */
public abstract class Node implements GradFn {
    private final String name;
    private final Edge[] next;
    private final InputMeta[] inputs;
    private final int numOutputs;
    /** Per output, the non-leaf tensors that asked for {@code retainGrad()}. */
    private final List<List<AutogradMeta>> retained;

    /** The shape, dtype and device a gradient for one input must have on arrival. */
    record InputMeta(int[] shape, DType dtype, Device device) {
    }

    /** {@code inputs} are the forward inputs (null or non-differentiable ones get no edge). */
    protected Node(String name, Tensor[] inputs, int numOutputs) {
        this.name = name;
        this.next = new Edge[inputs.length];
        this.inputs = new InputMeta[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            Tensor in = inputs[i];
            if (in != null && !in.isWrappedNumber()) {
                next[i] = AutogradMeta.gradientEdge(in);
                this.inputs[i] = new InputMeta(in.shape(), in.dtype(), in.device());
            }
        }
        this.numOutputs = numOutputs;
        this.retained = new ArrayList<>();
        for (int i = 0; i < numOutputs; i++) {
            retained.add(new ArrayList<>(0));
        }
    }

    @Override
    public final String name() {
        return name;
    }

    /** Gradients of the forward inputs from gradients of the forward outputs; null means zero. */
    protected abstract Tensor[] apply(Tensor[] gradOutputs);

    /**
     * {@link #apply(Tensor[])}, told where a gradient may be added in place: {@code accumulateInto[i]},
     * where not null, is the {@code .grad} of the leaf that input i is, and the engine would only add
     * input i's gradient into it. A node may add that gradient there itself and return null for i,
     * sparing a tensor the size of the weight; by default it returns every gradient.
     */
    protected Tensor[] apply(Tensor[] gradOutputs, Tensor[] accumulateInto) {
        return apply(gradOutputs);
    }

    /** Drops what was saved for backward; called after a backward pass without retainGraph. */
    protected void release() {
    }

    /** Whether input {@code i} wants a gradient, PyTorch's {@code ctx.needs_input_grad[i]}. */
    public final boolean needsInputGrad(int i) {
        return next[i] != null;
    }

    public final int numInputs() {
        return next.length;
    }

    public final int numOutputs() {
        return numOutputs;
    }

    /**
     * Makes {@code output} the {@code outputNr}-th result of this node, so that backward passes its
     * gradient here; custom functions (step4) call it for the outputs of their forward.
     */
    protected final void setOutput(Tensor output, int outputNr) {
        AutogradMeta m = AutogradMeta.getOrCreate(output);
        m.gradFn = this;
        m.outputNr = outputNr;
    }

    final Edge edge(int i) {
        return next[i];
    }

    final InputMeta inputMeta(int i) {
        return inputs[i];
    }

    final void retain(int outputNr, AutogradMeta meta) {
        if (!retained.get(outputNr).contains(meta)) {
            retained.get(outputNr).add(meta);
        }
    }

    final List<AutogradMeta> retained(int outputNr) {
        return retained.get(outputNr);
    }

    @Override
    public List<GradFn> nextFunctions() {
        List<GradFn> fns = new ArrayList<>(next.length);
        for (Edge e : next) {
            fns.add(e == null ? null : e.node());
        }
        return fns;
    }

    /** The pairs {@code (node, inputNr)} as PyTorch prints {@code next_functions}. */
    public String nextFunctionsString() {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < next.length; i++) {
            sb.append(i > 0 ? ", " : "").append('(');
            sb.append(next[i] == null ? "None, 0" : "<" + next[i].node().name() + ">, " + next[i].inputNr()).append(')');
        }
        return sb.append(next.length == 1 ? ",)" : ")").toString();
    }

    @Override
    public String toString() {
        return "<" + name + ">";
    }

    static String shapeString(int[] shape) {
        return Arrays.toString(shape);
    }
}
