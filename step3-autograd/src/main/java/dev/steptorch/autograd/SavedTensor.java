package dev.steptorch.autograd;

import dev.steptorch.tensor.Tensor;

/**
 * A tensor a node keeps for its backward formula, with the version its storage had when it was
 * saved. If an in-place op writes to the storage afterwards the formula would silently use the
 * wrong numbers, so {@link #get()} refuses, as PyTorch's version-counter check does.
 */
public final class SavedTensor {
    private Tensor tensor;
    private final int version;
    private final String savedBy;

    /** {@code savedBy} names the node in error messages. */
    public SavedTensor(Tensor tensor, String savedBy) {
        this.tensor = tensor;
        this.version = tensor.storage().version();
        this.savedBy = savedBy;
    }

    public Tensor get() {
        if (tensor == null) {
            throw new IllegalStateException("Trying to backward through the graph a second time (or directly access saved "
                    + "tensors after they have already been freed). Saved intermediate values of the graph are freed when you "
                    + "call backward(). Call backward(gradient, true) (retain_graph=True) if you need to backward through the "
                    + "graph a second time. (" + savedBy + ")");
        }
        int now = tensor.storage().version();
        if (now != version) {
            throw new IllegalStateException("one of the variables needed for gradient computation has been modified by an "
                    + "inplace operation: [" + tensor.typeName() + " " + Node.shapeString(tensor.shape()) + "], saved by "
                    + savedBy + ", is at version " + now + "; expected version " + version + " instead.");
        }
        return tensor;
    }

    public void release() {
        tensor = null;
    }
}
