package dev.steptorch.ndarray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Algebraic and layout laws of NDArray, each checked against a plain loop over Java arrays. */
class NDArrayProperties {

    /** A random array of the given shape, built from a seed so that jqwik can shrink the seed. */
    static NDArray random(long seed, int... shape) {
        return new NDRandom(seed).randn(shape);
    }

    @Provide
    Arbitrary<int[]> shapes() {
        return Arbitraries.integers().between(1, 4).array(int[].class).ofMinSize(0).ofMaxSize(4);
    }

    /** Two shapes that broadcast: b is a suffix of a's shape with some sizes replaced by 1 (or vice versa). */
    @Provide
    Arbitrary<int[][]> broadcastablePairs() {
        return Combinators.combine(shapes(), Arbitraries.longs(), Arbitraries.of(true, false)).as((shape, seed, swap) -> {
            Random r = new Random(seed);
            int keep = r.nextInt(shape.length + 1);
            int[] other = Arrays.copyOfRange(shape, shape.length - keep, shape.length);
            for (int i = 0; i < other.length; i++) {
                if (r.nextBoolean()) other[i] = 1;
            }
            int[] first = shape.clone();
            for (int i = 0; i < first.length - keep; i++) {
                if (r.nextInt(4) == 0) first[i] = 1;
            }
            return swap ? new int[][] {other, first} : new int[][] {first, other};
        });
    }

    /** Reads element {@code index} of a broadcast operand by NumPy's rule, with plain index arithmetic. */
    private static double broadcastRead(NDArray a, int[] outIndex) {
        int lead = outIndex.length - a.ndim();
        int[] idx = new int[a.ndim()];
        for (int i = 0; i < a.ndim(); i++) {
            idx[i] = a.shape()[i] == 1 ? 0 : outIndex[lead + i];
        }
        return a.ndim() == 0 ? a.item() : a.item(idx.length == 1 ? new int[] {idx[0]} : idx);
    }

