package dev.steptorch.tensor.cpu;

import dev.steptorch.tensor.Tensor;

/**
 * The CPU loops of the indexing ops ({@code gather}, {@code scatter_add}) and of {@code cumsum}:
 * plain walks over every index of a shape, reading and writing through {@link CpuStorage} in the
 * double lane for floating point and the long lane otherwise. Other devices run them on a host
 * copy (see the tensor package's {@code Indexing}).
 */
public final class IndexLoops {
    private IndexLoops() {
    }

    /** {@code out[i][j] = a[i][index[i][j]]} for dim 1, and so on: out has index's shape. */
    public static void gather(Tensor a, int dim, Tensor index, Tensor out) {
        CpuStorage x = storage(a), idx = storage(index), z = storage(out);
        boolean isLong = !a.dtype().isFloatingPoint();
        int size = a.dim() == 0 ? 1 : a.shape()[dim];
        forEachIndex(index.shape(), pos -> {
            int k = checked(idx.getLong(offset(index, pos, -1, 0)), dim, size);
            int from = offset(a, pos, dim, k);
            int to = offset(out, pos, -1, 0);
            if (isLong) {
                z.setLong(to, x.getLong(from));
            } else {
                z.setDouble(to, x.getDouble(from));
            }
        });
    }

    /** {@code out[i][index[i][j]] += src[i][j]} for dim 1, and so on, over index's shape. */
    public static void scatterAdd(Tensor out, int dim, Tensor index, Tensor src) {
        CpuStorage s = storage(src), idx = storage(index), z = storage(out);
        boolean isLong = !out.dtype().isFloatingPoint();
        int size = out.dim() == 0 ? 1 : out.shape()[dim];
        forEachIndex(index.shape(), pos -> {
            int k = checked(idx.getLong(offset(index, pos, -1, 0)), dim, size);
            int to = offset(out, pos, dim, k);
            int from = offset(src, pos, -1, 0);
            if (isLong) {
                z.setLong(to, z.getLong(to) + s.getLong(from));
            } else {
                z.setDouble(to, z.getDouble(to) + s.getDouble(from));
            }
        });
    }

    /** Running sums along dim, accumulated in double (long for integers) as PyTorch's CPU kernel does. */
    public static void cumsum(Tensor a, int dim, Tensor out) {
        CpuStorage x = storage(a), z = storage(out);
        boolean isLong = !out.dtype().isFloatingPoint();
        int[] lines = a.shape();
        int len = a.dim() == 0 ? 1 : lines[dim];
        if (a.dim() > 0) {
            lines[dim] = 1;
        }
        int step = a.dim() == 0 ? 0 : a.strides()[dim], outStep = a.dim() == 0 ? 0 : out.strides()[dim];
        forEachIndex(lines, pos -> {
            int from = offset(a, pos, -1, 0), to = offset(out, pos, -1, 0);
            double d = 0;
            long l = 0;
            for (int i = 0; i < len; i++) {
                if (isLong) {
                    l += x.getLong(from + i * step);
                    z.setLong(to + i * outStep, l);
                } else {
                    d += x.getDouble(from + i * step);
                    z.setDouble(to + i * outStep, d);
                }
            }
        });
    }

    private static int checked(long k, int dim, int size) {
        if (k < 0 || k >= size) {
            throw new IndexOutOfBoundsException("index " + k + " is out of bounds for dimension " + dim + " with size " + size);
        }
        return (int) k;
    }

    private static CpuStorage storage(Tensor t) {
        return (CpuStorage) t.storage();
    }

    /** The storage offset of {@code t} at {@code pos}, with {@code pos[dim]} replaced by {@code at} when dim >= 0. */
    private static int offset(Tensor t, int[] pos, int dim, int at) {
        int off = t.storageOffset();
        int[] strides = t.strides();
        for (int d = 0; d < strides.length; d++) {
            off += (d == dim ? at : pos[d]) * strides[d];
        }
        return off;
    }

    private interface IndexVisitor {
        void visit(int[] pos);
    }

    /** Visits every index of {@code shape} in row-major order, the same array updated in place. */
    private static void forEachIndex(int[] shape, IndexVisitor visitor) {
        for (int s : shape) {
            if (s == 0) {
                return;
            }
        }
        int[] pos = new int[shape.length];
        while (true) {
            visitor.visit(pos);
            int d = shape.length - 1;
            while (d >= 0 && ++pos[d] == shape[d]) {
                pos[d--] = 0;
            }
            if (d < 0) {
                return;
            }
        }
    }
}
