package dev.steptorch.autograd;

import dev.steptorch.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * A node for one built-in op: a name, the tensors its formula saved, and the formula itself,
 * written with ordinary tensor ops (the engine runs it with recording switched off).
 */
final class FormulaNode extends Node {
    /**
     * The backward formula: gradients of the inputs (null where none is needed, or where it was
     * added into {@code accumulateInto[i]}) from the output's gradient.
     */
    interface Formula {
        Tensor[] apply(Tensor grad, Tensor[] accumulateInto);
    }

    private final List<SavedTensor> saved = new ArrayList<>(2);
    private Formula formula;

    FormulaNode(String name, Tensor... inputs) {
        super(name, inputs, 1);
    }

    /** Keeps {@code t} for backward; returns a handle that checks the version on use. */
    SavedTensor save(Tensor t) {
        SavedTensor s = new SavedTensor(t, name());
        saved.add(s);
        return s;
    }

    FormulaNode formula(Formula formula) {
        this.formula = formula;
        return this;
    }

    @Override
    protected Tensor[] apply(Tensor[] gradOutputs) {
        return apply(gradOutputs, new Tensor[numInputs()]);
    }

    @Override
    protected Tensor[] apply(Tensor[] gradOutputs, Tensor[] accumulateInto) {
        return formula.apply(gradOutputs[0], accumulateInto);
    }

    @Override
    protected void release() {
        saved.forEach(SavedTensor::release);
    }
}
