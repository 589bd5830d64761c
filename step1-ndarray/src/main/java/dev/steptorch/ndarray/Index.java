package dev.steptorch.ndarray;

/**
 * One entry of a NumPy-style subscript, for {@link NDArray#get(Index...)}: {@code x[:, 1]} is
 * {@code x.get(all(), at(1))}, {@code x[1:3]} is {@code x.get(range(1, 3))} and
 * {@code x[:, None]} is {@code x.get(all(), newAxis())}. Every result is a view.
 */
public final class Index {
    enum Kind { AT, RANGE, NEW_AXIS }

    final Kind kind;
    final int start;
    final Integer stop;
    final int step;

    private Index(Kind kind, int start, Integer stop, int step) {
        this.kind = kind;
        this.start = start;
        this.stop = stop;
        this.step = step;
    }

    /** A single position ({@code x[i]}); it removes the axis. Negative counts from the end. */
    public static Index at(int i) {
        return new Index(Kind.AT, i, null, 1);
    }

    /** The whole axis ({@code :}). */
    public static Index all() {
        return new Index(Kind.RANGE, 0, null, 1);
    }

    /** {@code start:stop}, clipped to the axis as Python slices are. */
    public static Index range(int start, int stop) {
        return range(start, stop, 1);
    }

    /** {@code start:stop:step}, with a positive step. */
    public static Index range(int start, int stop, int step) {
        if (step <= 0) {
            throw new IllegalArgumentException("slice step must be positive, got " + step);
        }
        return new Index(Kind.RANGE, start, stop, step);
    }

    /** {@code start:}. */
    public static Index from(int start) {
        return new Index(Kind.RANGE, start, null, 1);
    }

    /** {@code None}/{@code np.newaxis}: inserts an axis of size 1. */
    public static Index newAxis() {
        return new Index(Kind.NEW_AXIS, 0, null, 1);
    }

    /** Python's slice clipping: the first index and the count of a slice over an axis of size n. */
    int[] resolve(int n) {
        int lo = clip(start, n);
        int hi = stop == null ? n : clip(stop, n);
        int count = hi <= lo ? 0 : (hi - lo + step - 1) / step;
        return new int[] {lo, count};
    }

    private static int clip(int i, int n) {
        if (i < 0) {
            i += n;
        }
        return Math.max(0, Math.min(i, n));
    }

    @Override
    public String toString() {
        switch (kind) {
            case AT: return Integer.toString(start);
            case NEW_AXIS: return "None";
            default: return (start == 0 ? "" : start) + ":" + (stop == null ? "" : stop) + (step == 1 ? "" : ":" + step);
        }
    }
}
