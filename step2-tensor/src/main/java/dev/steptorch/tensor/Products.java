package dev.steptorch.tensor;

import java.util.Arrays;

/**
 * {@code bmm}, {@code dot}, {@code mv} and {@code addmm}: PyTorch's checks and messages, then the
 * device's matrix product ({@code mm}) on views, so every device that multiplies matrices has them.
 */
final class Products {
    private Products() {
    }

    /** mm's checks, in PyTorch's order and words. */
    static void checkMm(Tensor a, Tensor b) {
        if (a.dim() != 2) {
            throw new IllegalArgumentException("self must be a matrix");
        }
        if (b.dim() != 2) {
            throw new IllegalArgumentException("mat2 must be a matrix");
        }
        checkInnerSizes(a, b);
        sameDtype(a, b);
        if (a.dtype() == DType.BOOL) {
            throw new IllegalArgumentException("\"addmm_impl_cpu_\" not implemented for 'Bool'");
        }
    }

    private static void checkInnerSizes(Tensor a, Tensor b) {
        if (a.shape()[1] != b.shape()[0]) {
            throw new IllegalArgumentException("mat1 and mat2 shapes cannot be multiplied (" + a.shape()[0] + "x"
                    + a.shape()[1] + " and " + b.shape()[0] + "x" + b.shape()[1] + ")");
        }
    }

    /** A product's out= must have the operands' dtype: PyTorch does not convert it. */
    static void checkOutDtype(Tensor out, DType dtype) {
        if (out != null && out.dtype() != dtype) {
            throw new IllegalArgumentException("Expected out tensor to have dtype " + dtype.scalarName().toLowerCase()
                    + ", but got " + out.dtype().scalarName().toLowerCase() + " instead");
        }
    }

    /** Contiguous from the start of memory it shares with neither operand: a kernel may write it where it lies. */
    static boolean laidOutFresh(Tensor out, Tensor a, Tensor b) {
        return out.isContiguous() && out.storageOffset() == 0 && out.storage() != a.storage() && out.storage() != b.storage();
    }

    /**
     * {@code torch.addmm(input, a, b)}: {@code input + a @ b}, input broadcast to the product's
     * shape (PyTorch's default beta = alpha = 1). In place ({@code out} is input) on a kernel that
     * adds into C, the product is summed straight into input: no product tensor is made. Autograd
     * uses that to add a weight's gradient into its {@code .grad}.
     */
    static Tensor addmm(Backend be, Tensor input, Tensor a, Tensor b, Tensor out) {
        be.checkDevices("addmm", input, a, b, out);
        checkMatrix(a, "mat1");
        checkMatrix(b, "mat2");
        checkInnerSizes(a, b);
        if (input.dtype() != b.dtype()) {
            throw new IllegalArgumentException("self and mat2 must have the same dtype");
        }
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException("mat1 and mat2 must have the same dtype");
        }
        checkOutDtype(out, a.dtype());
        int[] shape = {a.size(0), b.size(1)};
        if (out == input && !Arrays.equals(input.shape(), shape)) {
            throw new IllegalArgumentException("Bad in-place call: input tensor size " + Shapes.str(input.shape())
                    + " and output tensor size " + Shapes.str(shape) + " should match");
        }
        if (out == input && be.mmKernelAddsIntoOut() && laidOutFresh(out, a, b) && a.size(1) > 0 && a.dtype() != DType.BOOL) {
            be.mmKernel(a, b, out);
            out.storage().bumpVersion();
            return out;
        }
        Tensor product = be.mm(a, b, null);
        return be.binary(BinaryOp.ADD, out == input ? input : be.expand(input, shape), product, 1, out);
    }

    private static void checkMatrix(Tensor m, String name) {
        if (m.dim() != 2) {
            throw new IllegalArgumentException(name + " must be a matrix, got " + m.dim() + "-D tensor");
        }
    }

    static Tensor bmm(Backend be, Tensor a, Tensor b) {
        be.checkDevices("bmm", a, b);
        if (a.dim() != 3) {
            throw new IllegalArgumentException("batch1 must be a 3D tensor");
        }
        if (b.dim() != 3) {
            throw new IllegalArgumentException("batch2 must be a 3D tensor");
        }
        int batch = a.size(0), k = a.size(2);
        if (b.size(0) != batch || b.size(1) != k) {
            throw new IllegalArgumentException("Expected size for first two dimensions of batch2 tensor to be: [" + batch
                    + ", " + k + "] but got: [" + b.size(0) + ", " + b.size(1) + "].");
        }
        sameDtype(a, b);
        Tensor out = be.empty(new int[] {batch, a.size(1), b.size(2)}, a.dtype());
        for (int i = 0; i < batch; i++) {
            be.copy_(be.select(out, 0, i), be.mm(be.select(a, 0, i), be.select(b, 0, i), null));
        }
        return out;
    }

    static Tensor dot(Backend be, Tensor a, Tensor b) {
        be.checkDevices("dot", a, b);
        if (a.dim() != 1 || b.dim() != 1) {
            throw new IllegalArgumentException("1D tensors expected, but got " + a.dim() + "D and " + b.dim() + "D tensors");
        }
        if (a.numel() != b.numel()) {
            throw new IllegalArgumentException("inconsistent tensor size, expected tensor [" + a.numel() + "] and src ["
                    + b.numel() + "] to have the same number of elements, but got " + a.numel() + " and " + b.numel()
                    + " elements respectively");
        }
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException("dot : expected both vectors to have same dtype, but found "
                    + a.dtype().scalarName() + " and " + b.dtype().scalarName());
        }
        return be.view(be.mm(be.view(a, new int[] {1, -1}), be.view(b, new int[] {-1, 1}), null), new int[0]);
    }

    static Tensor mv(Backend be, Tensor a, Tensor v) {
        be.checkDevices("mv", a, v);
        if (a.dim() != 2 || v.dim() != 1) {
            throw new IllegalArgumentException("vector + matrix @ vector expected, got 1, " + a.dim() + ", " + v.dim());
        }
        if (a.size(1) != v.size(0)) {
            throw new IllegalArgumentException("size mismatch, got " + a.size(0) + ", " + a.size(0) + "x" + a.size(1) + ","
                    + v.size(0));
        }
        sameDtype(a, v);
        return be.view(be.mm(a, be.view(v, new int[] {-1, 1}), null), new int[] {a.size(0)});
    }

    private static void sameDtype(Tensor a, Tensor b) {
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException("expected scalar type " + a.dtype().scalarName() + " but found "
                    + b.dtype().scalarName());
        }
    }
}
