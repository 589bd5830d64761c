package dev.steptorch.tensor;

import dev.steptorch.tensor.cpu.IndexLoops;

/**
 * The indexing ops ({@code gather}, {@code scatter_add}, {@code index_select}, {@code flip},
 * {@code roll}, {@code tril}/{@code triu}, {@code diag}) and {@code cumsum}: PyTorch's checks and
 * messages, then the CPU loops of {@link IndexLoops}. On another device those loops run on a host
 * copy and the result is moved back: these ops move data rather than compute, and none is on the
 * hot path of the course's training loops. {@code tril}/{@code triu} are a masked fill and
 * {@code diag} a strided view, so they run on the device itself.
 */
final class Indexing {
    /** Elements per slab from which index_select copies slab by slab. */
    private static final int SLAB = 32;

    private Indexing() {
    }

    static Tensor cumsum(Backend be, Tensor a, int dim) {
        be.checkDevices("cumsum", a);
        int d = Shapes.wrapDim(dim, a.dim());
        Tensor out = hostEmpty(a.shape(), a.dtype().isFloatingPoint() ? a.dtype() : DType.INT64);
        IndexLoops.cumsum(host(be, a), d, out);
        return back(be, out);
    }

    static Tensor gather(Backend be, Tensor a, int dim, Tensor index) {
        be.checkDevices("gather", a, index);
        if (index.dtype() != DType.INT64) {
            throw new IllegalArgumentException("gather(): Expected dtype int64 for index");
        }
        if (Math.max(index.dim(), 1) != Math.max(a.dim(), 1)) {
            throw new IllegalArgumentException("Index tensor must have the same number of dimensions as input tensor");
        }
        int d = Shapes.wrapDim(dim, a.dim());
        for (int k = 0; k < index.dim() && a.dim() > 0; k++) {
            if (k != d && index.size(k) > a.size(k)) {
                throw new IllegalArgumentException("Size does not match at dimension " + k + " expected index "
                        + Shapes.str(index.shape()) + " to be smaller than self " + Shapes.str(a.shape())
                        + " apart from dimension " + d);
            }
        }
        Tensor out = hostEmpty(index.shape(), a.dtype());
        IndexLoops.gather(host(be, a), d, host(be, index), out);
        return back(be, out);
    }

    static Tensor scatterAdd(Backend be, Tensor a, int dim, Tensor index, Tensor src) {
        be.checkDevices("scatter_add", a, index, src);
        if (index.dtype() != DType.INT64) {
            throw new IllegalArgumentException("scatter(): Expected dtype int64 for index");
        }
        if (src.dtype() != a.dtype()) {
            throw new IllegalArgumentException("scatter(): Expected self.dtype to be equal to src.dtype");
        }
        if (Math.max(index.dim(), 1) != Math.max(a.dim(), 1)) {
            throw new IllegalArgumentException("Index tensor must have the same number of dimensions as self tensor");
        }
        int d = Shapes.wrapDim(dim, a.dim());
        for (int k = 0; k < index.dim() && a.dim() > 0; k++) {
            if ((k != d && index.size(k) > a.size(k)) || index.size(k) > src.size(k)) {
                throw new IllegalArgumentException("Expected index " + Shapes.str(index.shape()) + " to be smaller than self "
                        + Shapes.str(a.shape()) + " apart from dimension " + d + " and to be smaller size than src "
                        + Shapes.str(src.shape()));
            }
        }
        Tensor out = Dispatcher.belowAutograd(Device.CPU).clone(host(be, a));
        IndexLoops.scatterAdd(out, d, host(be, index), host(be, src));
        return back(be, out);
    }

    static Tensor indexSelect(Backend be, Tensor a, int dim, Tensor index) {
        be.checkDevices("index_select", a, index);
        if (index.dtype() != DType.INT64) {
            throw new IllegalArgumentException("index_select(): Expected dtype int32 or int64 for index");
        }
        if (index.dim() > 1) {
            throw new IllegalArgumentException("index_select(): Index is supposed to be a vector");
        }
        int d = Shapes.wrapDim(dim, a.dim());
        long[] idx = host(be, index).toLongArray();
        int size = a.dim() == 0 ? 1 : a.size(d);
        for (long i : idx) {
            if (i < 0 || i >= size) {
                throw new IndexOutOfBoundsException("INDICES element is out of DATA bounds, id=" + i + " axis_dim=" + size);
            }
        }
        return select(be, a, d, idx);
    }

