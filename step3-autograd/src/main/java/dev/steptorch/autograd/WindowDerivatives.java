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
     * back through every weight it met into the pixels of its window (the columns' gradient
     * {@code weight^T . g}, folded); the weight's gradient is correlate2dWeight.
     */
    static Row correlate2d(int[] inputShape, int kh, int kw) {
        return row("ConvolutionBackward0",
                grad((g, s) -> correlate2dInputGrad(s.other(), g, inputShape, kh, kw), OTHER),
                grad((g, s) -> Torch.correlate2dWeight(s.self(), g, kh, kw), SELF));
    }

    /**
     * correlate2dWeight is linear in each operand: the input's gradient is correlate2d's, with the
     * incoming gradient in the weight's place; the output gradient's is correlate2d of the input
     * with it. (Double backward through a convolution.)
     */
    static Row correlate2dWeight(int[] inputShape, int kh, int kw) {
        return row("ConvolutionBackwardBackward0",
                grad((g, s) -> correlate2dInputGrad(g, s.other(), inputShape, kh, kw), OTHER),
                grad((g, s) -> Torch.correlate2d(s.self(), g), SELF));
    }

    /** {@code fold(weight^T . grad)}: weight as [O, C*kh*kw], grad as [O, N*L]. */
    private static Tensor correlate2dInputGrad(Tensor weight, Tensor grad, int[] inputShape, int kh, int kw) {
        int o = weight.size(0);
        Tensor columns = weight.reshape(o, -1).t().mm(grad.permute(1, 0, 2, 3).reshape(o, -1));
        return Torch.fold(columns, inputShape, kh, kw, 1, 1, 0, 0);
    }

    /** max_pool2d_with_indices: each output's gradient goes to the input element its saved index names. */
    static Recipe maxPool2d(int[] inputShape, Tensor indices) {
        return (in, result) -> {
            FormulaNode n = new FormulaNode("MaxPool2DWithIndicesBackward0", in);
            SavedTensor idx = n.save(indices);
            return n.formula(g -> new Tensor[] {Torch.maxPool2dBackward(g, idx.get(), inputShape)});
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
