package dev.steptorch.ndarray;

/**
 * Decides whether a non-contiguous array can be reshaped as a view, following NumPy's
 * {@code _attempt_nocopy_reshape}: the old and new shapes are cut into groups of axes with equal
 * products; a group can be re-strided without copying when its old axes are contiguous among
 * themselves (a transposed matrix cannot be flattened without a copy; a column slice can be split).
 */
public final class ReshapeStrides {
    private ReshapeStrides() {
    }

    /**
     * The strides of a view of {@code oldShape}/{@code oldStrides} with {@code newShape} (the same
     * non-zero size, no -1 left in it), or null when only a copy can have the new shape.
     */
    public static int[] noCopy(int[] oldShape, int[] oldStrides, int[] newShape) {
        // Size-1 axes can have any stride; leave them out of the matching.
        int count = 0;
        for (int d : oldShape) if (d != 1) count++;
        int[] od = new int[count];
        int[] os = new int[count];
        for (int i = 0, j = 0; i < oldShape.length; i++) {
            if (oldShape[i] != 1) {
                od[j] = oldShape[i];
                os[j++] = oldStrides[i];
            }
        }
        int[] ns = new int[newShape.length];
        int oi = 0;
        int oj = 1;
        int ni = 0;
        int nj = 1;
        while (ni < newShape.length && oi < od.length) {
            long np = newShape[ni];
            long op = od[oi];
            while (np != op) {
                if (np < op) np *= newShape[nj++];
                else op *= od[oj++];
            }
            for (int ok = oi; ok < oj - 1; ok++) {
                if (os[ok] != od[ok + 1] * os[ok + 1]) return null;
            }
            ns[nj - 1] = os[oj - 1];
            for (int nk = nj - 1; nk > ni; nk--) ns[nk - 1] = ns[nk] * newShape[nk];
            ni = nj++;
            oi = oj++;
        }
        int last = ni > 0 ? ns[ni - 1] : 1;
        for (int nk = ni; nk < newShape.length; nk++) ns[nk] = last;
        return ns;
    }
}
