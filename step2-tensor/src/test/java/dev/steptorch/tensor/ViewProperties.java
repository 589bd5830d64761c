package dev.steptorch.tensor;

import static dev.steptorch.tensor.IndexWalk.next;
import static dev.steptorch.tensor.IndexWalk.numel;
import static dev.steptorch.tensor.IndexWalk.rowMajor;
import static dev.steptorch.tensor.IndexWalk.rowMajorStrides;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * View ops are metadata over one storage. A base tensor holds 0, 1, 2, ... so that every element
 * names its own storage position; a random chain of view ops is mirrored here by plain
 * shape/stride/offset arithmetic, and both what the view reads and what writing through it does
 * to the base are checked against that arithmetic.
 */
class ViewProperties {

    /** The view a chain should produce, computed without the library. */
    static final class Ref {
        int[] shape;
        int[] strides;
        int offset;
        boolean expanded;
        final List<String> steps = new ArrayList<>();

        Ref(int[] shape) {
            this.shape = shape.clone();
            this.strides = rowMajorStrides(shape);
        }

        int position(int[] idx) {
            int p = offset;
            for (int d = 0; d < idx.length; d++) {
                p += idx[d] * strides[d];
            }
            return p;
        }

        /** PyTorch's rule: size-1 dims do not count, and an empty tensor is contiguous. */
        boolean contiguous() {
            if (numel(shape) == 0) {
                return true;
            }
            int expected = 1;
            for (int d = shape.length - 1; d >= 0; d--) {
                if (shape[d] != 1) {
                    if (strides[d] != expected) {
                        return false;
                    }
                    expected *= shape[d];
                }
            }
            return true;
        }
    }

    @Provide
    Arbitrary<int[]> baseShapes() {
        return Arbitraries.integers().between(1, 4).array(int[].class).ofMinSize(1).ofMaxSize(4);
    }

    @Property(tries = 300)
    void viewChainsReadAndWriteTheBaseStorage(@ForAll("baseShapes") int[] baseShape, @ForAll long seed) {
        Random r = new Random(seed);
        Tensor base = arangeLike(baseShape);
        Ref ref = new Ref(baseShape);
        Tensor v = base;
        int steps = 1 + r.nextInt(4);
        for (int s = 0; s < steps; s++) {
            v = randomViewOp(v, ref, r);
        }
        String chain = String.join(" . ", ref.steps);
        assertThat(v.storage()).as(chain).isSameAs(base.storage());
        assertThat(v.shape()).as(chain).isEqualTo(ref.shape);
        assertThat(v.isContiguous()).as(chain + " isContiguous").isEqualTo(ref.contiguous());
        assertReads(v, ref, chain);

        Tensor copy = v.clone();
        assertThat(copy.storage()).as("clone has its own storage").isNotSameAs(base.storage());
        assertThat(copy.isContiguous()).isTrue();
        Tensor contiguous = v.contiguous();
        if (ref.contiguous()) {
            assertThat(contiguous.storage()).as("contiguous() of a contiguous view").isSameAs(base.storage());
        } else {
            assertThat(contiguous.storage()).as("contiguous() of a strided view copies").isNotSameAs(base.storage());
            assertThat(contiguous.isContiguous()).isTrue();
            assertThat(contiguous.toDoubleArray()).isEqualTo(v.toDoubleArray());
            contiguous.fill_(-5);
        }
        copy.fill_(-7);
        assertThat(base.toDoubleArray()).as("writes to copies leave the base alone").isEqualTo(arangeValues(numel(baseShape)));

        boolean[] touched = image(ref, numel(baseShape));
        // An expanded view repeats elements, so a read-modify-write through it is ill-defined (PyTorch refuses it);
        // a fill writes the same value to each repeat and is fine.
        double marker = -1;
        if (ref.expanded) {
            v.fill_(marker);
        } else {
            v.add_(1000.0);
        }
        double[] after = base.toDoubleArray();
        for (int p = 0; p < after.length; p++) {
            double want = !touched[p] ? p : ref.expanded ? marker : p + 1000;
            assertThat(after[p]).as(chain + ": storage position " + p).isEqualTo(want);
        }
    }

