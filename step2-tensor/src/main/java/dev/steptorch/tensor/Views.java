package dev.steptorch.tensor;

import dev.steptorch.ndarray.ReshapeStrides;

/**
 * The view ops: new shape, strides and offset over the same storage, nothing computed, so the
 * same on every device. The stride arithmetic is step 1's ({@link ReshapeStrides}, and
 * {@link dev.steptorch.ndarray.Shapes}); what is added here is PyTorch's argument checks and
 * messages.
 */
final class Views {
    private Views() {
    }

    /** as_strided's check: every element of the view lies inside a storage of {@code storageSize} elements. */
    static void checkStrided(int[] shape, int[] strides, int offset, int storageSize) {
        if (shape.length != strides.length) {
            throw new IllegalArgumentException("as_strided: got " + shape.length + " sizes but " + strides.length + " strides");
        }
        long last = offset;
        boolean empty = false;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] < 0 || strides[d] < 0) {
                throw new IllegalArgumentException("as_strided: negative size or stride in size " + Shapes.str(shape)
                        + ", stride " + Shapes.str(strides));
            }
            empty |= shape[d] == 0;
            last += (long) (shape[d] - 1) * strides[d];
        }
        if (offset < 0 || (!empty && last >= storageSize)) {
            throw new IllegalArgumentException("as_strided: size " + Shapes.str(shape) + ", stride " + Shapes.str(strides)
                    + " and storage offset " + offset + " reach element " + last + ", outside a storage of "
                    + storageSize + " elements");
        }
    }

    /** {@code shape} may contain one -1. Fails when the strides cannot express the new shape. */
    static Tensor view(Tensor a, int[] shape) {
        int[] s = inferShape(shape, a.numel());
        int[] strides = viewStrides(a, s);
        if (strides == null) {
            throw new IllegalArgumentException("view size is not compatible with input tensor's size and stride (at least one"
                    + " dimension spans across two contiguous subspaces). Use .reshape(...) instead.");
        }
        return a.viewWith(s, strides, a.storageOffset());
    }

    /** The view when the strides allow one, otherwise null (reshape then copies). */
    static Tensor viewIfPossible(Tensor a, int[] shape) {
        int[] s = inferShape(shape, a.numel());
        int[] strides = viewStrides(a, s);
        return strides == null ? null : a.viewWith(s, strides, a.storageOffset());
    }

    static int[] inferShape(int[] shape, int numel) {
        int[] s = shape.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException("only one dimension can be inferred");
                }
                infer = i;
            } else if (s[i] < 0) {
                throw new IllegalArgumentException("invalid shape dimension " + s[i]);
            } else {
                known *= s[i];
            }
        }
        if (infer >= 0 && known != 0 && numel % known == 0) {
            s[infer] = (int) (numel / known);
        } else if (infer >= 0 || known != numel) {
            throw new IllegalArgumentException("shape '" + Shapes.str(shape) + "' is invalid for input of size " + numel);
        }
        return s;
    }

    /** Step 1's no-copy reshape, after the cases it leaves to its caller: 0-dim and empty tensors. */
    private static int[] viewStrides(Tensor a, int[] newShape) {
        if (a.dim() == 0 || a.numel() == 0) {
            return Shapes.contiguousStrides(newShape);
        }
        return ReshapeStrides.noCopy(a.shape(), a.strides(), newShape);
    }

    static Tensor transpose(Tensor a, int dim0, int dim1) {
        if (a.dim() == 0) {
            Shapes.wrapDim(dim0, 0);
            Shapes.wrapDim(dim1, 0);
            return alias(a);
        }
        int d0 = Shapes.wrapDim(dim0, a.dim());
        int d1 = Shapes.wrapDim(dim1, a.dim());
        int[] shape = a.shape();
        int[] strides = a.strides();
        swap(shape, d0, d1);
        swap(strides, d0, d1);
        return a.viewWith(shape, strides, a.storageOffset());
    }

    private static void swap(int[] x, int i, int j) {
        int t = x[i];
        x[i] = x[j];
        x[j] = t;
    }

    static Tensor permute(Tensor a, int[] dims) {
        if (dims.length != a.dim()) {
            throw new IllegalArgumentException("permute(sparse_coo): number of dimensions in the tensor input does not match "
                    + "the length of the desired ordering of dimensions i.e. input.dim() = " + a.dim()
                    + " is not equal to len(dims) = " + dims.length);
        }
        int[] shape = new int[dims.length];
        int[] strides = new int[dims.length];
        boolean[] seen = new boolean[dims.length];
        for (int i = 0; i < dims.length; i++) {
            int d = Shapes.wrapDim(dims[i], a.dim());
            if (seen[d]) {
                throw new IllegalArgumentException("permute(): duplicate dims are not allowed.");
            }
            seen[d] = true;
            shape[i] = a.shape()[d];
            strides[i] = a.strides()[d];
        }
        return a.viewWith(shape, strides, a.storageOffset());
    }

    static Tensor select(Tensor a, int dim, int index) {
        if (a.dim() == 0) {
            throw new IndexOutOfBoundsException("select() cannot be applied to a 0-dim tensor.");
        }
        int d = Shapes.wrapDim(dim, a.dim());
        int size = a.shape()[d];
        if (index < -size || index >= size) {
            throw new IndexOutOfBoundsException("select(): index " + index + " out of range for tensor of size "
                    + Shapes.str(a.shape()) + " at dimension " + d);
        }
        int i = index < 0 ? index + size : index;
        return a.viewWith(Shapes.remove(a.shape(), d), Shapes.remove(a.strides(), d), a.storageOffset() + i * a.strides()[d]);
    }

    static Tensor narrow(Tensor a, int dim, int start, int length) {
        if (a.dim() == 0) {
            throw new IndexOutOfBoundsException("narrow() cannot be applied to a 0-dim tensor.");
        }
        int d = Shapes.wrapDim(dim, a.dim());
        int size = a.shape()[d];
        if (start < -size || start > size) {
            throw new IndexOutOfBoundsException("start out of range (expected to be in range of [" + (-size) + ", " + size
                    + "], but got " + start + ")");
        }
        int s = start < 0 ? start + size : start;
        if (length < 0 || s + length > size) {
            throw new IndexOutOfBoundsException("start (" + s + ") + length (" + length + ") exceeds dimension size (" + size + ").");
        }
        int[] shape = a.shape();
        shape[d] = length;
        return a.viewWith(shape, a.strides(), a.storageOffset() + (length == 0 ? 0 : s * a.strides()[d]));
    }

    static Tensor slice(Tensor a, int dim, int start, int end, int step) {
        if (a.dim() == 0) {
            throw new IndexOutOfBoundsException("slice() cannot be applied to a 0-dim tensor.");
        }
        if (step <= 0) {
            throw new IllegalArgumentException(step == 0 ? "slice step cannot be zero" : "step must be greater than zero");
        }
        int d = Shapes.wrapDim(dim, a.dim());
        int size = a.shape()[d];
        int s = Math.max(0, Math.min(size, start < 0 ? start + size : start));
        int e = Math.max(s, Math.min(size, end < 0 ? end + size : end));
        int[] shape = a.shape();
        int[] strides = a.strides();
        shape[d] = (e - s + step - 1) / step;
        int offset = a.storageOffset() + (shape[d] == 0 ? 0 : s * strides[d]);
        strides[d] *= step;
        return a.viewWith(shape, strides, offset);
    }

    static Tensor expand(Tensor a, int[] shape) {
        if (shape.length < a.dim()) {
            throw new IllegalArgumentException("expand(" + a.typeName() + "{" + Shapes.str(a.shape())
                    + "}, size=" + Shapes.str(shape) + "): the number of sizes provided (" + shape.length
                    + ") must be greater or equal to the number of dimensions in the tensor (" + a.dim() + ")");
        }
        int lead = shape.length - a.dim();
        int[] outShape = new int[shape.length];
        for (int i = 0; i < shape.length; i++) {
            int want = shape[i];
            if (i < lead) {
                if (want < 0) {
                    throw new IllegalArgumentException("The expanded size of the tensor (" + want
                            + ") isn't allowed in a leading, non-existing dimension " + i);
                }
                outShape[i] = want;
                continue;
            }
            int have = a.shape()[i - lead];
            if (want == -1) {
                want = have;
            } else if (want < 0) {
                // PyTorch 1.13 lets this through and fails later with "numel: integer multiplication overflow"
                throw new IllegalArgumentException("The expanded size of the tensor (" + want
                        + ") must be -1 or non-negative at dimension " + i + ".  Target sizes: " + Shapes.str(shape)
                        + ".  Tensor sizes: " + Shapes.str(a.shape()));
            }
            if (have != want && have != 1) {
                throw new IllegalArgumentException("The expanded size of the tensor (" + want
                        + ") must match the existing size (" + have + ") at non-singleton dimension " + i
                        + ".  Target sizes: " + Shapes.str(shape) + ".  Tensor sizes: " + Shapes.str(a.shape()));
            }
            outShape[i] = want;
        }
        int[] strides = dev.steptorch.ndarray.Shapes.broadcastStrides(a.shape(), a.strides(), outShape);
        return a.viewWith(outShape, strides, a.storageOffset());
    }

    static Tensor unsqueeze(Tensor a, int dim) {
        int d = Shapes.wrapDim(dim, a.dim() + 1);
        int stride = d < a.dim() ? a.shape()[d] * a.strides()[d] : 1;
        return a.viewWith(Shapes.insert(a.shape(), d, 1), Shapes.insert(a.strides(), d, stride), a.storageOffset());
    }

    /** Removes every size-1 dim. */
    static Tensor squeeze(Tensor a) {
        boolean[] drop = new boolean[a.dim()];
        for (int d = 0; d < a.dim(); d++) {
            drop[d] = a.shape()[d] == 1;
        }
        return dropDims(a, drop);
    }

    /** Removes {@code dim} if its size is 1; otherwise the same view. */
    static Tensor squeeze(Tensor a, int dim) {
        int d = Shapes.wrapDim(dim, a.dim());
        boolean[] drop = new boolean[a.dim()];
        if (a.dim() > 0) {
            drop[d] = a.shape()[d] == 1;
        }
        return dropDims(a, drop);
    }

    static Tensor alias(Tensor a) {
        return a.viewWith(a.shape(), a.strides(), a.storageOffset());
    }

    /** The view without the dims marked in {@code drop} (each of size 1, or reduced away). */
    static Tensor dropDims(Tensor t, boolean[] drop) {
        int kept = 0;
        for (boolean d : drop) {
            kept += d ? 0 : 1;
        }
        int[] shape = new int[kept];
        int[] strides = new int[kept];
        for (int d = 0, j = 0; d < drop.length; d++) {
            if (!drop[d]) {
                shape[j] = t.shape()[d];
                strides[j++] = t.strides()[d];
            }
        }
        return t.viewWith(shape, strides, t.storageOffset());
    }
}
