package dev.steptorch.nn;

import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;

/**
 * {@code nn.Linear(in_features, out_features, bias=True)}: {@code y = x . W^T + b}, with W of
 * shape (out, in), initialised as PyTorch does (Kaiming-uniform weight, uniform bias within
 * 1/sqrt(in)).
 */
public class Linear extends Module {
    private final int inFeatures;
    private final int outFeatures;

    public Linear(int inFeatures, int outFeatures) {
        this(inFeatures, outFeatures, true, Options.DEFAULT);
    }

    public Linear(int inFeatures, int outFeatures, boolean bias) {
        this(inFeatures, outFeatures, bias, Options.DEFAULT);
    }

    public Linear(int inFeatures, int outFeatures, boolean bias, Options options) {
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        // BEGIN SOLUTION step5.linear-init
        Tensor weight = registerParameter("weight", Torch.empty(options, outFeatures, inFeatures));
        Init.kaimingUniform_(weight, Math.sqrt(5));
        if (bias) {
            double bound = inFeatures > 0 ? 1 / Math.sqrt(inFeatures) : 0;
            Init.uniform_(registerParameter("bias", Torch.empty(options, outFeatures)), -bound, bound);
        } else {
            registerParameter("bias", null);
        }
        // END SOLUTION
    }

    /** {@code in_features}: what the tutorial reads as {@code model.fc.in_features} before replacing the layer. */
    public int inFeatures() {
        return inFeatures;
    }

    public int outFeatures() {
        return outFeatures;
    }

    public Tensor weight() {
        return param("weight");
    }

    public Tensor bias() {
        return param("bias");
    }

    @Override
    public Tensor forward(Tensor input) {
        if (input.dim() == 0 || input.size(-1 + input.dim()) != inFeatures) {
            throw new IllegalArgumentException("Linear(in_features=" + inFeatures + ", out_features=" + outFeatures
                    + ") expects input of shape [*, " + inFeatures + "], got " + input.size());
        }
        return F.linear(input, weight(), bias());
    }

    @Override
    protected String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + (bias() != null ? "True" : "False");
    }
}