    /** Applies one random view op to both the tensor and the reference. */
    private static Tensor randomViewOp(Tensor v, Ref ref, Random r) {
        int rank = ref.shape.length;
        switch (rank == 0 ? 5 + r.nextInt(2) * 3 : r.nextInt(10)) {
            case 0: {
                int d0 = r.nextInt(2 * rank) - rank, d1 = r.nextInt(2 * rank) - rank;
                ref.steps.add("transpose(" + d0 + "," + d1 + ")");
                swap(ref.shape, wrap(d0, rank), wrap(d1, rank));
                swap(ref.strides, wrap(d0, rank), wrap(d1, rank));
                return v.transpose(d0, d1);
            }
            case 1: {
                int[] perm = permutation(rank, r);
                ref.steps.add("permute" + Arrays.toString(perm));
                int[] shape = new int[rank], strides = new int[rank];
                for (int i = 0; i < rank; i++) {
                    shape[i] = ref.shape[perm[i]];
                    strides[i] = ref.strides[perm[i]];
                }
                ref.shape = shape;
                ref.strides = strides;
                return v.permute(perm);
            }
            case 2: {
                int d = r.nextInt(rank);
                if (ref.shape[d] == 0) {
                    return v;
                }
                int i = r.nextInt(2 * ref.shape[d]) - ref.shape[d];
                ref.steps.add("select(" + d + "," + i + ")");
                ref.offset += (i < 0 ? i + ref.shape[d] : i) * ref.strides[d];
                ref.shape = drop(ref.shape, d);
                ref.strides = drop(ref.strides, d);
                return v.select(d, i);
            }
            case 3: {
                int d = r.nextInt(rank);
                int size = ref.shape[d];
                if (size == 0) {
                    return v;
                }
                int start = r.nextInt(size);
                int length = 1 + r.nextInt(size - start);
                ref.steps.add("narrow(" + d + "," + start + "," + length + ")");
                ref.offset += start * ref.strides[d];
                ref.shape[d] = length;
                return v.narrow(d, start, length);
            }
            case 4: {
                int d = r.nextInt(rank);
                int size = ref.shape[d];
                int start = r.nextInt(2 * size + 5) - size - 2;
                int end = r.nextInt(2 * size + 5) - size - 2;
                ref.steps.add("slice(" + d + "," + start + "," + end + ")");
                int s = clip(start < 0 ? start + size : start, 0, size);
                int e = clip(end < 0 ? end + size : end, s, size);
                ref.offset += s < size ? s * ref.strides[d] : 0;
                ref.shape[d] = e - s;
                return v.slice(d, start, end);
            }
            case 5: {
                int d = r.nextInt(2 * (rank + 1)) - (rank + 1);
                ref.steps.add("unsqueeze(" + d + ")");
                int at = d < 0 ? d + rank + 1 : d;
                ref.shape = insert(ref.shape, at, 1);
                ref.strides = insert(ref.strides, at, 1);
                return v.unsqueeze(d);
            }
            case 6: {
                if (r.nextBoolean()) {
                    ref.steps.add("squeeze()");
                    int[] keep = Arrays.stream(range(rank)).filter(d -> ref.shape[d] != 1).toArray();
                    ref.shape = pick(ref.shape, keep);
                    ref.strides = pick(ref.strides, keep);
                    return v.squeeze();
                }
                int d = r.nextInt(rank);
                ref.steps.add("squeeze(" + d + ")");
                if (ref.shape[d] == 1) {
                    ref.shape = drop(ref.shape, d);
                    ref.strides = drop(ref.strides, d);
                }
                return v.squeeze(d);
            }
            case 7: {
                if (rank > 2) {
                    return randomViewOp(v, ref, r);
                }
                ref.steps.add("t()");
                if (rank == 2) {
                    swap(ref.shape, 0, 1);
                    swap(ref.strides, 0, 1);
                }
                return v.t();
            }
            case 8: {
                if (!ref.contiguous()) {
                    return randomViewOp(v, ref, r);
                }
                ref.steps.add("view(-1)");
                int n = numel(ref.shape);
                int[] strides = {1};
                ref.shape = new int[] {n};
                ref.strides = strides;
                return v.view(-1);
            }
            default: {
                int[] ones = Arrays.stream(range(rank)).filter(d -> ref.shape[d] == 1).toArray();
                int[] target = ref.shape.clone();
                for (int d : ones) {
                    target[d] = 3;
                    ref.strides[d] = 0;
                }
                boolean lead = r.nextBoolean();
                ref.steps.add("expand" + Arrays.toString(lead ? insert(target, 0, 2) : target));
                ref.expanded |= ones.length > 0 || lead;
                ref.shape = target;
                if (lead) {
                    ref.shape = insert(ref.shape, 0, 2);
                    ref.strides = insert(ref.strides, 0, 0);
                    return v.expand(ref.shape);
                }
                return v.expand(target);
            }
        }
    }

