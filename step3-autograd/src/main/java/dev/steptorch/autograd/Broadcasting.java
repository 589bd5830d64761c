package dev.steptorch.autograd;

import dev.steptorch.tensor.Tensor;
import java.util.Arrays;

/** The backward of broadcasting: summing a gradient back down to the shape its input had. */
final class Broadcasting {
    private Broadcasting() {
    }

    /** {@code g.sum_to_size(shape)}: sums the leading extra dims and the dims where {@code shape} has 1. */
    static Tensor sumToSize(Tensor g, int[] shape, String where) {
        int lead = g.dim() - shape.length;
        if (lead < 0) {
            throw new IllegalStateException(where + ": gradient of shape " + g.size() + " cannot be reduced to "
                    + Arrays.toString(shape));
        }
        int[] dims = new int[g.dim()];
        int n = 0;
        for (int d = 0; d < g.dim(); d++) {
            if (d < lead || (shape[d - lead] == 1 && g.size(d) != 1)) {
                dims[n++] = d;
            } else if (shape[d - lead] != g.size(d)) {
                throw new IllegalStateException(where + ": gradient of shape " + g.size() + " cannot be reduced to "
                        + Arrays.toString(shape));
            }
        }
        Tensor summed = n == 0 ? g : g.sum(Arrays.copyOf(dims, n), true);
        return summed.reshape(shape);
    }
}
