package dev.steptorch.ndarray;

import java.util.Arrays;

/**
 * Shape and stride arithmetic: sizes, C-order strides, broadcasting, axis normalisation, and the
 * two ways NumPy writes a shape ({@code (4, 6)} when printing, {@code (4,6)} in error messages).
 * Public because the layout rules are the same for every strided array: step 2's tensors can
 * reuse them rather than keep a second copy. Strides and offsets count elements, not bytes.
 * {@link ReshapeStrides} holds the one view rule that needs more than a line or two.
 */
public final class Shapes {
    private Shapes() {
    }

    /** The number of elements, the product of the sizes; fails when it does not fit an int. */
    public static int size(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("array of shape " + compact(shape) + " is too big");
        }
        return (int) n;
    }

    /** Strides of a freshly allocated C-order (row-major) array: the last axis moves fastest. */
    public static int[] contiguousStrides(int[] shape) {
        // BEGIN SOLUTION step1.contiguous-strides
        int[] strides = new int[shape.length];
        int s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = s;
            s *= Math.max(shape[i], 1);
        }
        return strides;
        // END SOLUTION
    }

    /** Whether the strides walk the elements in C order with no gaps (size-1 axes may stride anyhow). */
    public static boolean isContiguous(int[] shape, int[] strides) {
        int s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] == 1) {
                continue;
            }
            if (shape[i] == 0) {
                return true;
            }
            if (strides[i] != s) {
                return false;
            }
            s *= shape[i];
        }
        return true;
    }

    /** {@code (4, 6)}, {@code (3,)}, {@code ()}: Python's repr of a shape tuple. */
    public static String str(int[] shape) {
        return tuple(shape, ", ");
    }

    /** {@code (64,1000)}: how NumPy writes shapes inside error messages. */
    public static String compact(int[] shape) {
        return tuple(shape, ",");
    }

    private static String tuple(int[] shape, String sep) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) {
                sb.append(sep);
            }
            sb.append(shape[i]);
        }
        if (shape.length == 1) {
            sb.append(',');
        }
        return sb.append(')').toString();
    }

    /**
     * The shape two operands broadcast to. Shapes are aligned at their last axis; two sizes agree
     * when they are equal or one of them is 1. Fails with NumPy's message, led by the op name.
     */
    public static int[] broadcast(String op, int[] a, int[] b) {
        // BEGIN SOLUTION step1.broadcast-shape
        int n = Math.max(a.length, b.length);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int da = i < n - a.length ? 1 : a[i - (n - a.length)];
            int db = i < n - b.length ? 1 : b[i - (n - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": operands could not be broadcast together with shapes "
                        + compact(a) + " " + compact(b));
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
        // END SOLUTION
    }

    /**
     * Strides that read an array of {@code shape}/{@code strides} as if it had shape {@code target}:
     * missing leading axes and stretched size-1 axes get stride 0, so one element is reused.
     * The caller has checked that the shapes broadcast.
     */
    public static int[] broadcastStrides(int[] shape, int[] strides, int[] target) {
        // BEGIN SOLUTION step1.broadcast-strides
        int[] out = new int[target.length];
        int lead = target.length - shape.length;
        for (int i = 0; i < shape.length; i++) {
            out[lead + i] = shape[i] == 1 && target[lead + i] != 1 ? 0 : strides[i];
        }
        return out;
        // END SOLUTION
    }

    /** Turns a possibly negative axis into 0..ndim-1, or fails as NumPy's AxisError does. */
    public static int normalizeAxis(String op, int axis, int ndim) {
        if (axis < -ndim || axis >= ndim) {
            throw new IllegalArgumentException(op + ": axis " + axis + " is out of bounds for array of dimension " + ndim);
        }
        return axis < 0 ? axis + ndim : axis;
    }

    /** {@code a} without the entry at {@code index}: the shape or strides once an axis is reduced or squeezed away. */
    public static int[] remove(int[] a, int index) {
        int[] out = new int[a.length - 1];
        System.arraycopy(a, 0, out, 0, index);
        System.arraycopy(a, index + 1, out, index, a.length - index - 1);
        return out;
    }

    /**
     * {@code a} with {@code value} inserted at {@code index}: a new size-1 axis ({@code expand_dims},
     * {@code keepdims}), whose stride can be anything, since it is never stepped along.
     */
    public static int[] insert(int[] a, int index, int value) {
        int[] out = new int[a.length + 1];
        System.arraycopy(a, 0, out, 0, index);
        out[index] = value;
        System.arraycopy(a, index, out, index + 1, a.length - index);
        return out;
    }

    /** Whether two shapes (or stride lists) are equal entry by entry. */
    public static boolean same(int[] a, int[] b) {
        return Arrays.equals(a, b);
    }
}