    @Property(tries = 100)
    void transposeTwiceIsIdentity(@ForAll("baseShapes") int[] shape, @ForAll long seed) {
        Random r = new Random(seed);
        int d0 = r.nextInt(shape.length), d1 = r.nextInt(shape.length);
        Tensor x = arangeLike(shape).narrow(0, 0, shape[0]);
        Tensor back = x.transpose(d0, d1).transpose(d0, d1);
        assertThat(back.shape()).isEqualTo(x.shape());
        assertThat(back.strides()).isEqualTo(x.strides());
        assertThat(back.storageOffset()).isEqualTo(x.storageOffset());
        assertThat(back.storage()).isSameAs(x.storage());
        assertThat(back.toDoubleArray()).isEqualTo(x.toDoubleArray());
    }

    /** reshape is a view when the strides allow one and a copy otherwise; view refuses the latter. */
    @Property(tries = 100)
    void reshapeOfTransposedCopiesAndViewRefuses(@ForAll("baseShapes") int[] shape) {
        Tensor x = arangeLike(shape);
        int last = shape.length - 1;
        Tensor t = x.transpose(0, last);
        Ref ref = new Ref(shape);
        swap(ref.shape, 0, last);
        swap(ref.strides, 0, last);
        Tensor flat = t.reshape(-1);
        assertThat(flat.shape()).containsExactly(numel(shape));
        assertThat(flat.toDoubleArray()).isEqualTo(rowMajorPositions(ref));
        if (ref.contiguous()) {
            assertThat(flat.storage()).isSameAs(x.storage());
            assertThat(t.view(-1).storage()).isSameAs(x.storage());
        } else {
            assertThat(flat.storage()).isNotSameAs(x.storage());
            flat.fill_(-1);
            assertThat(x.toDoubleArray()).isEqualTo(arangeValues(numel(shape)));
            assertThatThrownBy(() -> t.view(-1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("view size is not compatible with input tensor's size and stride (at least one dimension "
                            + "spans across two contiguous subspaces). Use .reshape(...) instead.");
        }
        Tensor same = x.reshape(-1);
        assertThat(same.storage()).isSameAs(x.storage());
    }

    /** torch.cat against a loop, with dtype promotion across the pieces. */
    @Property(tries = 150)
    void catMatchesLoop(@ForAll("baseShapes") int[] shape, @ForAll long seed) {
        Random r = new Random(seed);
        int d = r.nextInt(shape.length);
        int pieces = 1 + r.nextInt(3);
        Tensor[] parts = new Tensor[pieces];
        double[][] vals = new double[pieces][];
        int[][] shapes = new int[pieces][];
        DType dtype = null;
        DType[] choices = {DType.FLOAT32, DType.FLOAT64, DType.INT64, DType.BOOL};
        for (int i = 0; i < pieces; i++) {
            shapes[i] = shape.clone();
            shapes[i][d] = r.nextInt(4);
            DType di = choices[r.nextInt(choices.length)];
            vals[i] = new double[numel(shapes[i])];
            for (int j = 0; j < vals[i].length; j++) {
                vals[i][j] = di == DType.BOOL ? r.nextInt(2) : r.nextInt(20) - 10;
            }
            Tensor p = Torch.tensor(vals[i], Options.dtype(di)).reshape(shapes[i]);
            // some pieces go in with a column-major layout, to exercise strided reads
            int last = shapes[i].length - 1;
            parts[i] = r.nextBoolean() ? p.transpose(0, last).contiguous().transpose(0, last) : p;
            dtype = dtype == null ? di : promote(dtype, di);
        }
        Tensor out = Torch.cat(d - (r.nextBoolean() ? shape.length : 0), parts);
        int[] outShape = shape.clone();
        outShape[d] = Arrays.stream(shapes).mapToInt(s -> s[d]).sum();
        assertThat(out.shape()).isEqualTo(outShape);
        assertThat(out.dtype()).isEqualTo(dtype);
        double[] got = out.toDoubleArray();
        int[] idx = new int[outShape.length];
        for (int flat = 0; flat < got.length; flat++) {
            int piece = 0, along = idx[d];
            while (along >= shapes[piece][d]) {
                along -= shapes[piece][d];
                piece++;
            }
            int[] local = idx.clone();
            local[d] = along;
            assertThat(got[flat]).as("element " + Arrays.toString(idx)).isEqualTo(vals[piece][rowMajor(local, shapes[piece])]);
            next(idx, outShape);
        }
    }

    // ---------------------------------------------------------------- examples from the course

    @Example
    void selectAddChangesExactlyOneColumn() {
        Tensor x = Torch.zeros(3, 4);
        x.select(1, 1).add_(1);
        double[] v = x.toDoubleArray();
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 4; j++) {
                assertThat(v[i * 4 + j]).as("x[%d][%d]", i, j).isEqualTo(j == 1 ? 1.0 : 0.0);
            }
        }
    }

