package dev.steptorch.tensor;

import dev.steptorch.tensor.cpu.CpuStorage;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;

/** Turns Java numbers and (nested) primitive arrays into CPU tensors, as {@code torch.tensor} does Python lists. */
final class JavaData {
    private JavaData() {
    }

    static Tensor toCpuTensor(Object data, Options options) {
        if (data == null) {
            throw new IllegalArgumentException("tensor(): data must be a number or an array, not null");
        }
        List<Integer> dims = new ArrayList<>();
        Object leaf = data;
        while (leaf.getClass().isArray()) {
            int n = Array.getLength(leaf);
            dims.add(n);
            if (n == 0 || !(leaf instanceof Object[])) {
                break;
            }
            leaf = Array.get(leaf, 0);
        }
        int[] shape = dims.stream().mapToInt(Integer::intValue).toArray();
        DType dtype = options.dtypeOr(inferDtype(data));
        CpuStorage storage = new CpuStorage(dtype, Shapes.numel(shape));
        int written = fill(data, shape, 0, storage, 0);
        if (written != storage.size()) {
            throw new IllegalStateException("internal: filled " + written + " of " + storage.size());
        }
        return Tensor.wrap(storage, shape, Shapes.contiguousStrides(shape), 0);
    }

    private static DType inferDtype(Object data) {
        Class<?> c = data.getClass();
        while (c.isArray()) {
            c = c.getComponentType();
        }
        if (c == double.class || c == float.class || c == Double.class || c == Float.class) {
            return DType.defaultFloat();
        }
        if (c == long.class || c == int.class || c == short.class || c == byte.class
                || c == Long.class || c == Integer.class || c == Short.class || c == Byte.class) {
            return DType.INT64;
        }
        if (c == boolean.class || c == Boolean.class) {
            return DType.BOOL;
        }
        throw new IllegalArgumentException("tensor(): could not infer dtype of " + c.getSimpleName());
    }

    /** Writes the elements of {@code data} (expected to have {@code shape[dim:]}) from {@code at}; returns the next free index. */
    private static int fill(Object data, int[] shape, int dim, CpuStorage out, int at) {
        if (dim == shape.length) {
            if (data instanceof Boolean) {
                out.setDouble(at, (Boolean) data ? 1 : 0);
            } else if (data instanceof Long || data instanceof Integer) {
                out.setLong(at, ((Number) data).longValue());
            } else if (data instanceof Number) {
                out.setDouble(at, ((Number) data).doubleValue());
            } else {
                throw new IllegalArgumentException("tensor(): expected a number at dim " + dim + " but found "
                        + data.getClass().getSimpleName());
            }
            return at + 1;
        }
        if (!data.getClass().isArray()) {
            throw new IllegalArgumentException("tensor(): expected a sequence of length " + shape[dim] + " at dim " + dim
                    + " but found a number");
        }
        int n = Array.getLength(data);
        if (n != shape[dim]) {
            throw new IllegalArgumentException("tensor(): expected sequence of length " + shape[dim] + " at dim " + dim
                    + " (got " + n + ")");
        }
        for (int i = 0; i < n; i++) {
            at = fill(Array.get(data, i), shape, dim + 1, out, at);
        }
        return at;
    }
}
