package dev.steptorch.function;

import dev.steptorch.autograd.SavedTensor;
import dev.steptorch.tensor.Tensor;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code ctx} a Function's forward and backward share: tensors saved for backward (checked
 * against in-place changes, like the built-in ops' saved tensors), which inputs need a gradient,
 * and any other values forward wants to leave for backward.
 */
public final class FunctionCtx {
    private final String owner;
    private final boolean[] needsInputGrad;
    private SavedTensor[] saved = new SavedTensor[0];
    private final Map<String, Object> values = new HashMap<>();
    private boolean materializeGrads = true;
    private Tensor[] accumulateInto;

    FunctionCtx(String owner, boolean[] needsInputGrad) {
        this.owner = owner;
        this.needsInputGrad = needsInputGrad;
    }

    /** {@code ctx.save_for_backward(...)}: only for tensors; other values go through {@link #put}. */
    public void saveForBackward(Tensor... tensors) {
        saved = new SavedTensor[tensors.length];
        for (int i = 0; i < tensors.length; i++) {
            saved[i] = tensors[i] == null ? null : new SavedTensor(tensors[i], owner);
        }
    }

    /** {@code ctx.saved_tensors}: fails if the graph was freed or a saved tensor was modified in place. */
    public Tensor[] savedTensors() {
        Tensor[] out = new Tensor[saved.length];
        for (int i = 0; i < saved.length; i++) {
            out[i] = saved[i] == null ? null : saved[i].get();
        }
        return out;
    }

    /** {@code ctx.needs_input_grad[i]} for the i-th argument of forward (false for non-tensors). */
    public boolean needsInputGrad(int i) {
        return needsInputGrad[i];
    }

    /**
     * StepTorch's own, not PyTorch's: the {@code .grad} that the i-th argument's gradient will be
     * added into, when backward may add it there itself (the argument is a leaf that has a
     * {@code .grad}, and nothing else in this backward pass adds to it); else null. A backward that
     * adds its gradient there, say with {@code addmm_}, returns null for i and spares a tensor the size
     * of the argument. Only inside backward.
     */
    public Tensor accumulateInto(int i) {
        return accumulateInto == null ? null : accumulateInto[i];
    }

    void setAccumulateInto(Tensor[] into) {
        accumulateInto = into;
    }

    /** Keeps a non-tensor value for backward, like assigning {@code ctx.constant = c} in Python. */
    public void put(String name, Object value) {
        values.put(name, value);
    }

    @SuppressWarnings("unchecked")
    public <T> T get(String name) {
        if (!values.containsKey(name)) {
            throw new IllegalArgumentException(owner + ": nothing was stored in ctx under '" + name + "'");
        }
        return (T) values.get(name);
    }

    /** {@code ctx.set_materialize_grads(False)}: backward then sees null instead of zeros for unused outputs. */
    public void setMaterializeGrads(boolean materialize) {
        this.materializeGrads = materialize;
    }

    boolean materializeGrads() {
        return materializeGrads;
    }

    void release() {
        for (SavedTensor s : saved) {
            if (s != null) {
                s.release();
            }
        }
    }
}
