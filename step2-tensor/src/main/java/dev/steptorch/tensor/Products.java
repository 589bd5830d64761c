package dev.steptorch.tensor;

/**
 * {@code bmm}, {@code dot} and {@code mv}: PyTorch's checks and messages, then the device's
 * matrix product ({@code mm}) on views, so every device that multiplies matrices has them.
 */
final class Products {
    private Products() {
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