    private static int[] unravel(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int i = shape.length - 1; i >= 0; i--) {
            idx[i] = flat % shape[i];
            flat /= shape[i];
        }
        return idx;
    }

    @Property(tries = 150)
    void broadcastingAgreesWithAnExplicitLoop(@ForAll("broadcastablePairs") int[][] shapes, @ForAll long seed) {
        NDArray a = random(seed, shapes[0]);
        NDArray b = random(seed + 1, shapes[1]);
        List<NDArray> results = List.of(a.add(b), a.sub(b), a.mul(b), NumPy.maximum(a, b));
        int[] out = results.get(0).shape();
        for (int k = 0; k < Shapes.size(out); k++) {
            int[] idx = unravel(k, out);
            double x = broadcastRead(a, idx);
            double y = broadcastRead(b, idx);
            double[] expected = {x + y, x - y, x * y, Math.max(x, y)};
            for (int op = 0; op < expected.length; op++) {
                assertThat(results.get(op).toDoubleArray()[k]).isEqualTo(expected[op]);
            }
        }
        for (int i = 0; i < out.length; i++) {
            int da = i < out.length - a.ndim() ? 1 : a.shape()[i - (out.length - a.ndim())];
            int db = i < out.length - b.ndim() ? 1 : b.shape()[i - (out.length - b.ndim())];
            assertThat(out[i]).isEqualTo(Math.max(da, db));
        }
    }

    @Property(tries = 100)
    void inPlaceOpsMatchTheirOutOfPlaceForms(@ForAll("broadcastablePairs") int[][] shapes, @ForAll long seed) {
        NDArray a = random(seed, shapes[0]);
        NDArray b = random(seed + 1, shapes[1]);
        int[] out = a.add(b).shape();
        NDArray target = NumPy.broadcastTo(a, out).copy();
        NDArray expected = target.sub(b);
        assertThat(NumPy.arrayEqual(target.sub_(b), expected)).isTrue();
    }

    @Property(tries = 100)
    void transposeTwiceIsTheIdentity(@ForAll("shapes") int[] shape, @ForAll long seed) {
        NDArray a = random(seed, shape);
        NDArray back = a.T().T();
        assertThat(back.shape()).isEqualTo(a.shape());
        assertThat(back.strides()).isEqualTo(a.strides());
        assertThat(NumPy.arrayEqual(back, a)).isTrue();
        int[] reversed = a.shape();
        for (int i = 0; i < reversed.length; i++) reversed[i] = shape[shape.length - 1 - i];
        assertThat(a.T().shape()).isEqualTo(reversed);
    }

    @Property(tries = 100)
    void viewsShareStorageAndCopiesDoNot(@ForAll @IntRange(min = 1, max = 5) int rows,
                                         @ForAll @IntRange(min = 1, max = 5) int cols, @ForAll long seed) {
        NDArray a = random(seed, rows, cols);
        List<NDArray> views = List.of(a.reshape(-1), a.T(), a.get(Index.all(), Index.at(cols - 1)),
                a.get(Index.range(0, rows)), NumPy.expandDims(a, 0), NumPy.expandDims(a, 2).squeeze());
        for (NDArray v : views) {
            assertThat(NumPy.sharesMemory(v, a)).isTrue();
            double before = a.item(rows - 1, cols - 1);
            a.itemset(before + 1, rows - 1, cols - 1);
            // the last element of a is the last element of every one of these views
            assertThat(v.item(v.size() - 1)).isEqualTo(before + 1);
        }
        NDArray copy = a.copy();
        assertThat(NumPy.sharesMemory(copy, a)).isFalse();
        double before = a.item(0, 0);
        copy.itemset(before + 5, 0, 0);
        assertThat(a.item(0, 0)).isEqualTo(before);
    }

    @Property(tries = 100)
    void sumAlongAnAxisOfAReshapeMatchesTheLoop(@ForAll @IntRange(min = 1, max = 4) int p, @ForAll @IntRange(min = 1, max = 4) int q,
                                                @ForAll @IntRange(min = 1, max = 4) int r, @ForAll @IntRange(min = 0, max = 2) int axis,
                                                @ForAll boolean keepdims, @ForAll boolean transposed, @ForAll long seed) {
        NDArray flat = random(seed, p * q * r);
        NDArray a = transposed ? flat.reshape(r, q, p).transpose(2, 1, 0) : flat.reshape(p, q, r);
        double[] d = flat.toDoubleArray();
        NDArray s = a.sum(axis, keepdims);
        int[] shape = {p, q, r};
        int[] outShape = keepdims ? shape.clone() : Shapes.remove(shape, axis);
        if (keepdims) outShape[axis] = 1;
        assertThat(s.shape()).isEqualTo(outShape);
        double[] got = s.toDoubleArray();
        int k = 0;
        int[] idx = new int[3];
        for (idx[0] = 0; idx[0] < p; idx[0]++) {
            for (idx[1] = 0; idx[1] < q; idx[1]++) {
                for (idx[2] = 0; idx[2] < r; idx[2]++) {
                    if (idx[axis] != 0) continue;
                    double expected = 0;
                    for (int t = 0; t < shape[axis]; t++) {
                        int[] j = idx.clone();
                        j[axis] = t;
                        expected += transposed ? d[(j[2] * q + j[1]) * p + j[0]] : d[(j[0] * q + j[1]) * r + j[2]];
                    }
                    assertThat(got[k++]).isCloseTo(expected, offset(1e-12));
                }
            }
        }
        assertThat(a.sum().item()).isCloseTo(Arrays.stream(d).sum(), offset(1e-10));
    }

    @Property(tries = 80)
    void dotAgreesWithTheNaiveTripleLoop(@ForAll @IntRange(min = 1, max = 70) int m, @ForAll @IntRange(min = 1, max = 70) int k,
                                         @ForAll @IntRange(min = 1, max = 40) int n, @ForAll boolean transposeA,
                                         @ForAll boolean transposeB, @ForAll long seed) {
        NDArray a = transposeA ? random(seed, k, m).T() : random(seed, m, k);
        NDArray b = transposeB ? random(seed + 1, n, k).T() : random(seed + 1, k, n);
        NDArray c = a.dot(b);
        assertThat(c.shape()).containsExactly(m, n);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double expected = 0;
                for (int p = 0; p < k; p++) expected += a.item(i, p) * b.item(p, j);
                assertThat(c.item(i, j)).isCloseTo(expected, offset(1e-9 * (1 + Math.abs(expected))));
            }
        }
        // the vector cases: matrix-vector and inner product
        NDArray v = b.get(Index.all(), Index.at(0));
        NDArray cv = a.dot(v);
        assertThat(cv.shape()).containsExactly(m);
        for (int i = 0; i < m; i++) assertThat(cv.item(i)).isCloseTo(c.item(i, 0), offset(1e-9 * (1 + Math.abs(c.item(i, 0)))));
        assertThat(v.dot(v).shape()).isEmpty();
        assertThat(v.dot(v).item()).isCloseTo(NumPy.square(v).sum().item(), offset(1e-9 * (1 + NumPy.square(v).sum().item())));
    }

    @Property(tries = 50)
    void bigProductsTakeTheParallelPathAndStillAgree(@ForAll @IntRange(min = 60, max = 140) int m, @ForAll long seed) {
        NDArray a = random(seed, m, 300);
        NDArray b = random(seed + 1, 300, 50);
        NDArray c = a.dot(b);
        // column 49 is in the ragged last vector, which the kernel reads from a copy, over two blocks of k
        for (int i = 0; i < m; i += 7) {
            for (int j : new int[] {3, 49}) {
                double expected = 0;
                for (int p = 0; p < 300; p++) expected += a.item(i, p) * b.item(p, j);
                assertThat(c.item(i, j)).isCloseTo(expected, offset(1e-9 * (1 + Math.abs(expected))));
            }
        }
    }

    @Property(tries = 100)
    void maskedAssignmentTouchesExactlyTheMaskedElements(@ForAll("shapes") int[] shape, @ForAll long seed, @ForAll double value) {
        NDArray a = random(seed, shape);
        NDArray h = random(seed + 1, shape);
        NDArray mask = h.lt(0);
        double[] before = a.toDoubleArray();
        double[] hs = h.toDoubleArray();
        a.maskedFill_(mask, value);
        double[] after = a.toDoubleArray();
        for (int i = 0; i < before.length; i++) {
            assertThat(after[i]).isEqualTo(hs[i] < 0 ? value : before[i]);
        }
    }

    @Property(tries = 100)
    void reshapeKeepsCOrderAndIsAViewExactlyWhenNumpyMakesOne(@ForAll @IntRange(min = 1, max = 6) int rows,
                                                             @ForAll @IntRange(min = 1, max = 6) int cols, @ForAll long seed) {
        NDArray a = random(seed, rows, cols);
        assertThat(a.reshape(cols, rows).toDoubleArray()).isEqualTo(a.toDoubleArray());
        assertThat(NumPy.sharesMemory(a.reshape(-1), a)).isTrue();
        NDArray t = a.T();
        NDArray flatT = t.reshape(-1);
        assertThat(flatT.toDoubleArray()).isEqualTo(t.toDoubleArray());
        // a transposed matrix with both sizes > 1 is not contiguous in C order, so its flattening copies
        assertThat(NumPy.sharesMemory(flatT, a)).isEqualTo(rows == 1 || cols == 1);
    }
}