    /** The entries {@code idx} along dim d, as index_select, without its checks. */
    private static Tensor select(Backend be, Tensor a, int d, long[] idx) {
        if (a.dim() == 0) {
            return be.clone(a);
        }
        int[] shape = a.shape();
        shape[d] = idx.length;
        int[] along = new int[shape.length];
        java.util.Arrays.fill(along, 1);
        along[d] = idx.length;
        if (be.device() == Device.CPU && Shapes.numel(a.shape()) / Math.max(1, a.size(d)) >= SLAB) {
            // whole slabs (images of a batch, rows of a matrix): one block copy each, not an index walk per element
            Tensor out = be.empty(shape, a.dtype());
            for (int i = 0; i < idx.length; i++) {
                be.copyKernel(Views.narrow(a, d, (int) idx[i], 1), Views.narrow(out, d, i, 1));
            }
            return out;
        }
        Tensor index = Torch.fromArray(idx, along).expandTo(shape);
        Tensor out = hostEmpty(shape, a.dtype());
        IndexLoops.gather(host(be, a), d, index, out);
        return back(be, out);
    }

    static Tensor flip(Backend be, Tensor a, int[] dims) {
        be.checkDevices("flip", a);
        boolean[] seen = new boolean[Math.max(1, a.dim())];
        Tensor r = be.clone(a);
        for (int dim : dims) {
            int d = Shapes.wrapDim(dim, a.dim());
            if (seen[d]) {
                throw new IllegalArgumentException("dim " + d + " appears multiple times in the list of dims");
            }
            seen[d] = true;
            int n = a.dim() == 0 ? 1 : a.size(d);
            long[] idx = new long[n];
            for (int i = 0; i < n; i++) {
                idx[i] = n - 1 - i;
            }
            r = select(be, r, d, idx);
        }
        return r;
    }

    /** {@code out[i] = a[(i - shift) mod n]} along each dim; with no dims, over the flattened tensor. */
    static Tensor roll(Backend be, Tensor a, int[] shifts, int[] dims) {
        be.checkDevices("roll", a);
        if (dims.length == 0 && shifts.length == 1) {
            return be.view(roll(be, be.reshape(a, new int[] {-1}), shifts, new int[] {0}), a.shape());
        }
        if (shifts.length != dims.length) {
            throw new IllegalArgumentException("shifts and dimensions must align. shifts: " + shifts.length + ", dims:"
                    + dims.length);
        }
        Tensor r = be.clone(a);
        for (int k = 0; k < dims.length; k++) {
            int d = Shapes.wrapDim(dims[k], a.dim());
            int n = a.dim() == 0 ? 1 : a.size(d);
            long[] idx = new long[n];
            for (int i = 0; i < n; i++) {
                idx[i] = Math.floorMod(i - (long) shifts[k], n);
            }
            r = select(be, r, d, idx);
        }
        return r;
    }

    /** tril (lower) keeps {@code j - i <= diagonal} of the last two dims; triu keeps {@code j - i >= diagonal}. */
    static Tensor triangle(Backend be, Tensor a, int diagonal, boolean lower) {
        be.checkDevices(lower ? "tril" : "triu", a);
        Shapes.wrapDim(-2, a.dim());
        int rows = a.size(-2), cols = a.size(-1);
        boolean[] zeroed = new boolean[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                zeroed[i * cols + j] = lower ? j - i > diagonal : j - i < diagonal;
            }
        }
        Tensor mask = be.toDevice(Torch.fromArray(zeroed, rows, cols));
        return be.maskedFill(a, mask, Tensor.scalar(0L, be.device()), null);
    }

    /** A 1-D tensor becomes the {@code diagonal}-th diagonal of a square matrix; a matrix gives that diagonal (a copy). */
    static Tensor diag(Backend be, Tensor a, int diagonal) {
        be.checkDevices("diag", a);
        int k = Math.abs(diagonal);
        if (a.dim() == 1) {
            int n = a.size(0), m = n + k;
            Tensor out = be.fill_(be.empty(new int[] {m, m}, a.dtype()), 0);
            be.copy_(out.viewWith(new int[] {n}, new int[] {m + 1}, diagonal >= 0 ? k : k * m), a);
            return out;
        }
        if (a.dim() != 2) {
            throw new IllegalArgumentException("matrix or a vector expected");
        }
        int length = Math.max(0, diagonal >= 0 ? Math.min(a.size(0), a.size(1) - k) : Math.min(a.size(0) - k, a.size(1)));
        int start = length == 0 ? 0 : diagonal >= 0 ? k * a.stride(1) : k * a.stride(0);
        return be.clone(a.viewWith(new int[] {length}, new int[] {a.stride(0) + a.stride(1)}, a.storageOffset() + start));
    }

    private static Tensor host(Backend be, Tensor t) {
        return t.device() == Device.CPU ? t : be.toCpu(t);
    }

    private static Tensor back(Backend be, Tensor cpu) {
        return be.device() == Device.CPU ? cpu : be.fromCpu(cpu);
    }

    private static Tensor hostEmpty(int[] shape, DType dtype) {
        return Dispatcher.belowAutograd(Device.CPU).empty(shape, dtype);
    }
}
