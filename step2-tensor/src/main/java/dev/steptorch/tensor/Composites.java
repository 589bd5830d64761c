package dev.steptorch.tensor;

import java.util.Arrays;

/**
 * Ops written with other ops at the level of {@link Tensor}, as PyTorch's CompositeImplicitAutograd
 * ops are: {@code matmul}, {@code repeat}, {@code stack}, {@code split}/{@code chunk},
 * {@code outer}, {@code trace}, {@code norm} and {@code sum_to_size} (and the value checks
 * {@code equal} and {@code allclose}). Any dispatch layer sees (and autograd records) their
 * parts, so they need no backward formula of their own.
 */
final class Composites {
    private Composites() {
    }

    /**
     * {@code @}: 1-D and 2-D operands as dot, mv and mm do (PyTorch records DotBackward0 and
     * MvBackward0 for the first two); from 3-D on, the dims before the last
     * two are batch dims, broadcast together, and the product is one {@code bmm} over all batches.
     * A 1-D operand gets a dim of 1 added for the product and removed from the result.
     */
    static Tensor matmul(Tensor a, Tensor b) {
        if (a.dim() == 0 || b.dim() == 0) {
            throw new IllegalArgumentException("both arguments to matmul need to be at least 1D, but they are " + a.dim()
                    + "D and " + b.dim() + "D");
        }
        if (a.dim() == 1 && b.dim() == 1) {
            return a.dot(b);
        }
        if (a.dim() == 2 && b.dim() == 1) {
            return a.mv(b);
        }
        Tensor x = a.dim() == 1 ? a.unsqueeze(0) : a;
        Tensor y = b.dim() == 1 ? b.unsqueeze(1) : b;
        Tensor r;
        if (x.dim() == 2 && y.dim() == 2) {
            r = x.mm(y);
        } else if (y.dim() == 2) {
            // a stack of matrices times one matrix: one mm over the stack folded into rows
            int[] lead = Arrays.copyOf(x.shape(), x.dim() - 1);
            r = x.reshape(-1, x.size(-1)).mm(y).view(append(lead, y.size(1)));
        } else {
            int[] batch = Shapes.broadcast(Arrays.copyOf(x.shape(), x.dim() - 2), Arrays.copyOf(y.shape(), y.dim() - 2));
            int n = x.size(-2), k = x.size(-1), k2 = y.size(-2), p = y.size(-1);
            Tensor xs = x.expand(append(batch, n, k)).reshape(-1, n, k);
            Tensor ys = y.expand(append(batch, k2, p)).reshape(-1, k2, p);
            r = xs.bmm(ys).view(append(batch, n, p));
        }
        if (b.dim() == 1) {
            r = r.squeeze(-1);
        }
        return a.dim() == 1 ? r.squeeze(-2) : r;
    }

    private static int[] append(int[] shape, int... more) {
        int[] r = Arrays.copyOf(shape, shape.length + more.length);
        System.arraycopy(more, 0, r, shape.length, more.length);
        return r;
    }

    /** Tiles the tensor {@code repeats[d]} times along each dim: a broadcast view, then one copy. */
    static Tensor repeat(Tensor a, int[] repeats) {
        if (repeats.length < a.dim()) {
            throw new IllegalArgumentException("Number of dimensions of repeat dims can not be smaller than number of "
                    + "dimensions of tensor");
        }
        int lead = repeats.length - a.dim();
        int[] interleaved = new int[2 * repeats.length];
        int[] tiled = new int[2 * repeats.length];
        int[] result = new int[repeats.length];
        for (int d = 0; d < repeats.length; d++) {
            int size = d < lead ? 1 : a.size(d - lead);
            interleaved[2 * d] = 1;
            interleaved[2 * d + 1] = size;
            tiled[2 * d] = repeats[d];
            tiled[2 * d + 1] = size;
            result[d] = repeats[d] * size;
        }
        return a.reshape(interleaved).expand(tiled).reshape(result);
    }

    static Tensor stack(int dim, Tensor[] tensors) {
        if (tensors.length == 0) {
            throw new IllegalArgumentException("stack expects a non-empty TensorList");
        }
        Tensor[] parts = new Tensor[tensors.length];
        int d = Shapes.wrapDim(dim, tensors[0].dim() + 1);
        for (int i = 0; i < tensors.length; i++) {
            if (!Arrays.equals(tensors[i].shape(), tensors[0].shape())) {
                throw new IllegalArgumentException("stack expects each tensor to be equal size, but got "
                        + Shapes.str(tensors[0].shape()) + " at entry 0 and " + Shapes.str(tensors[i].shape()) + " at entry " + i);
            }
            parts[i] = tensors[i].unsqueeze(d);
        }
        return Torch.cat(d, parts);
    }

