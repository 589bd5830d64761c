package dev.steptorch.tensor;

import static dev.steptorch.tensor.IndexWalk.next;
import static dev.steptorch.tensor.IndexWalk.numel;
import static dev.steptorch.tensor.IndexWalk.rowMajorStrides;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Reductions and matrix products against plain loops. Inputs are often non-contiguous (a
 * permuted, narrowed base); the loops read the logical elements through index arithmetic done
 * here, so they share nothing with the kernels' strided walks.
 */
class ReductionMatmulProperties {

    /** A tensor together with its logical elements in row-major order, computed independently. */
    record Case(Tensor x, double[] values, int[] shape, DType dtype) {
        @Override
        public String toString() {
            return dtype + Arrays.toString(shape) + " strides " + Arrays.toString(x.strides());
        }
    }

    @Provide
    Arbitrary<DType> numeric() {
        return Arbitraries.of(DType.FLOAT32, DType.FLOAT64, DType.INT64, DType.BOOL);
    }

    @Provide
    Arbitrary<int[]> shapes() {
        return Arbitraries.integers().between(1, 5).array(int[].class).ofMinSize(0).ofMaxSize(4);
    }

    /**
     * Values on a coarse grid so max has ties; float inputs sometimes get a NaN. The tensor is
     * built over a larger base and permuted, so its strides are usually not row-major.
     */
    static Case make(int[] shape, DType dtype, Random r, boolean allowNaN) {
        int rank = shape.length;
        int[] perm = new int[rank];
        for (int i = 0; i < rank; i++) {
            perm[i] = i;
        }
        for (int i = rank - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        // base has shape[perm^-1] plus one spare row on dim 0, which narrow cuts off
        int[] baseShape = new int[rank];
        for (int i = 0; i < rank; i++) {
            baseShape[perm[i]] = shape[i];
        }
        int extra = rank > 0 && r.nextBoolean() ? 1 : 0;
        int[] padded = baseShape.clone();
        if (rank > 0) {
            padded[0] += extra;
        }
        double[] base = new double[numel(padded)];
        boolean nan = allowNaN && dtype.isFloatingPoint() && r.nextInt(4) == 0;
        for (int i = 0; i < base.length; i++) {
            base[i] = dtype == DType.BOOL ? r.nextInt(2)
                    : dtype == DType.INT64 ? r.nextInt(21) - 10
                    : nan && r.nextInt(8) == 0 ? Double.NaN : (r.nextInt(41) - 20) / 8.0;
        }
        Tensor b = Torch.tensor(base, Options.dtype(dtype)).reshape(padded);
        if (rank > 0) {
            b = b.narrow(0, extra, baseShape[0]);
        }
        Tensor x = b.permute(perm);
        // logical element at idx of x = base element at (perm applied) + extra on base dim 0
        double[] values = new double[numel(shape)];
        int[] idx = new int[rank];
        int[] baseStrides = rowMajorStrides(padded);
        for (int f = 0; f < values.length; f++) {
            int p = rank > 0 ? extra * baseStrides[0] : 0;
            for (int i = 0; i < rank; i++) {
                p += idx[i] * baseStrides[perm[i]];
            }
            values[f] = base[p];
            next(idx, shape);
        }
        return new Case(x, values, shape, dtype);
    }

    // ---------------------------------------------------------------- sums and means

    @Property(tries = 200)
    void sumOverAllAndOverDimsMatchesLoop(@ForAll("shapes") int[] shape, @ForAll("numeric") DType dtype,
                                          @ForAll long seed, @ForAll boolean keepdim) {
        Random r = new Random(seed);
        Case c = make(shape, dtype, r, false);
        DType outType = dtype.isFloatingPoint() ? dtype : DType.INT64;

        Tensor all = c.x().sum();
        assertThat(all.dim()).isZero();
        assertThat(all.dtype()).isEqualTo(outType);
        assertClose(all.item(), Arrays.stream(c.values()).sum(), absSum(c.values()), dtype, "sum()");

        int rank = shape.length;
        boolean[] reduce = new boolean[rank];
        int[] dims;
        if (rank == 0) {
            dims = new int[] {r.nextBoolean() ? 0 : -1};
        } else {
            int count = 1 + r.nextInt(rank);
            int[] order = permutation(rank, r);
            dims = new int[count];
            for (int i = 0; i < count; i++) {
                reduce[order[i]] = true;
                dims[i] = r.nextBoolean() ? order[i] : order[i] - rank;
            }
        }
        Tensor got = dims.length == 1 && r.nextBoolean() ? c.x().sum(dims[0], keepdim) : c.x().sum(dims, keepdim);
        assertThat(got.dtype()).isEqualTo(outType);
        checkReduction(c, reduce, keepdim, got, "sum" + Arrays.toString(dims), false);

        if (dtype.isFloatingPoint()) {
            Tensor mean = c.x().mean();
            int n = c.values().length;
            double want = n == 0 ? Double.NaN : Arrays.stream(c.values()).sum() / n;
            assertClose(mean.item(), want, absSum(c.values()) / Math.max(n, 1), dtype, "mean()");
            if (rank > 0) {
                int d = r.nextInt(rank);
                boolean[] one = new boolean[rank];
                one[d] = true;
                checkReduction(c, one, keepdim, c.x().mean(d, keepdim), "mean(" + d + ")", true);
            }
        } else {
            assertThatThrownBy(() -> c.x().mean()).hasMessageContaining("mean(): could not infer output dtype");
        }
    }

    /** Above StridedRows' 65536-element threshold the work is split across threads. */
    @Property(tries = 6)
    void largeSumsMatchLoop(@ForAll("floatOrLong") DType dtype, @ForAll boolean transposed, @ForAll long seed) {
        Random r = new Random(seed);
        int rows = 300, cols = 401;
        double[] v = new double[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = dtype == DType.INT64 ? r.nextInt(2001) - 1000 : r.nextDouble() * 2 - 1;
        }
        Tensor x = Torch.tensor(v, Options.dtype(dtype)).view(rows, cols);
        Tensor y = transposed ? x.t() : x;
        double want = 0, abs = 0;
        for (double e : v) {
            want += cast(e, dtype);
            abs += Math.abs(cast(e, dtype));
        }
        assertClose(y.sum().item(), want, abs, dtype, "sum()");
        double[] colSums = y.sum(0).toDoubleArray();
        assertThat(colSums).hasSize(y.size(1));
        for (int j = 0; j < y.size(1); j++) {
            double s = 0, a = 0;
            for (int i = 0; i < y.size(0); i++) {
                double e = cast(transposed ? v[j * cols + i] : v[i * cols + j], dtype);
                s += e;
                a += Math.abs(e);
            }
            assertClose(colSums[j], s, a, dtype, "sum(0)[" + j + "]");
        }
        double[] m = y.max(1, false).values().toDoubleArray();
        long[] am = y.argmax(1, false).toLongArray();
        for (int i = 0; i < y.size(0); i++) {
            double best = Double.NEGATIVE_INFINITY;
            int at = -1;
            for (int j = 0; j < y.size(1); j++) {
                double e = cast(transposed ? v[j * cols + i] : v[i * cols + j], dtype);
                if (e > best) {
                    best = e;
                    at = j;
                }
            }
            assertThat(m[i]).isEqualTo(best);
            assertThat(am[i]).isEqualTo(at);
        }
        if (dtype.isFloatingPoint()) {
            assertClose(y.norm().item(), Math.sqrt(Arrays.stream(v).map(e -> cast(e, dtype) * cast(e, dtype)).sum()),
                    Math.sqrt(Arrays.stream(v).map(e -> cast(e, dtype) * cast(e, dtype)).sum()), dtype, "norm()");
        }
    }

    @Provide
    Arbitrary<DType> floatOrLong() {
        return Arbitraries.of(DType.FLOAT32, DType.FLOAT64, DType.INT64);
    }

    // ---------------------------------------------------------------- max, argmax, norm

    @Property(tries = 200)
    void maxAndArgmaxMatchLoop(@ForAll("shapes") int[] shape, @ForAll("numeric") DType dtype,
                               @ForAll long seed, @ForAll boolean keepdim) {
        Random r = new Random(seed);
        Case c = make(shape, dtype, r, true);
        double[] v = c.values();
        int first = firstMax(v, 0, 1, v.length);
        Tensor max = c.x().max();
        assertThat(max.dtype()).isEqualTo(dtype);
        assertThat(max.dim()).isZero();
        assertSameValue(max.item(), v[first], "max()");
        if (dtype != DType.BOOL) {
            assertThat(c.x().argmax().itemLong()).as("argmax()").isEqualTo(first);
        }
        int rank = shape.length;
        int d = rank == 0 ? 0 : r.nextInt(rank);
        Tensor.ValuesIndices vi = c.x().max(d - (r.nextBoolean() ? Math.max(rank, 1) : 0), keepdim);
        int[] outShape = reducedShape(shape, d, keepdim);
        assertThat(vi.values().shape()).isEqualTo(outShape);
        assertThat(vi.indices().shape()).isEqualTo(outShape);
        assertThat(vi.values().dtype()).isEqualTo(dtype);
        assertThat(vi.indices().dtype()).isEqualTo(DType.INT64);
        double[] values = vi.values().toDoubleArray();
        long[] indices = vi.indices().toLongArray();
        int len = rank == 0 ? 1 : shape[d];
        int inner = 1;
        for (int i = d + 1; i < rank; i++) {
            inner *= shape[i];
        }
        for (int o = 0; o < values.length; o++) {
            int start = (o / inner) * inner * len + o % inner;
            int k = firstMax(v, start, inner, len);
            assertSameValue(values[o], v[start + k * inner], "max(" + d + ") values[" + o + "]");
            assertThat(indices[o]).as("max(" + d + ") indices[" + o + "]").isEqualTo(k);
        }
        if (dtype != DType.BOOL) {
            assertThat(c.x().argmax(d, keepdim).toLongArray()).isEqualTo(indices);
        }
        if (dtype.isFloatingPoint()) {
            double sq = Arrays.stream(v).map(e -> e * e).sum();
            assertClose(c.x().norm().item(), Math.sqrt(sq), Math.sqrt(sq), dtype, "norm()");
        }
    }

    @Example
    void nanPropagatesAndTheFirstIndexWinsTies() {
        Tensor x = Torch.tensor(new double[] {1, Double.NaN, 3, Double.NaN});
        assertThat(x.max().item()).isNaN();
        assertThat(x.argmax().itemLong()).isEqualTo(1);
        Tensor ties = Torch.tensor(new long[][] {{3, 3}, {1, 5}});
        assertThat(ties.argmax().itemLong()).isEqualTo(3);
        assertThat(ties.argmax(1, false).toLongArray()).containsExactly(0, 1);
        Tensor.ValuesIndices m = Torch.tensor(new double[][] {{1, Double.NaN}, {Double.NaN, 2}}).max(0, false);
        assertThat(m.values().toDoubleArray()).containsExactly(Double.NaN, Double.NaN);
        assertThat(m.indices().toLongArray()).containsExactly(1, 0);
    }

    @Example
    void boolSumIsInt64AndBoolMaxStaysBool() {
        Tensor b = Torch.tensor(new boolean[] {true, false, true});
        assertThat(b.sum().dtype()).isEqualTo(DType.INT64);
        assertThat(b.sum().itemLong()).isEqualTo(2);
        assertThat(b.max().dtype()).isEqualTo(DType.BOOL);
        assertThat(b.max().item()).isEqualTo(1.0);
        assertThatThrownBy(() -> Torch.tensor(new long[] {1, 2}).norm())
                .hasMessage("norm(): input dtype should be either floating point or complex. Got Long instead.");
    }

    // ---------------------------------------------------------------- mm and matmul

    @Provide
    Arbitrary<Integer> sizes() {
        return Arbitraries.of(1, 2, 3, 4, 5, 6, 7, 8, 13, 16, 17, 33, 64, 65);
    }

    @Property(tries = 120)
    void mmMatchesTripleLoop(@ForAll("sizes") int m, @ForAll("sizes") int k, @ForAll("sizes") int n,
                             @ForAll("floatOrLong") DType dtype, @ForAll boolean transA, @ForAll boolean transB,
                             @ForAll long seed) {
        checkMm(m, k, n, dtype, transA, transB, new Random(seed));
    }

    /**
     * {@code torch.mm(a, b, out=out)} writes the product over whatever out held: into out itself
     * when out is laid out as a fresh tensor would be (the kernels add into C, so it is zeroed
     * first), through a copy when out is a transposed view or is an operand. The numbers are
     * exactly those of {@code a.mm(b)}.
     */
    @Property(tries = 60)
    void mmIntoOutIsTheProductWhateverOutHeld(@ForAll("sizes") int m, @ForAll("sizes") int k, @ForAll("sizes") int n,
                                              @ForAll("floatOrLong") DType dtype, @ForAll long seed) {
        Random r = new Random(seed);
        Options o = Options.dtype(dtype);
        Tensor a = Torch.tensor(randomValues(m * k, dtype, r), o).view(m, k);
        Tensor b = Torch.tensor(randomValues(k * n, dtype, r), o).view(k, n);
        double[] want = a.mm(b).toDoubleArray();
        Tensor rowMajor = Torch.tensor(randomValues(m * n, dtype, r), o).view(m, n);
        assertThat(Torch.mm(a, b, rowMajor)).isSameAs(rowMajor);
        assertThat(rowMajor.toDoubleArray()).containsExactly(want);
        Tensor transposed = Torch.tensor(randomValues(m * n, dtype, r), o).view(n, m).t();
        assertThat(Torch.mm(a, b, transposed)).isSameAs(transposed);
        assertThat(transposed.toDoubleArray()).containsExactly(want);
        if (k == n) {
            Tensor self = a.clone();
            Torch.mm(self, b, self);
            assertThat(self.toDoubleArray()).as("out is a").containsExactly(want);
        }
    }

    /**
     * Sizes that cross FloatGemm's blocks (6-row by 48-column tiles, 256 k's, 96 rows, 2016 columns),
     * its padded edge tiles and the ways it splits work between threads (rows, column panels, k),
     * and FloatDots' shape (A times B^T, k long beside m and n; chunks of 2048 k's, 4 x 3 tiles).
     */
    @Example
    void mmAcrossGemmTiles() {
        Random r = new Random(42);
        checkMm(9, 600, 515, DType.FLOAT32, false, false, r);
        checkMm(5, 70, 2100, DType.FLOAT32, false, true, r);
        checkMm(200, 300, 65, DType.FLOAT32, true, true, r);
        checkMm(9, 4200, 7, DType.FLOAT32, false, true, r);
        checkMm(6, 600, 1, DType.FLOAT32, false, true, r);
        // few rows: B read in place, once with rows exactly one tile wide
        checkMm(3, 40, 64, DType.FLOAT32, false, false, r);
        checkMm(6, 300, 150, DType.FLOAT32, true, false, r);
        checkMm(67, 129, 517, DType.FLOAT32, true, false, r);
        checkMm(131, 257, 33, DType.FLOAT32, false, true, r);
        checkMm(600, 3, 601, DType.FLOAT32, true, true, r);
        // tasks cut along k, each with a C of its own (a weight gradient's shape); a grid of tasks that pack A
        checkMm(40, 30000, 70, DType.FLOAT32, false, false, r);
        checkMm(23, 12000, 90, DType.FLOAT32, true, true, r);
        checkMm(100, 300, 1100, DType.FLOAT32, false, false, r);
        // one task over more than 2048 columns with whole blocks of k: the packed copy of B at its widest
        int threads = Torch.getNumThreads();
        Torch.setNumThreads(1);
        try {
            checkMm(7, 300, 2100, DType.FLOAT32, false, false, r);
        } finally {
            Torch.setNumThreads(threads);
        }
        checkMm(61, 130, 129, DType.FLOAT64, true, false, r);
        checkMm(45, 77, 131, DType.INT64, false, true, r);
    }

    /**
     * NarrowColumns' two ways with a last panel of a vector or less: as dot products (A's rows
     * contiguous: x @ w1) and as the transposed product (A's columns contiguous: x.t() @ grad_h),
     * whose panels of 48 rows of C end in place, in a copied panel wider than a vector, and in one
     * a vector wide or less. The course's two products are here at 1 thread and at the default count.
     */
    @Example
    void mmWithFewLastColumns() {
        Random r = new Random(7);
        int threads = Torch.getNumThreads();
        for (int t : new int[] {1, threads}) {
            Torch.setNumThreads(t);
            try {
                checkMm(64, 1000, 100, DType.FLOAT32, false, false, r);
                checkMm(1000, 64, 100, DType.FLOAT32, true, false, r);
                // x @ w1 is cut along k at the default count: with B transposed, its last columns are read in place from each task's first k
                checkMm(64, 1000, 100, DType.FLOAT32, false, true, r);
                // B every other column of a wider matrix: neither its rows nor its columns contiguous, so its last columns are copied
                double[] a = randomValues(64 * 300, DType.FLOAT32, r), b = randomValues(300 * 200, DType.FLOAT32, r);
                Tensor strided = Torch.tensor(b, Options.dtype(DType.FLOAT32)).view(300, 200).slice(1, 0, 200, 2);
                Tensor c = Torch.tensor(a, Options.dtype(DType.FLOAT32)).view(64, 300).mm(strided);
                checkProduct(c.toDoubleArray(), a, 300, 1, b, 200, 2, 64, 300, 100, DType.FLOAT32, "64x300 @ B[:, ::2]");
                // after whole panels of 48: last panels of 1, 5, 7, 16 and 4 columns
                for (int n : new int[] {49, 53, 55, 64, 100}) {
                    for (int m : new int[] {96, 101, 130}) {
                        checkMm(m, 64, n, DType.FLOAT32, true, false, r);
                        checkMm(m, 130, n, DType.FLOAT32, true, true, r);
                        checkMm(m, 70, n, DType.FLOAT32, false, false, r);
                        checkMm(m, 130, n, DType.FLOAT32, false, true, r);
                    }
                }
            } finally {
                Torch.setNumThreads(threads);
            }
        }
    }

    @Property(tries = 60)
    void matmulOfVectorsAndMatrices(@ForAll("sizes") int m, @ForAll("sizes") int k, @ForAll("sizes") int n,
                                    @ForAll("floatOrLong") DType dtype, @ForAll long seed) {
        Random r = new Random(seed);
        double[] a = randomValues(m * k, dtype, r);
        double[] b = randomValues(k * n, dtype, r);
        double[] u = Arrays.copyOf(a, k);
        double[] w = Arrays.copyOf(b, k);
        Tensor am = Torch.tensor(a, Options.dtype(dtype)).view(m, k);
        Tensor bm = Torch.tensor(b, Options.dtype(dtype)).view(k, n);
        Tensor uv = Torch.tensor(u, Options.dtype(dtype));
        Tensor wv = Torch.tensor(w, Options.dtype(dtype));

        Tensor dot = uv.matmul(wv);
        assertThat(dot.dim()).isZero();
        checkProduct(dot.toDoubleArray(), u, 0, 1, w, 1, 0, 1, k, 1, dtype, "vector @ vector");
        Tensor mv = am.matmul(wv);
        assertThat(mv.shape()).containsExactly(m);
        checkProduct(mv.toDoubleArray(), a, k, 1, w, 1, 0, m, k, 1, dtype, "matrix @ vector");
        Tensor vm = uv.matmul(bm);
        assertThat(vm.shape()).containsExactly(n);
        checkProduct(vm.toDoubleArray(), u, 0, 1, b, n, 1, 1, k, n, dtype, "vector @ matrix");
        Tensor mm = am.matmul(bm);
        assertThat(mm.shape()).containsExactly(m, n);
        checkProduct(mm.toDoubleArray(), a, k, 1, b, n, 1, m, k, n, dtype, "matrix @ matrix");
    }

    private static void checkMm(int m, int k, int n, DType dtype, boolean transA, boolean transB, Random r) {
        double[] a = randomValues(m * k, dtype, r);
        double[] b = randomValues(k * n, dtype, r);
        // a transposed operand is stored as its transpose and flipped back with t(): same values, swapped strides
        Tensor ta = transA ? Torch.tensor(transpose(a, m, k), Options.dtype(dtype)).view(k, m).t()
                : Torch.tensor(a, Options.dtype(dtype)).view(m, k);
        Tensor tb = transB ? Torch.tensor(transpose(b, k, n), Options.dtype(dtype)).view(n, k).t()
                : Torch.tensor(b, Options.dtype(dtype)).view(k, n);
        Tensor c = ta.mm(tb);
        assertThat(c.shape()).containsExactly(m, n);
        assertThat(c.dtype()).isEqualTo(dtype);
        checkProduct(c.toDoubleArray(), a, k, 1, b, n, 1, m, k, n, dtype,
                m + "x" + k + " @ " + k + "x" + n + (transA ? " A^T" : "") + (transB ? " B^T" : ""));
    }

    /** C[i][j] = sum_p A[i*ars + p*acs] * B[p*brs + j*bcs], compared with the dtype's tolerance. */
    static void checkProduct(double[] got, double[] a, int ars, int acs, double[] b, int brs, int bcs,
                              int m, int k, int n, DType dtype, String what) {
        assertThat(got).as(what).hasSize(m * n);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0, abs = 0;
                long ls = 0;
                for (int p = 0; p < k; p++) {
                    double x = a[i * ars + p * acs], y = b[p * brs + j * bcs];
                    s += x * y;
                    abs += Math.abs(x * y);
                    ls += (long) x * (long) y;
                }
                double g = got[i * n + j];
                String at = what + " C[" + i + "][" + j + "]";
                if (dtype == DType.INT64) {
                    assertThat((long) g).as(at).isEqualTo(ls);
                } else if (dtype == DType.FLOAT64) {
                    assertThat(Math.abs(g - s)).as(at + " got " + g + " want " + s).isLessThanOrEqualTo(1e-12 * Math.max(1, abs));
                } else {
                    assertThat(Math.abs(g - s)).as(at + " got " + g + " want " + s)
                            .isLessThanOrEqualTo(1e-4 * Math.sqrt(k) * Math.max(1, Math.abs(s)));
                }
            }
        }
    }

    // ---------------------------------------------------------------- plumbing

    /** Compares a reduction along the dims marked in {@code reduce} with a loop over the logical values. */
    private static void checkReduction(Case c, boolean[] reduce, boolean keepdim, Tensor got, String what, boolean mean) {
        int[] shape = c.shape();
        int rank = shape.length;
        int[] kept = shape.clone();
        int count = 1;
        for (int d = 0; d < rank; d++) {
            if (reduce[d]) {
                kept[d] = 1;
                count *= shape[d];
            }
        }
        int[] outShape = keepdim ? kept : Arrays.stream(range(rank)).filter(d -> !reduce[d]).map(d -> shape[d]).toArray();
        assertThat(got.shape()).as(what + " shape of " + c).isEqualTo(outShape);
        double[] sums = new double[numel(kept)];
        double[] abs = new double[sums.length];
        int[] idx = new int[rank];
        for (int f = 0; f < c.values().length; f++) {
            int o = 0;
            for (int d = 0; d < rank; d++) {
                o = o * kept[d] + (reduce[d] ? 0 : idx[d]);
            }
            sums[o] += c.values()[f];
            abs[o] += Math.abs(c.values()[f]);
            next(idx, shape);
        }
        double[] g = got.toDoubleArray();
        for (int o = 0; o < sums.length; o++) {
            double want = mean ? sums[o] / count : sums[o];
            assertClose(g[o], want, mean ? abs[o] / count : abs[o], c.dtype(), what + "[" + o + "] of " + c);
        }
    }

    private static void assertClose(double got, double want, double scale, DType dtype, String what) {
        if (Double.isNaN(want)) {
            assertThat(got).as(what).isNaN();
        } else if (dtype == DType.FLOAT32) {
            assertThat(Math.abs(got - want)).as(what + " got " + got + " want " + want).isLessThanOrEqualTo(1e-6 * scale + 1e-30);
        } else if (dtype == DType.FLOAT64) {
            assertThat(Math.abs(got - want)).as(what + " got " + got + " want " + want).isLessThanOrEqualTo(1e-12 * scale);
        } else {
            assertThat(got).as(what).isEqualTo(want);
        }
    }

    private static void assertSameValue(double got, double want, String what) {
        if (Double.isNaN(want)) {
            assertThat(got).as(what).isNaN();
        } else {
            assertThat(got).as(what).isEqualTo(want);
        }
    }

    /** PyTorch's max: the first NaN if there is one, otherwise the first of the largest. */
    private static int firstMax(double[] v, int start, int step, int len) {
        int best = 0;
        for (int k = 0; k < len; k++) {
            double e = v[start + k * step];
            if (Double.isNaN(e)) {
                return k;
            }
            if (e > v[start + best * step]) {
                best = k;
            }
        }
        return best;
    }

    private static int[] reducedShape(int[] shape, int d, boolean keepdim) {
        if (shape.length == 0) {
            return new int[0];
        }
        if (keepdim) {
            int[] s = shape.clone();
            s[d] = 1;
            return s;
        }
        int[] s = new int[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (i != d) {
                s[j++] = shape[i];
            }
        }
        return s;
    }

    static double[] randomValues(int n, DType dtype, Random r) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = dtype == DType.INT64 ? r.nextInt(101) - 50 : cast(r.nextDouble() * 2 - 1, dtype);
        }
        return v;
    }

    static double[] transpose(double[] x, int rows, int cols) {
        double[] t = new double[x.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = x[i * cols + j];
            }
        }
        return t;
    }

    private static double absSum(double[] v) {
        return Arrays.stream(v).map(Math::abs).sum();
    }

    private static double cast(double v, DType d) {
        return d == DType.FLOAT32 ? (float) v : v;
    }


    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    private static int[] permutation(int n, Random r) {
        int[] p = range(n);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