    @Example
    void inPlaceAddFromDisjointRowOfTheSameStorage() {
        Tensor x = Torch.tensor(new double[][] {{1, 2, 3}, {4, 5, 6}});
        x.select(0, 1).add_(x.select(0, 0));
        assertThat(x.toDoubleArray()).containsExactly(1, 2, 3, 5, 7, 9);
    }

    /**
     * PyTorch refuses these partial overlaps ("some elements of the input tensor and the
     * written-to tensor refer to a single memory location"); StepTorch instead reads the whole
     * source before writing, as if it had been cloned. The test pins that choice down.
     */
    @Example
    void inPlaceAddWithOverlappingBroadcastSourceReadsSourceFirst() {
        Tensor x = Torch.tensor(new double[][] {{1, 2, 3}, {4, 5, 6}});
        x.add_(x.select(0, 0));
        assertThat(x.toDoubleArray()).containsExactly(2, 4, 6, 5, 7, 9);

        Tensor y = Torch.arange(0, 6, 1, Options.dtype(DType.FLOAT64));
        y.narrow(0, 1, 5).add_(y.narrow(0, 0, 5));
        assertThat(y.toDoubleArray()).containsExactly(0, 1, 3, 5, 7, 9);

        Tensor z = Torch.tensor(new double[][] {{0, 1}, {2, 3}});
        z.add_(z.t());
        assertThat(z.toDoubleArray()).containsExactly(0, 3, 3, 6);
    }

    @Example
    void expandSharesStorageAndViewOfScalar() {
        Tensor col = Torch.tensor(new double[][] {{1}, {2}, {3}});
        Tensor e = col.expand(3, 4);
        assertThat(e.strides()).containsExactly(1, 0);
        col.select(0, 2).fill_(9);
        assertThat(e.toDoubleArray()).containsExactly(1, 1, 1, 1, 2, 2, 2, 2, 9, 9, 9, 9);
        Tensor s = Torch.tensor(5.0).view(1, 1);
        assertThat(s.shape()).containsExactly(1, 1);
        assertThat(s.item()).isEqualTo(5.0);
    }

    // ---------------------------------------------------------------- plumbing

    /** A contiguous float64 tensor whose element at storage position p is p. */
    private static Tensor arangeLike(int[] shape) {
        return Torch.tensor(arangeValues(numel(shape)), Options.dtype(DType.FLOAT64)).view(shape);
    }

    private static double[] arangeValues(int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = i;
        }
        return v;
    }

    private static void assertReads(Tensor v, Ref ref, String chain) {
        double[] got = v.toDoubleArray();
        double[] want = rowMajorPositions(ref);
        assertThat(got).as(chain).isEqualTo(want);
    }

    private static double[] rowMajorPositions(Ref ref) {
        double[] want = new double[numel(ref.shape)];
        int[] idx = new int[ref.shape.length];
        for (int i = 0; i < want.length; i++) {
            want[i] = ref.position(idx);
            next(idx, ref.shape);
        }
        return want;
    }

    private static boolean[] image(Ref ref, int storageSize) {
        boolean[] hit = new boolean[storageSize];
        int[] idx = new int[ref.shape.length];
        for (int i = 0, n = numel(ref.shape); i < n; i++) {
            hit[ref.position(idx)] = true;
            next(idx, ref.shape);
        }
        return hit;
    }

    private static DType promote(DType a, DType b) {
        int ca = a == DType.BOOL ? 0 : a == DType.INT64 ? 1 : 2;
        int cb = b == DType.BOOL ? 0 : b == DType.INT64 ? 1 : 2;
        if (a == b) {
            return a;
        }
        return ca != cb ? (ca > cb ? a : b) : DType.FLOAT64;
    }


    private static int wrap(int d, int rank) {
        return d < 0 ? d + rank : d;
    }

    private static int clip(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    private static void swap(int[] x, int i, int j) {
        int t = x[i];
        x[i] = x[j];
        x[j] = t;
    }

    private static int[] drop(int[] x, int at) {
        int[] r = new int[x.length - 1];
        System.arraycopy(x, 0, r, 0, at);
        System.arraycopy(x, at + 1, r, at, x.length - at - 1);
        return r;
    }

    private static int[] insert(int[] x, int at, int v) {
        int[] r = new int[x.length + 1];
        System.arraycopy(x, 0, r, 0, at);
        r[at] = v;
        System.arraycopy(x, at, r, at + 1, x.length - at);
        return r;
    }

    private static int[] pick(int[] x, int[] keep) {
        int[] r = new int[keep.length];
        for (int i = 0; i < keep.length; i++) {
            r[i] = x[keep[i]];
        }
        return r;
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
            swap(p, i, r.nextInt(i + 1));
        }
        return p;
    }
}
