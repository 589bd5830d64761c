package dev.steptorch.autograd;

import static dev.steptorch.autograd.Derivatives.NOT_DIFFERENTIABLE;
import static dev.steptorch.autograd.Derivatives.OTHER;
import static dev.steptorch.autograd.Derivatives.SELF;
import static dev.steptorch.autograd.Derivatives.grad;
import static dev.steptorch.autograd.Derivatives.row;

import dev.steptorch.autograd.Derivatives.Recipe;
import dev.steptorch.autograd.Derivatives.Row;
import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;

/**
 * The rows of {@link Derivatives} for the sliding-window ops (unfold, fold, the stride-1
 * correlation, max pooling), written the same way; apart from Derivatives only to keep that file
 * short, as WindowOps is apart from Backend in step 2.
 */
final class WindowDerivatives {
    private WindowDerivatives() {
    }

    /** unfold (im2col) copies pixels into columns, so each pixel's gradient is the sum of its copies': fold. */
    static Row unfold(int[] inputShape, int kh, int kw, int sh, int sw, int ph, int pw) {
        return row("Im2ColBackward0", grad((g, s) -> Torch.fold(g, inputShape, kh, kw, sh, sw, ph, pw)));
    }

    /** fold (col2im) sums column entries into pixels, so each entry's gradient is its pixel's: unfold. */
    static Row fold(int kh, int kw, int sh, int sw, int ph, int pw) {
        return row("Col2ImBackward0", grad((g, s) -> Torch.unfold(g, kh, kw, sh, sw, ph, pw)));
    }

    /**
     * correlate2d ({@code torch.conv2d} at stride 1 without padding): each output's gradient goes
     * back through every weight it met into the pixels of its window, correlate2dInput; the
     * weight's gradient is correlate2dWeight.
     */
    static Row correlate2d(int kh, int kw) {
        return row("ConvolutionBackward0",
                grad((g, s) -> Torch.correlate2dInput(s.other(), g), OTHER),
                grad((g, s) -> Torch.correlate2dWeight(s.self(), g, kh, kw), SELF));
    }

    /**
     * correlate2dWeight and correlate2dInput, the two halves of a convolution's backward, are
     * linear in each operand, and each operand's gradient is one of the three ops again
     * (double backward through a convolution). correlate2dWeight(x, g): x's gradient is
     * correlate2dInput with the incoming gradient as the weight; g's is correlate2d of x with it.
     */
    static Row correlate2dWeight(int kh, int kw) {
        return row("ConvolutionBackwardBackward0",
                grad((g, s) -> Torch.correlate2dInput(g, s.other()), OTHER),
                grad((g, s) -> Torch.correlate2d(s.self(), g), SELF));
    }

    /**
     * correlate2dInput(w, g): w's gradient is correlate2dWeight with the incoming gradient as the
     * input; g's is correlate2d of the incoming gradient with w.
     */
    static Row correlate2dInput(int kh, int kw) {
        return row("ConvolutionBackwardBackward0",
                grad((g, s) -> Torch.correlate2dWeight(g, s.other(), kh, kw), OTHER),
                grad((g, s) -> Torch.correlate2d(g, s.self()), SELF));
    }

    /** max_pool2d_with_indices: each output's gradient goes to the input element its saved index names. */
    static Recipe maxPool2d(int[] inputShape, Tensor indices) {
        return (in, result) -> {
            FormulaNode n = new FormulaNode("MaxPool2DWithIndicesBackward0", in);
            SavedTensor idx = n.save(indices);
            return n.formula((g, into) -> new Tensor[] {Torch.maxPool2dBackward(g, idx.get(), inputShape)});
        };
    }

    /**
     * max_pool2d_with_indices_backward(grad, indices), recorded only under create_graph: it is linear
     * in grad, so grad's gradient reads g at each output's index, here by comparing every index with
     * every position of its plane (memory N*C*outH*outW*H*W, acceptable for a second derivative).
     */
    static Row maxPool2dBackward(int[] inputShape) {
        int indices = 1;
        return row("MaxPool2DWithIndicesBackwardBackward0", grad((g, s) -> {
            Tensor idx = s.input(indices);
            int[] o = idx.shape();
            int plane = inputShape[2] * inputShape[3];
            Tensor positions = Torch.arange(0, plane, 1, Options.of(DType.INT64, g.device())).view(1, 1, 1, plane);
            Tensor picks = idx.reshape(o[0], o[1], o[2] * o[3], 1).eq(positions).to(g.dtype());
            return picks.mul(g.reshape(o[0], o[1], 1, plane)).sum(new int[] {3}, false).view(o);
        }, indices), NOT_DIFFERENTIABLE);
    }
}
