package dev.steptorch.tensor.cpu;

import dev.steptorch.ndarray.Parallel;

/**
 * Walks up to three strided operands over one iteration shape, one contiguous run ("row") of
 * the innermost dimension at a time, so that kernels write a plain counted loop the JIT can
 * vectorise. Dimensions that every operand can step through as one are merged first, so a
 * contiguous tensor is a single row however many dimensions it has.
 *
 * <p>Work above {@link #PARALLEL_ELEMENTS} elements is cut into ranges run on the common
 * threads of {@link Parallel}; smaller work stays on the calling thread, which is faster than handing it out.
 * The cut is one range per thread, as OpenMP's static schedule under PyTorch: the caller always
 * runs the first, so op after op on the same tensors each thread finds its range in its own cache.
 * Cut in four ranges per thread, taken by whoever came first, an optimizer's in-place updates of
 * 100,000 numbers took 19-26 µs each where one thread alone takes 7.
 */
final class StridedRows {
    static final int PARALLEL_ELEMENTS = 1 << 16;

    /** One run: the operands' first elements and strides, and the run's length. */
    interface Row {
        void run(int o0, int s0, int o1, int s1, int o2, int s2, int len);
    }

    private StridedRows() {
    }

    /** {@code strides.length} is 1 to 3; unused operands of {@link Row} get 0s. */
    static void forEach(int[] shape, int[][] strides, int[] offsets, Row row) {
        int ops = strides.length;
        // merge dims: drop size-1 dims, then fuse d into d+1 where every operand allows it
        int[] sh = new int[Math.max(1, shape.length)];
        int[][] st = new int[3][sh.length];
        int rank = 0;
        long n = 1;
        for (int d = 0; d < shape.length; d++) {
            n *= shape[d];
            if (shape[d] == 1) {
                continue;
            }
            if (rank > 0 && fusable(st, rank - 1, strides, d, shape[d], ops)) {
                sh[rank - 1] *= shape[d];
                for (int k = 0; k < ops; k++) {
                    st[k][rank - 1] = strides[k][d];
                }
                continue;
            }
            sh[rank] = shape[d];
            for (int k = 0; k < ops; k++) {
                st[k][rank] = strides[k][d];
            }
            rank++;
        }
        if (n == 0) {
            return;
        }
        if (rank == 0) {
            sh[0] = 1;
            rank = 1;
        }
        int total = (int) n;
        int[] off = {offsets[0], ops > 1 ? offsets[1] : 0, ops > 2 ? offsets[2] : 0};
        int r = rank;
        if (total < PARALLEL_ELEMENTS || Parallel.threads() == 1 || Parallel.inParallelRegion()) {
            range(sh, st, r, off, 0, total, row);
            return;
        }
        int tasks = Math.min(Parallel.threads(), total / (PARALLEL_ELEMENTS / 4));
        Parallel.forEach(tasks, t -> {
            int lo = (int) ((long) total * t / tasks);
            int hi = (int) ((long) total * (t + 1) / tasks);
            range(sh, st, r, off, lo, hi, row);
        });
    }

    private static boolean fusable(int[][] st, int outer, int[][] strides, int d, int size, int ops) {
        for (int k = 0; k < ops; k++) {
            if (st[k][outer] != strides[k][d] * size) {
                return false;
            }
        }
        return true;
    }

    /** Linear positions lo..hi-1 of the merged shape. */
    private static void range(int[] sh, int[][] st, int rank, int[] off, int lo, int hi, Row row) {
        int last = rank - 1;
        int[] idx = new int[rank];
        int rest = lo;
        for (int d = last; d >= 0; d--) {
            idx[d] = rest % sh[d];
            rest /= sh[d];
        }
        int inner = sh[last];
        while (lo < hi) {
            int o0 = off[0], o1 = off[1], o2 = off[2];
            for (int d = 0; d < rank; d++) {
                o0 += idx[d] * st[0][d];
                o1 += idx[d] * st[1][d];
                o2 += idx[d] * st[2][d];
            }
            int len = Math.min(inner - idx[last], hi - lo);
            row.run(o0, st[0][last], o1, st[1][last], o2, st[2][last], len);
            lo += len;
            idx[last] = 0;
            for (int d = last - 1; d >= 0; d--) {
                if (++idx[d] < sh[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
    }
}
