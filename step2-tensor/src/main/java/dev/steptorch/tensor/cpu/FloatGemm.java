package dev.steptorch.tensor.cpu;

import dev.steptorch.ndarray.Parallel;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float32 matrix product {@code C += A B}, the hot spot of every network in the course, laid out
 * the way GotoBLAS and BLIS lay it out, written with the incubating Vector API
 * ({@code jdk.incubator.vector}; the build and every {@code java} launch pass
 * {@code --add-modules jdk.incubator.vector}). The definition it is tested against is the triple
 * loop in the step 2 properties; this file only changes the order of the same sums.
 * <ol>
 *   <li><b>Micro-kernel</b> ({@link #kernel}): a tile of C, 6 rows x 3 vectors (6 x 48 floats with
 *   AVX-512), lives in 18 vector registers while k runs. Per k it loads 3 vectors of B and
 *   broadcasts 6 numbers of A: every loaded number feeds 3 or 6 fused multiply-adds, so the
 *   arithmetic units, not the loads, set the pace. Why not 4 vectors (24 sums, 29 of the 32
 *   registers with B and A's number): C2 (JDK 17) then sometimes kept some sums on the stack,
 *   depending on the profile it compiled from, and that code ran 3 times slower (55-65 against
 *   170-200 GFLOP/s on one core, in separate JVMs of one program), so the same program took
 *   100 µs or 340 µs for the course's 64 x 1000 x 100 from one run to the next. With 3 vectors
 *   it never spilled in the runs looked at, and the narrower tile wastes less on ragged edges
 *   (LeNet's 136 positions are 3 tiles of 48, not of 64). AVX2 has 16 registers, so there
 *   some sums spill to memory: the same results, more slowly.</li>
 *   <li><b>Edges</b>: a last panel of one vector or less (the course's 100 columns are 48 + 48 +
 *   4) goes to {@link NarrowColumns} when one of A's strides is 1, and otherwise through
 *   {@link #kernelColumn}, one vector wide, instead of a whole tile's sums.</li>
 *   <li><b>Packing</b>: a block of B (up to {@link #KC} rows) is copied into panels of 48 columns,
 *   each panel row after row, so the kernel reads B as one straight stream; read in place, the
 *   rows of a wide B sit a multiple of 4 KiB apart and evict each other from the first-level
 *   cache. The ragged last panel is padded with zeros, so the kernel never tests an edge, and B's
 *   strides are dealt with here, once, so {@code g.mm(w.t())} costs no extra copy. A is packed the
 *   same way, in panels of 6 rows, when at least 4 column panels will reuse it; a narrow product
 *   (the course's 64 x 1000 times 1000 x 100) reads it in place through its strides.</li>
 *   <li><b>Blocking</b>: {@link #KC} rows of k per pass keep one B panel (48 KiB) in the
 *   second-level cache while {@link #MC} rows of A go past it; {@link #NC} columns of B per pass
 *   bound the packed copy.</li>
 *   <li><b>Threads</b>: one fork and join per product, cut by {@link Split} into a grid of row
 *   and column groups that packs each operand as few times over as it can, or along k when C is
 *   small and k long (a weight gradient).</li>
 * </ol>
 * The kernel it replaced read B in place with a 4 x 4 tile: 1024^3 went from about 95 to about
 * 150 GFLOP/s on one thread of the development machine (the step 2 docs have the figures).
 */
final class FloatGemm {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    /** Floats per vector register: 16 with AVX-512, 8 with AVX2. */
    static final int LANES = SPECIES.length();
    /** Rows and columns of the micro-tile. */
    static final int MR = 6;
    static final int NR = 3 * LANES;
    static final int KC = 256;
    static final int MC = 96;
    /** A whole number of panels (2016 with AVX-512): the packed copy of B is KC x NC. */
    static final int NC = 2048 / NR * NR;
    /** A task packs its rows of A when at least this many column panels reuse them. */
    private static final int A_PACKING_PANELS = 4;
    /**
     * The rate at which {@link Split} weighs a core left waiting (in multiply-adds) against numbers
     * packed twice: a rough figure, not a measured one. At 8 it cuts the course's x.t() @ grad_h by
     * rows and x @ w1 along k (both about a quarter faster on two cores than cut by columns) and
     * leaves LeNet's 64 x 120 x 84, whose two panels are already even, cut by columns.
     */
    private static final int MULTIPLY_ADDS_PER_COPY = 8;
    /** The rows of a packed panel of B, NR numbers each. */
    private static final int[] PACKED_ROWS = rowsOf(NR, KC);
    private static final long PARALLEL_WORK = 1L << 18;
    /**
     * A product cut into a grid of row and column groups gets one task per core: every task packs
     * its own blocks of A and B, and with 4 tasks per core, each packing again what its neighbours
     * packed, 1024^3 ran at 217-264 GFLOP/s on two cores against 277-296 with one, 2048^3 at
     * 258-310 against 317-330 (one program, five runs of each in turns). A product cut along k
     * with over 4 M multiply-adds per core (about 40 µs of work) gets 4 parts per core, so that
     * uneven parts even out: a weight gradient of 576 x 12,544 x 64 ran at 206-230 GFLOP/s so,
     * against 156-189 cut into 2 column groups.
     */
    private static final long TASK_WORK = 1L << 22;
    private static final int MAX_K_PARTS_PER_CORE = 4;

    /**
     * Packing buffers, reused across calls: a 2 MiB array made fresh per product costs more than a
     * small product. A queue rather than thread-locals: any thread that runs a part takes a buffer, and
     * a caller that runs its parts alone needs only one.
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
        Operands x = new Operands(a, aOff, ars, acs, b, bOff, brs, bcs, m <= MR && bcs == 1);
        boolean alone = (long) m * k * n < PARALLEL_WORK || Parallel.threads() < 2 || Parallel.inParallelRegion();
        Split split = alone ? Split.NONE : Split.choose(m, k, n, x.bInPlace());
        if (split.kParts() > 1) {
            multiplyOverK(x, c, m, k, n, split.kParts());
            return;
        }
        int rowGroups = split.rowGroups(), colGroups = split.colGroups();
        if (rowGroups * colGroups == 1) {
            part(x, c, n, 0, m, 0, n, 0, k);
            return;
        }
        int rowTiles = (m + MR - 1) / MR, panels = (n + NR - 1) / NR;
        // one fork and join per product: each task runs all of k for its block of C
        Parallel.forEach(rowGroups * colGroups, t -> {
            int r = t / colGroups, g = t % colGroups;
            part(x, c, n, rowTiles * r / rowGroups * MR, Math.min(m, rowTiles * (r + 1) / rowGroups * MR),
                    panels * g / colGroups * NR, Math.min(n, panels * (g + 1) / colGroups * NR), 0, k);
        });
    }

    /**
     * A long k and a small C (a convolution's weight gradient: k is every pixel of the batch): each
     * task sums its own stretch of k into a C of its own, packing only its own rows of B, and the
     * partial Cs are added at the end.
     */
    private static void multiplyOverK(Operands x, float[] c, int m, int k, int n, int parts) {
        float[][] partial = new float[parts][];
        Parallel.forEach(parts, t -> {
            partial[t] = new float[m * n];
            part(x, partial[t], n, 0, m, 0, n, (int) ((long) k * t / parts), (int) ((long) k * (t + 1) / parts));
        });
        for (float[] p : partial) {
            for (int i = 0; i < c.length; i++) {
                c[i] += p[i];
            }
        }
    }

    /** The operands as {@link #multiply} reads them; {@code bInPlace}: B's full panels are read where they lie. */
    private record Operands(float[] a, int aOff, int ars, int acs, float[] b, int bOff, int brs, int bcs, boolean bInPlace) {
    }

    /**
     * How a product is cut into tasks. Every task packs the blocks of A and B it uses, so a B read
     * by several row groups is packed several times over, and so is an A read by several column
     * groups: the grid chosen is the one that copies the fewest numbers twice. With one task per
     * core, uneven tasks count too, as the work the other cores wait through: the course's 100
     * columns are 3 panels, and 2 column groups would be 1 panel against 2. When C is small beside
     * k, cutting k instead copies nothing twice, at the price of one C per task.
     */
    record Split(int rowGroups, int colGroups, int kParts) {
        static final Split NONE = new Split(1, 1, 1);

        static Split choose(int m, int k, int n, boolean bInPlace) {
            long tiles = (long) ((m + MR - 1) / MR) * ((n + NR - 1) / NR);
            int cores = Parallel.threads();
            boolean small = (long) m * k * n < cores * TASK_WORK;
            int parts = (int) Math.min(small ? cores : cores * MAX_K_PARTS_PER_CORE, tiles);
            // cutting k is weighed against a grid of as many tasks, which packs more numbers twice
            // than the grid of one task per core that a big product gets otherwise (see TASK_WORK)
            Grid many = Grid.choose(m, k, n, bInPlace, parts, small);
            // each part keeps at least one block of k, and its C (zeroed, then added) costs 2 m n
            if (parts > 1 && k >= parts * KC && 2.0 * parts * m * n < many.cost()) {
                return new Split(1, 1, parts);
            }
            return small ? many.split() : Grid.choose(m, k, n, bInPlace, (int) Math.min(cores, tiles), true).split();
        }
    }

    /**
     * A grid of {@code wanted} tasks or a few more, and what it costs in numbers packed twice and,
     * with one task per core ({@code perCore}), in work the other cores wait through.
     */
    private record Grid(Split split, double cost) {
        static Grid choose(int m, int k, int n, boolean bInPlace, int wanted, boolean perCore) {
            int rowTiles = (m + MR - 1) / MR, panels = (n + NR - 1) / NR;
            Split best = Split.NONE;
            double bestCost = Double.MAX_VALUE;
            // first try grids whose tasks still pack A (the faster kernel) wherever the whole product would
            for (int pass = 0; pass < 2 && best == Split.NONE; pass++) {
                for (int r = 1; r <= Math.min(wanted, rowTiles); r++) {
                    int c = Math.min(panels, (wanted + r - 1) / r);
                    boolean packsA = panels / c >= A_PACKING_PANELS;
                    if (r * c < wanted || pass == 0 && !packsA && panels >= A_PACKING_PANELS) {
                        continue;
                    }
                    // numbers packed again: B by each extra row group, A by each extra column group that packs it
                    double cost = (bInPlace ? 0.0 : (double) (r - 1) * k * n) + (packsA ? (double) (c - 1) * m * k : 0.0);
                    if (perCore) {
                        // one task per core: the biggest sets the time, and the others' cores wait out the difference
                        long biggest = (long) ((rowTiles + r - 1) / r) * ((panels + c - 1) / c);
                        cost += (double) (biggest * r * c - (long) rowTiles * panels) * MR * NR * k / MULTIPLY_ADDS_PER_COPY;
                    }
                    if (cost < bestCost) {
                        best = new Split(r, c, 1);
                        bestCost = cost;
                    }
                }
            }
            return new Grid(best, bestCost);
        }
    }

    /**
     * Rows i0..i1-1, columns j0..j1-1 (j0 a multiple of NR) and k's k0..k1-1 of the product, added
     * to C (row-major, n wide). Packs its own operands, so parallel parts share nothing they write.
     * A ragged last panel of a vector or less after whole ones goes to {@link NarrowColumns} where
     * it suits.
     */
    private static void part(Operands x, float[] c, int n, int i0, int i1, int j0, int j1, int k0, int k1) {
        if (NarrowColumns.suits(x.ars(), x.acs(), j1 - j0, i1 - i0, k1 - k0)) {
            int tail = (j1 - j0) % NR;
            NarrowColumns.multiply(x.a(), x.aOff(), x.ars(), x.acs(), x.b(), x.bOff(), x.brs(), x.bcs(), c, n,
                    i0, i1, j1 - tail, j1, k0, k1);
            j1 -= tail;
        }
        // A is packed when many column panels reuse it; a narrow product reads it in place
        boolean packA = j1 - j0 >= A_PACKING_PANELS * NR;
        float[] ap = packA ? take(SPARE_A, MC * KC) : null, bp = take(SPARE_B, KC * NC);
        // an edge tile is summed into this scratch tile, and only its real part is added to C
        float[] tile = new float[MR * NR];
        float[] y = x.bInPlace() ? x.b() : null;
        int[] yRows = x.bInPlace() ? rowsOf(x.brs(), KC) : null;
        for (int jc = j0; jc < j1; jc += NC) {
            int nc = Math.min(NC, j1 - jc);
            for (int p0 = k0; p0 < k1; p0 += KC) {
                int kc = Math.min(KC, k1 - p0), bo = x.bOff() + p0 * x.brs() + jc * x.bcs();
                packB(x.b(), bo, x.brs(), x.bcs(), kc, nc, bp, x.bInPlace());
                for (int ic = i0; ic < i1; ic += MC) {
                    int ic1 = Math.min(i1, ic + MC);
                    if (packA) {
                        packA(x.a(), x.aOff() + ic * x.ars() + p0 * x.acs(), x.ars(), x.acs(), ic1 - ic, kc, ap);
                        // the panel of rows i.. starts at (i - ic) * kc; in it, row r of k step q sits at q * MR + r
                        tiles(ap, -ic * kc, kc, 1, MR, true, y, bo, yRows, bp, tile, c, n, ic, ic1, kc, jc, nc);
                    } else {
                        tiles(x.a(), x.aOff() + p0 * x.acs(), x.ars(), x.ars(), x.acs(), false, y, bo, yRows, bp, tile,
                                c, n, ic, ic1, kc, jc, nc);
                    }
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
     * from i reads A from {@code a[ao + i * ars]}, its rows step apart and its k's acs apart: A in
     * place, or packed ({@code aPacked}: panels with zeros for missing rows, read by the
     * fixed-stride kernel). B is read from the packed panels in bp, or, when y is not null, from B
     * itself at yo, its k step q at {@code yRows[q]} (its ragged last panel is still the packed one in bp).
     * {@code tile} is the part's scratch for edge tiles.
     */
    private static void tiles(float[] a, int ao, int ars, int step, int acs, boolean aPacked, float[] y, int yo, int[] yRows,
                              float[] bp, float[] tile, float[] c, int n, int i0, int i1, int kc, int j0, int nc) {
        for (int q = 0; q * NR < nc; q++) {
            int j = j0 + q * NR, cols = Math.min(NR, j0 + nc - j);
            boolean packed = y == null || cols < NR;
            float[] bq = packed ? bp : y;
            int bi = packed ? q * kc * NR : yo + q * NR;
            int[] bRows = packed ? PACKED_ROWS : yRows;
            for (int i = i0; i < i1; i += MR) {
                int rows = Math.min(MR, i1 - i), a0 = ao + i * ars;
                boolean full = rows == MR && cols == NR;
                float[] out = full ? c : tile;
                int o = full ? i * n + j : 0, ldo = full ? n : NR;
                if (!full) {
                    java.util.Arrays.fill(tile, 0f);
                }
                // a missing row (the bottom edge) re-reads the last real one; its sums are dropped
                int a1 = a0 + Math.min(1, rows - 1) * step, a2 = a0 + Math.min(2, rows - 1) * step;
                int a3 = a0 + Math.min(3, rows - 1) * step, a4 = a0 + Math.min(4, rows - 1) * step;
                int a5 = a0 + Math.min(5, rows - 1) * step;
                if (cols <= LANES) {
                    // a last panel of one vector (the course's 100 columns end with 4) costs a third of a whole one
                    kernelColumn(a, a0, a1, a2, a3, a4, a5, acs, bq, bi, bRows, out, o, ldo, kc);
                } else if (aPacked && packed) {
                    // a packed panel has its missing rows as zeros
                    kernel(a, a0, bq, bi, out, o, ldo, kc);
                } else {
                    kernelStrided(a, a0, a1, a2, a3, a4, a5, acs, bq, bi, bRows, out, o, ldo, kc);
                }
                if (!full) {
                    for (int r = 0; r < rows; r++) {
                        for (int s = 0; s < cols; s++) {
                            c[(i + r) * n + j + s] += tile[r * NR + s];
                        }
                    }
                }
            }
        }
    }

    /**
     * The two kernels on one tile of their own, KC k's, for {@link VectorWarmup}: compiled, a call
     * takes about 5 ns per k on the development machine, so under 50 ns per k counts as compiled.
     */
    static List<VectorWarmup.Kernel> warmupKernels() {
        float[] a = new float[MR * KC], b = new float[KC * 2 * NR], out = new float[MR * NR];
        int[] rows = rowsOf(2 * NR, KC);
        long compiledNanos = 50L * KC;
        return List.of(
                new VectorWarmup.Kernel("FloatGemm.kernel", compiledNanos, () -> kernel(a, 0, b, 0, out, 0, NR, KC)),
                new VectorWarmup.Kernel("FloatGemm.kernelStrided", compiledNanos,
                        () -> kernelStrided(a, 0, KC, 2 * KC, 3 * KC, 4 * KC, 5 * KC, 1, b, 0, rows, out, 0, NR, KC)),
                new VectorWarmup.Kernel("FloatGemm.kernelColumn", compiledNanos,
                        () -> kernelColumn(a, 0, KC, 2 * KC, 3 * KC, 4 * KC, 5 * KC, 1, b, 0, rows, out, 0, NR, KC)));
    }

    /** {@code 0, stride, 2 * stride, ...}: the rows of B for {@link #kernelStrided} when they are evenly spaced. */
    static int[] rowsOf(int stride, int count) {
        int[] rows = new int[count];
        for (int q = 0; q < count; q++) {
            rows[q] = q * stride;
        }
        return rows;
    }

    private static float[] take(Queue<float[]> spare, int size) {
        float[] x = spare.poll();
        return x != null ? x : new float[size];
    }

    /**
     * kc x nc of B into panels of NR columns, panel q at {@code q * kc * NR}, row p of it at
     * {@code + p * NR}; only the ragged last panel when B is read in place. A ragged panel's lanes
     * past its last column keep whatever the scratch held: its tiles are summed into the scratch
     * tile, of which only the real columns are added to C. Zeroing them took a call per row of k:
     * the course's 64 x 100 x 10 product took 3.4-3.5 µs without it against 3.7-4.2 with it (one
     * core, two runs of each build in turns).
     */
    static void packB(float[] b, int off, int brs, int bcs, int kc, int nc, float[] bp, boolean inPlace) {
        for (int q = 0, j = 0; j < nc; q++, j += NR) {
            int cols = Math.min(NR, nc - j), base = q * kc * NR;
            if (inPlace && cols == NR) {
                continue;
            }
            if (bcs != 1 && brs == 1) {
                // B^T is what lies contiguous (g.mm(w.t()), cols.mm(grad.t())): walk each column down k.
                // Across a row instead, every number is on its own cache line, all a multiple of 4 KiB apart.
                for (int s = 0; s < cols; s++) {
                    int src = off + (j + s) * bcs;
                    for (int p = 0; p < kc; p++) {
                        bp[base + p * NR + s] = b[src + p];
                    }
                }
            }
            for (int p = 0; p < kc; p++) {
                int src = off + p * brs + j * bcs, dst = base + p * NR;
                if (bcs == 1) {
                    System.arraycopy(b, src, bp, dst, cols);
                } else if (brs != 1) {
                    for (int s = 0; s < cols; s++) {
                        bp[dst + s] = b[src + s * bcs];
                    }
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
     * (6 numbers per k, from a0) and a packed panel of B (NR numbers per k, from bi) over kc k's.
     * The 18 sums are separate local variables so that the JIT keeps them in registers; passing
     * them to a helper made C2 box them (measured 5x slower), so the stores are unrolled too.
     * With the strides fixed (MR and NR, constants) every index is a constant times q plus a
     * number fixed for the loop, and the JIT checks their range once before the loop instead of at
     * every load, as it must in {@link #kernelStrided}: 10 to 20 % faster on large products.
     */
    private static void kernel(float[] a, int a0, float[] bp, int bi, float[] out, int o, int ld, int kc) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = c00, c02 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00;
        FloatVector c40 = c00, c41 = c00, c42 = c00;
        FloatVector c50 = c00, c51 = c00, c52 = c00;
        for (int q = 0; q < kc; q++) {
            int bq = bi + q * NR, aq = a0 + q * MR;
            FloatVector b0 = FloatVector.fromArray(SPECIES, bp, bq);
            FloatVector b1 = FloatVector.fromArray(SPECIES, bp, bq + LANES);
            FloatVector b2 = FloatVector.fromArray(SPECIES, bp, bq + 2 * LANES);
            FloatVector x = FloatVector.broadcast(SPECIES, a[aq + 0]);
            c00 = b0.fma(x, c00);
            c01 = b1.fma(x, c01);
            c02 = b2.fma(x, c02);
            x = FloatVector.broadcast(SPECIES, a[aq + 1]);
            c10 = b0.fma(x, c10);
            c11 = b1.fma(x, c11);
            c12 = b2.fma(x, c12);
            x = FloatVector.broadcast(SPECIES, a[aq + 2]);
            c20 = b0.fma(x, c20);
            c21 = b1.fma(x, c21);
            c22 = b2.fma(x, c22);
            x = FloatVector.broadcast(SPECIES, a[aq + 3]);
            c30 = b0.fma(x, c30);
            c31 = b1.fma(x, c31);
            c32 = b2.fma(x, c32);
            x = FloatVector.broadcast(SPECIES, a[aq + 4]);
            c40 = b0.fma(x, c40);
            c41 = b1.fma(x, c41);
            c42 = b2.fma(x, c42);
            x = FloatVector.broadcast(SPECIES, a[aq + 5]);
            c50 = b0.fma(x, c50);
            c51 = b1.fma(x, c51);
            c52 = b2.fma(x, c52);
        }
        c00.add(FloatVector.fromArray(SPECIES, out, o)).intoArray(out, o);
        c01.add(FloatVector.fromArray(SPECIES, out, o + LANES)).intoArray(out, o + LANES);
        c02.add(FloatVector.fromArray(SPECIES, out, o + 2 * LANES)).intoArray(out, o + 2 * LANES);
        c10.add(FloatVector.fromArray(SPECIES, out, o + ld)).intoArray(out, o + ld);
        c11.add(FloatVector.fromArray(SPECIES, out, o + ld + LANES)).intoArray(out, o + ld + LANES);
        c12.add(FloatVector.fromArray(SPECIES, out, o + ld + 2 * LANES)).intoArray(out, o + ld + 2 * LANES);
        c20.add(FloatVector.fromArray(SPECIES, out, o + 2 * ld)).intoArray(out, o + 2 * ld);
        c21.add(FloatVector.fromArray(SPECIES, out, o + 2 * ld + LANES)).intoArray(out, o + 2 * ld + LANES);
        c22.add(FloatVector.fromArray(SPECIES, out, o + 2 * ld + 2 * LANES)).intoArray(out, o + 2 * ld + 2 * LANES);
        c30.add(FloatVector.fromArray(SPECIES, out, o + 3 * ld)).intoArray(out, o + 3 * ld);
        c31.add(FloatVector.fromArray(SPECIES, out, o + 3 * ld + LANES)).intoArray(out, o + 3 * ld + LANES);
        c32.add(FloatVector.fromArray(SPECIES, out, o + 3 * ld + 2 * LANES)).intoArray(out, o + 3 * ld + 2 * LANES);
        c40.add(FloatVector.fromArray(SPECIES, out, o + 4 * ld)).intoArray(out, o + 4 * ld);
        c41.add(FloatVector.fromArray(SPECIES, out, o + 4 * ld + LANES)).intoArray(out, o + 4 * ld + LANES);
        c42.add(FloatVector.fromArray(SPECIES, out, o + 4 * ld + 2 * LANES)).intoArray(out, o + 4 * ld + 2 * LANES);
        c50.add(FloatVector.fromArray(SPECIES, out, o + 5 * ld)).intoArray(out, o + 5 * ld);
        c51.add(FloatVector.fromArray(SPECIES, out, o + 5 * ld + LANES)).intoArray(out, o + 5 * ld + LANES);
        c52.add(FloatVector.fromArray(SPECIES, out, o + 5 * ld + 2 * LANES)).intoArray(out, o + 5 * ld + 2 * LANES);
    }

    /**
     * {@link #kernel} for operands read where they lie: row r of A from {@code a[ar + q * acs]},
     * B's k step q from {@code bp[bi + bRows[q]]}. A table rather than a stride, so that B's rows
     * can be any windows of one array: {@link DirectConvolution} reads each k step's row of the
     * columns straight from the input image.
     */
    static void kernelStrided(float[] a, int a0, int a1, int a2, int a3, int a4, int a5, int acs,
                               float[] bp, int bi, int[] bRows, float[] out, int o, int ld, int kc) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = c00, c02 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00;
        FloatVector c40 = c00, c41 = c00, c42 = c00;
        FloatVector c50 = c00, c51 = c00, c52 = c00;
        for (int q = 0; q < kc; q++) {
            int bq = bi + bRows[q], aq = q * acs;
            FloatVector b0 = FloatVector.fromArray(SPECIES, bp, bq);
            FloatVector b1 = FloatVector.fromArray(SPECIES, bp, bq + LANES);
            FloatVector b2 = FloatVector.fromArray(SPECIES, bp, bq + 2 * LANES);
            FloatVector x = FloatVector.broadcast(SPECIES, a[a0 + aq]);
            c00 = b0.fma(x, c00);
            c01 = b1.fma(x, c01);
            c02 = b2.fma(x, c02);
            x = FloatVector.broadcast(SPECIES, a[a1 + aq]);
            c10 = b0.fma(x, c10);
            c11 = b1.fma(x, c11);
            c12 = b2.fma(x, c12);
            x = FloatVector.broadcast(SPECIES, a[a2 + aq]);
            c20 = b0.fma(x, c20);
            c21 = b1.fma(x, c21);
            c22 = b2.fma(x, c22);
            x = FloatVector.broadcast(SPECIES, a[a3 + aq]);
            c30 = b0.fma(x, c30);
            c31 = b1.fma(x, c31);
            c32 = b2.fma(x, c32);
            x = FloatVector.broadcast(SPECIES, a[a4 + aq]);
            c40 = b0.fma(x, c40);
            c41 = b1.fma(x, c41);
            c42 = b2.fma(x, c42);
            x = FloatVector.broadcast(SPECIES, a[a5 + aq]);
            c50 = b0.fma(x, c50);
            c51 = b1.fma(x, c51);
            c52 = b2.fma(x, c52);
        }
        c00.add(FloatVector.fromArray(SPECIES, out, o)).intoArray(out, o);
        c01.add(FloatVector.fromArray(SPECIES, out, o + LANES)).intoArray(out, o + LANES);
        c02.add(FloatVector.fromArray(SPECIES, out, o + 2 * LANES)).intoArray(out, o + 2 * LANES);
        c10.add(FloatVector.fromArray(SPECIES, out, o + ld)).intoArray(out, o + ld);
        c11.add(FloatVector.fromArray(SPECIES, out, o + ld + LANES)).intoArray(out, o + ld + LANES);
        c12.add(FloatVector.fromArray(SPECIES, out, o + ld + 2 * LANES)).intoArray(out, o + ld + 2 * LANES);
        c20.add(FloatVector.fromArray(SPECIES, out, o + 2 * ld)).intoArray(out, o + 2 * ld);
        c21.add(FloatVector.fromArray(SPECIES, out, o + 2 * ld + LANES)).intoArray(out, o + 2 * ld + LANES);
        c22.add(FloatVector.fromArray(SPECIES, out, o + 2 * ld + 2 * LANES)).intoArray(out, o + 2 * ld + 2 * LANES);
        c30.add(FloatVector.fromArray(SPECIES, out, o + 3 * ld)).intoArray(out, o + 3 * ld);
        c31.add(FloatVector.fromArray(SPECIES, out, o + 3 * ld + LANES)).intoArray(out, o + 3 * ld + LANES);
        c32.add(FloatVector.fromArray(SPECIES, out, o + 3 * ld + 2 * LANES)).intoArray(out, o + 3 * ld + 2 * LANES);
        c40.add(FloatVector.fromArray(SPECIES, out, o + 4 * ld)).intoArray(out, o + 4 * ld);
        c41.add(FloatVector.fromArray(SPECIES, out, o + 4 * ld + LANES)).intoArray(out, o + 4 * ld + LANES);
        c42.add(FloatVector.fromArray(SPECIES, out, o + 4 * ld + 2 * LANES)).intoArray(out, o + 4 * ld + 2 * LANES);
        c50.add(FloatVector.fromArray(SPECIES, out, o + 5 * ld)).intoArray(out, o + 5 * ld);
        c51.add(FloatVector.fromArray(SPECIES, out, o + 5 * ld + LANES)).intoArray(out, o + 5 * ld + LANES);
        c52.add(FloatVector.fromArray(SPECIES, out, o + 5 * ld + 2 * LANES)).intoArray(out, o + 5 * ld + 2 * LANES);
    }

    /**
     * One vector of columns, 6 rows, read as {@link #kernelStrided} reads them: a panel's last
     * vectors when the panel is narrow, so that 4 columns do not cost the sums of 48.
     */
    static void kernelColumn(float[] a, int a0, int a1, int a2, int a3, int a4, int a5, int acs,
                             float[] bp, int bi, int[] bRows, float[] out, int o, int ld, int kc) {
        FloatVector c0 = FloatVector.zero(SPECIES), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
        for (int q = 0; q < kc; q++) {
            FloatVector b = FloatVector.fromArray(SPECIES, bp, bi + bRows[q]);
            int aq = q * acs;
            c0 = b.fma(FloatVector.broadcast(SPECIES, a[a0 + aq]), c0);
            c1 = b.fma(FloatVector.broadcast(SPECIES, a[a1 + aq]), c1);
            c2 = b.fma(FloatVector.broadcast(SPECIES, a[a2 + aq]), c2);
            c3 = b.fma(FloatVector.broadcast(SPECIES, a[a3 + aq]), c3);
            c4 = b.fma(FloatVector.broadcast(SPECIES, a[a4 + aq]), c4);
            c5 = b.fma(FloatVector.broadcast(SPECIES, a[a5 + aq]), c5);
        }
        c0.add(FloatVector.fromArray(SPECIES, out, o)).intoArray(out, o);
        c1.add(FloatVector.fromArray(SPECIES, out, o + ld)).intoArray(out, o + ld);
        c2.add(FloatVector.fromArray(SPECIES, out, o + 2 * ld)).intoArray(out, o + 2 * ld);
        c3.add(FloatVector.fromArray(SPECIES, out, o + 3 * ld)).intoArray(out, o + 3 * ld);
        c4.add(FloatVector.fromArray(SPECIES, out, o + 4 * ld)).intoArray(out, o + 4 * ld);
        c5.add(FloatVector.fromArray(SPECIES, out, o + 5 * ld)).intoArray(out, o + 5 * ld);
    }
}
