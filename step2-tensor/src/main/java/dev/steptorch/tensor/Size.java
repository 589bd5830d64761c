package dev.steptorch.tensor;

import java.util.Arrays;

/** A tensor's shape, printed as {@code torch.Size([5, 3])}. Immutable. */
public final class Size {
    private final int[] dims;

    public Size(int... dims) {
        this.dims = dims.clone();
    }

    public int get(int i) {
        return dims[i];
    }

    public int length() {
        return dims.length;
    }

    public int numel() {
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }

    public int[] toArray() {
        return dims.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Size && Arrays.equals(dims, ((Size) o).dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return "torch.Size(" + Arrays.toString(dims) + ")";
    }
}