    /** Views of {@code splitSize} along dim; the last one may be shorter. */
    static Tensor[] split(Tensor a, int splitSize, int dim) {
        if (a.dim() == 0) {
            throw new IllegalArgumentException("split expects at least a 1-dimensional tensor");
        }
        int d = Shapes.wrapDim(dim, a.dim());
        int size = a.size(d);
        if (splitSize < 0) {
            throw new IllegalArgumentException("split expects split_size be non-negative, but got split_size=" + splitSize);
        }
        if (splitSize == 0 && size != 0) {
            throw new IllegalArgumentException("split_size can only be 0 if dimension size is 0, but got dimension size of "
                    + size);
        }
        int n = splitSize == 0 ? 1 : Math.max(1, (size + splitSize - 1) / splitSize);
        Tensor[] parts = new Tensor[n];
        for (int i = 0; i < n; i++) {
            int start = i * splitSize;
            parts[i] = a.narrow(d, start, Math.min(splitSize, size - start));
        }
        return parts;
    }

    /** At most {@code chunks} views of equal size along dim (the last may be shorter), as torch.chunk. */
    static Tensor[] chunk(Tensor a, int chunks, int dim) {
        if (chunks <= 0) {
            throw new IllegalArgumentException("chunk expects `chunks` to be greater than 0, got: " + chunks);
        }
        if (a.dim() == 0) {
            throw new IllegalArgumentException("chunk expects at least a 1-dimensional tensor");
        }
        int size = a.size(dim);
        if (size == 0) {
            Tensor[] empties = new Tensor[chunks];
            Arrays.fill(empties, a.narrow(dim, 0, 0));
            return empties;
        }
        return split(a, (size + chunks - 1) / chunks, dim);
    }

    /** {@code a[i] * b[j]}: a column times a row, broadcast. */
    static Tensor outer(Tensor a, Tensor b) {
        if (a.dim() != 1 || b.dim() != 1) {
            throw new IllegalArgumentException("outer: Expected 1-D argument " + (a.dim() != 1 ? "self" : "vec2") + ", but got "
                    + (a.dim() != 1 ? a.dim() : b.dim()) + "-D");
        }
        return a.reshape(-1, 1).mul(b);
    }

    /** Tensor.sumToSize: the sum that undoes broadcasting to {@code shape}. */
    static Tensor sumToSize(Tensor t, int... shape) {
        // BEGIN SOLUTION step2.sum-to-size
        int lead = t.dim() - shape.length;
        int[] dims = new int[Math.max(0, t.dim())];
        int n = 0;
        for (int d = 0; d < t.dim() && lead >= 0; d++) {
            if (d < lead || (shape[d - lead] == 1 && t.size(d) != 1)) {
                dims[n++] = d;
            } else if (shape[d - lead] != t.size(d)) {
                lead = -1;
            }
        }
        if (lead < 0) {
            throw new IllegalArgumentException("size " + Shapes.str(shape) + " is not expandable to size " + Shapes.str(t.shape()));
        }
        Tensor summed = n == 0 ? t : t.sum(Arrays.copyOf(dims, n), true);
        return summed.reshape(shape);
        // END SOLUTION
    }

    /** torch.equal: same shape and elements; dtypes may differ. */
    static boolean equal(Tensor a, Tensor b) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            return false;
        }
        for (boolean same : a.cpu().eq(b.cpu()).toBooleanArray()) {
            if (!same) {
                return false;
            }
        }
        return true;
    }

    /** torch.allclose: {@code |a - b| <= atol + rtol * |b|} everywhere, b broadcast to a. */
    static boolean allclose(Tensor t, Tensor other, double rtol, double atol) {
        double[] a = t.toDoubleArray();
        double[] b = other.expandTo(Shapes.broadcast(t.shape(), other.shape())).toDoubleArray();
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (!(Math.abs(a[i] - b[i]) <= atol + rtol * Math.abs(b[i])) && !(a[i] == b[i])) {
                return false;
            }
        }
        return true;
    }

    /** torch.norm(x): the 2-norm of all elements. */
    static Tensor norm(Tensor t) {
        if (!t.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("norm(): input dtype should be either floating point or complex. Got "
                    + t.dtype().scalarName() + " instead.");
        }
        return t.mul(t).sum().sqrt();
    }

    static Tensor trace(Tensor a) {
        if (a.dim() != 2) {
            throw new IllegalArgumentException("trace: expected a matrix, but got tensor with dim " + a.dim());
        }
        return a.diag(0).sum();
    }
}
