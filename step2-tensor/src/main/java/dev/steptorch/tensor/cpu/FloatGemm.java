package dev.steptorch.tensor.cpu;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float32 matrix product {@code C += A B}, the hot spot of every network in the course, laid out
 * the way GotoBLAS and BLIS lay it out, written with the incubating Vector API
 * ({@code jdk.incubator.vector}; the build and every {@code java} launch pass
 * {@code --add-modules jdk.incubator.vector}). The definition it is tested against is the triple
 * loop in the step 2 properties; this file only changes the order of the same sums.
 * <ol>
 *   <li><b>Micro-kernel</b> ({@link #kernel}): a tile of C, 6 rows x 4 vectors (6 x 64 floats with
 *   AVX-512), lives in 24 vector registers while k runs. Per k it loads 4 vectors of B and
 *   broadcasts 6 numbers of A: every loaded number feeds 4 or 6 fused multiply-adds, so the
 *   arithmetic units, not the loads, set the pace. AVX2 has 16 registers, so there some sums
 *   spill to memory: the same results, more slowly.</li>
 *   <li><b>Packing</b>: a block of B (up to {@link #KC} rows) is copied into panels of 64 columns,
 *   each panel row after row, so the kernel reads B as one straight stream; read in place, the
 *   rows of a wide B sit a multiple of 4 KiB apart and evict each other from the first-level
 *   cache. The ragged last panel is padded with zeros, so the kernel never tests an edge, and B's
 *   strides are dealt with here, once, so {@code g.mm(w.t())} costs no extra copy. A is packed the
 *   same way, in panels of 6 rows, when at least 4 column panels will reuse it; a narrow product
 *   (the course's 64 x 1000 times 1000 x 100) reads it in place through its strides.</li>
 *   <li><b>Blocking</b>: {@link #KC} rows of k per pass keep one B panel (64 KiB) in the
 *   second-level cache while {@link #MC} rows of A go past it; {@link #NC} columns of B per pass
 *   bound the packed copy.</li>
 *   <li><b>Threads</b>: one fork and join per product; each task takes a block of rows, or a
 *   group of column panels when there are few rows, over all of k.</li>
 * </ol>
 * The kernel it replaced read B in place with a 4 x 4 tile: 1024^3 went from about 95 to about
 * 150 GFLOP/s on one thread of the development machine (the step 2 docs have the figures).
 */
final class FloatGemm {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    /** Floats per vector register: 16 with AVX-512, 8 with AVX2. */
    private static final int LANES = SPECIES.length();
    /** Rows and columns of the micro-tile. */
    static final int MR = 6;
    static final int NR = 4 * LANES;
    static final int KC = 256;
    static final int MC = 96;
    static final int NC = 2048;
    private static final long PARALLEL_WORK = 1L << 18;
    /** Parts a product is cut into for the common pool: a few per thread, so that uneven parts even out. */
    private static final int TASKS = 4 * Runtime.getRuntime().availableProcessors();

    /**
     * Packing buffers, reused across calls: a 2 MiB array made fresh per product costs more than a
     * small product. Not thread-locals: the common pool's workers erase those between tasks.
     */
    private static final Queue<float[]> SPARE_A = new ConcurrentLinkedQueue<>();
    private static final Queue<float[]> SPARE_B = new ConcurrentLinkedQueue<>();

    private FloatGemm() {
    }

    /**
     * Adds A B to C: A is read as {@code a[aOff + i * ars + p * acs]}, B as {@code b[bOff + p * brs + j * bcs]},
     * C is row-major m x n.
     */
    static void multiply(float[] a, int aOff, int ars, int acs, float[] b, int bOff, int brs, int bcs,
                         float[] c, int m, int k, int n) {
        // with one panel of rows every number of B is read once: packing it would only add a copy
        boolean inPlace = m <= MR && bcs == 1;
        int rowBlocks = (m + MC - 1) / MC, panels = (n + NR - 1) / NR;
        // few rows (a convolution's weight times its columns): the column panels are split too
        int groups = (long) m * k * n < PARALLEL_WORK ? 1 : Math.min(panels, Math.max(1, (TASKS + rowBlocks - 1) / rowBlocks));
        int tasks = rowBlocks * groups;
        if (tasks < 2 || (long) m * k * n < PARALLEL_WORK) {
            part(a, aOff, ars, acs, b, bOff, brs, bcs, inPlace, c, k, n, 0, m, 0, n);
            return;
        }
        // one fork and join per product: each task runs all of k for its block of C
        IntStream.range(0, tasks).parallel().forEach(t -> {
            int i0 = t / groups * MC, g = t % groups;
            part(a, aOff, ars, acs, b, bOff, brs, bcs, inPlace, c, k, n, i0, Math.min(m, i0 + MC),
                    panels * g / groups * NR, Math.min(n, panels * (g + 1) / groups * NR));
        });
    }

    /**
     * Rows i0..i1-1 and columns j0..j1-1 of C (j0 a multiple of NR), over all of k. Packs its own
     * operands, so parallel parts share nothing they write.
     */
    private static void part(float[] a, int aOff, int ars, int acs, float[] b, int bOff, int brs, int bcs, boolean inPlace,
                             float[] c, int k, int n, int i0, int i1, int j0, int j1) {
        // A is packed when many column panels reuse it; a narrow product reads it in place
        boolean packA = j1 - j0 >= 4 * NR;
        float[] ap = packA ? take(SPARE_A, MC * KC) : null, bp = take(SPARE_B, KC * NC);
        // an edge tile is summed into this scratch tile, and only its real part is added to C
        float[] tile = new float[MR * NR];
        for (int jc = j0; jc < j1; jc += NC) {
            int nc = Math.min(NC, j1 - jc);
            for (int p0 = 0; p0 < k; p0 += KC) {
                int kc = Math.min(KC, k - p0), bo = bOff + p0 * brs + jc * bcs;
                packB(b, bo, brs, bcs, kc, nc, bp, inPlace);
                if (packA) {
                    packA(a, aOff + i0 * ars + p0 * acs, ars, acs, i1 - i0, kc, ap);
                    // the panel of rows i.. starts at (i - i0) * kc; in it, row r of k step q sits at q * MR + r
                    tiles(ap, -i0 * kc, kc, 1, MR, inPlace ? b : null, bo, brs, bp, tile, c, n, i0, i1, kc, jc, nc);
                } else {
                    tiles(a, aOff + p0 * acs, ars, ars, acs, inPlace ? b : null, bo, brs, bp, tile, c, n, i0, i1, kc, jc, nc);
                }
            }
        }
        if (packA) {
            SPARE_A.offer(ap);
        }
        SPARE_B.offer(bp);
    }

    /**
     * Rows i0..i1-1 of C times the block of B from column j0, nc wide, kc rows. The tile of rows
     * from i reads A from {@code a[ao + i * ars]}, its rows step apart and its k's acs apart (A in
     * place, or packed). B is read from the packed panels in bp, or, when y is not null, from B
     * itself at yo with rows ld apart (its ragged last panel is still the packed one in bp).
     * {@code tile} is the part's scratch for edge tiles.
     */
    private static void tiles(float[] a, int ao, int ars, int step, int acs, float[] y, int yo, int ld, float[] bp,
                              float[] tile, float[] c, int n, int i0, int i1, int kc, int j0, int nc) {
        for (int q = 0; q * NR < nc; q++) {
            int j = j0 + q * NR, cols = Math.min(NR, j0 + nc - j);
            boolean packed = y == null || cols < NR;
            float[] bq = packed ? bp : y;
            int bi = packed ? q * kc * NR : yo + q * NR, ldb = packed ? NR : ld;
            for (int i = i0; i < i1; i += MR) {
                int rows = Math.min(MR, i1 - i), a0 = ao + i * ars;
                // a missing row (the bottom edge) re-reads the last real one; its sums are dropped
                int a1 = a0 + Math.min(1, rows - 1) * step, a2 = a0 + Math.min(2, rows - 1) * step;
                int a3 = a0 + Math.min(3, rows - 1) * step, a4 = a0 + Math.min(4, rows - 1) * step;
                int a5 = a0 + Math.min(5, rows - 1) * step;
                if (rows == MR && cols == NR) {
                    kernel(a, a0, a1, a2, a3, a4, a5, acs, bq, bi, ldb, c, i * n + j, n, kc);
                } else {
                    java.util.Arrays.fill(tile, 0f);
                    kernel(a, a0, a1, a2, a3, a4, a5, acs, bq, bi, ldb, tile, 0, NR, kc);
                    for (int r = 0; r < rows; r++) {
                        for (int s = 0; s < cols; s++) {
                            c[(i + r) * n + j + s] += tile[r * NR + s];
                        }
                    }
                }
            }
        }
    }

    private static float[] take(Queue<float[]> spare, int size) {
        float[] x = spare.poll();
        return x != null ? x : new float[size];
    }

    /**
     * kc x nc of B into panels of NR columns, panel q at {@code q * kc * NR}, row p of it at
     * {@code + p * NR}; only the ragged last panel when B is read in place.
     */
    private static void packB(float[] b, int off, int brs, int bcs, int kc, int nc, float[] bp, boolean inPlace) {
        for (int q = 0, j = 0; j < nc; q++, j += NR) {
            int cols = Math.min(NR, nc - j), base = q * kc * NR;
            if (inPlace && cols == NR) {
                continue;
            }
            for (int p = 0; p < kc; p++) {
                int src = off + p * brs + j * bcs, dst = base + p * NR;
                if (bcs == 1) {
                    System.arraycopy(b, src, bp, dst, cols);
                } else {
                    for (int s = 0; s < cols; s++) {
                        bp[dst + s] = b[src + s * bcs];
                    }
                }
                for (int s = cols; s < NR; s++) {
                    bp[dst + s] = 0f;
                }
            }
        }
    }

    /** mc x kc of A into panels of MR rows, panel r at {@code r * kc}, column p of it at {@code + p * MR}. */
    private static void packA(float[] a, int off, int ars, int acs, int mc, int kc, float[] ap) {
        for (int i = 0; i < mc; i += MR) {
            int rows = Math.min(MR, mc - i), base = i * kc;
            for (int p = 0; p < kc; p++) {
                int dst = base + p * MR, src = off + i * ars + p * acs;
                for (int r = 0; r < rows; r++) {
                    ap[dst + r] = a[src + r * ars];
                }
                for (int r = rows; r < MR; r++) {
                    ap[dst + r] = 0f;
                }
            }
        }
    }

    /**
     * Adds to the 6 x NR tile of {@code out} at o (rows ld apart) the product of a packed A panel
     * (6 numbers per k, from ai) and a panel of B (NR numbers per k, from bi, ldb apart) over kc k's.
     * The 24 sums are separate local variables so that the JIT keeps them in registers; passing
     * them to a helper made C2 box them (measured 5x slower), so the stores are unrolled too.
     */
    private static void kernel(float[] a, int a0, int a1, int a2, int a3, int a4, int a5, int acs,
                               float[] bp, int bi, int ldb, float[] out, int o, int ld, int kc) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = c00, c02 = c00, c03 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        FloatVector c40 = c00, c41 = c00, c42 = c00, c43 = c00;
        FloatVector c50 = c00, c51 = c00, c52 = c00, c53 = c00;
        for (int q = 0; q < kc; q++) {
            int bq = bi + q * ldb, aq = q * acs;
            FloatVector b0 = FloatVector.fromArray(SPECIES, bp, bq);
            FloatVector b1 = FloatVector.fromArray(SPECIES, bp, bq + LANES);
            FloatVector b2 = FloatVector.fromArray(SPECIES, bp, bq + 2 * LANES);
            FloatVector b3 = FloatVector.fromArray(SPECIES, bp, bq + 3 * LANES);
            FloatVector x = FloatVector.broadcast(SPECIES, a[a0 + aq]);
            c00 = b0.fma(x, c00);
            c01 = b1.fma(x, c01);
            c02 = b2.fma(x, c02);
            c03 = b3.fma(x, c03);
            x = FloatVector.broadcast(SPECIES, a[a1 + aq]);
            c10 = b0.fma(x, c10);
            c11 = b1.fma(x, c11);
            c12 = b2.fma(x, c12);
            c13 = b3.fma(x, c13);
            x = FloatVector.broadcast(SPECIES, a[a2 + aq]);
            c20 = b0.fma(x, c20);
            c21 = b1.fma(x, c21);
            c22 = b2.fma(x, c22);
            c23 = b3.fma(x, c23);
            x = FloatVector.broadcast(SPECIES, a[a3 + aq]);
            c30 = b0.fma(x, c30);
            c31 = b1.fma(x, c31);
            c32 = b2.fma(x, c32);
            c33 = b3.fma(x, c33);
            x = FloatVector.broadcast(SPECIES, a[a4 + aq]);
            c40 = b0.fma(x, c40);
            c41 = b1.fma(x, c41);
            c42 = b2.fma(x, c42);
            c43 = b3.fma(x, c43);
            x = FloatVector.broadcast(SPECIES, a[a5 + aq]);
            c50 = b0.fma(x, c50);
            c51 = b1.fma(x, c51);
            c52 = b2.fma(x, c52);
            c53 = b3.fma(x, c53);
        }
        c00.add(FloatVector.fromArray(SPECIES, out, o)).intoArray(out, o);
        c01.add(FloatVector.fromArray(SPECIES, out, o + LANES)).intoArray(out, o + LANES);
        c02.add(FloatVector.fromArray(SPECIES, out, o + 2 * LANES)).intoArray(out, o + 2 * LANES);
        c03.add(FloatVector.fromArray(SPECIES, out, o + 3 * LANES)).intoArray(out, o + 3 * LANES);
        c10.add(FloatVector.fromArray(SPECIES, out, o + ld)).intoArray(out, o + ld);
        c11.add(FloatVector.fromArray(SPECIES, out, o + ld + LANES)).intoArray(out, o + ld + LANES);
        c12.add(FloatVector.fromArray(SPECIES, out, o + ld + 2 * LANES)).intoArray(out, o + ld + 2 * LANES);
        c13.add(FloatVector.fromArray(SPECIES, out, o + ld + 3 * LANES)).intoArray(out, o + ld + 3 * LANES);
        c20.add(FloatVector.fromArray(SPECIES, out, o + 2 * ld)).intoArray(out, o + 2 * ld);
        c21.add(FloatVector.fromArray(SPECIES, out, o + 2 * ld + LANES)).intoArray(out, o + 2 * ld + LANES);
        c22.add(FloatVector.fromArray(SPECIES, out, o + 2 * ld + 2 * LANES)).intoArray(out, o + 2 * ld + 2 * LANES);
        c23.add(FloatVector.fromArray(SPECIES, out, o + 2 * ld + 3 * LANES)).intoArray(out, o + 2 * ld + 3 * LANES);
        c30.add(FloatVector.fromArray(SPECIES, out, o + 3 * ld)).intoArray(out, o + 3 * ld);
        c31.add(FloatVector.fromArray(SPECIES, out, o + 3 * ld + LANES)).intoArray(out, o + 3 * ld + LANES);
        c32.add(FloatVector.fromArray(SPECIES, out, o + 3 * ld + 2 * LANES)).intoArray(out, o + 3 * ld + 2 * LANES);
        c33.add(FloatVector.fromArray(SPECIES, out, o + 3 * ld + 3 * LANES)).intoArray(out, o + 3 * ld + 3 * LANES);
        c40.add(FloatVector.fromArray(SPECIES, out, o + 4 * ld)).intoArray(out, o + 4 * ld);
        c41.add(FloatVector.fromArray(SPECIES, out, o + 4 * ld + LANES)).intoArray(out, o + 4 * ld + LANES);
        c42.add(FloatVector.fromArray(SPECIES, out, o + 4 * ld + 2 * LANES)).intoArray(out, o + 4 * ld + 2 * LANES);
        c43.add(FloatVector.fromArray(SPECIES, out, o + 4 * ld + 3 * LANES)).intoArray(out, o + 4 * ld + 3 * LANES);
        c50.add(FloatVector.fromArray(SPECIES, out, o + 5 * ld)).intoArray(out, o + 5 * ld);
        c51.add(FloatVector.fromArray(SPECIES, out, o + 5 * ld + LANES)).intoArray(out, o + 5 * ld + LANES);
        c52.add(FloatVector.fromArray(SPECIES, out, o + 5 * ld + 2 * LANES)).intoArray(out, o + 5 * ld + 2 * LANES);
        c53.add(FloatVector.fromArray(SPECIES, out, o + 5 * ld + 3 * LANES)).intoArray(out, o + 5 * ld + 3 * LANES);
    }
}
