package dev.steptorch.ndarray;

import static dev.steptorch.ndarray.Index.all;
import static dev.steptorch.ndarray.Index.at;
import static dev.steptorch.ndarray.Index.newAxis;
import static dev.steptorch.ndarray.Index.range;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Worked examples of the NDArray API, one NumPy idiom each. */
class NDArrayTest {

    @Test
    void creation() {
        assertThat(NumPy.zeros(2, 3).shape()).containsExactly(2, 3);
        assertThat(NumPy.ones(2).toDoubleArray()).containsExactly(1, 1);
        assertThat(NumPy.full(7, 2, 2).sum().item()).isEqualTo(28);
        assertThat(NumPy.arange(5).dtype()).isEqualTo(DType.INT64);
        assertThat(NumPy.arange(2, 11, 3).toDoubleArray()).containsExactly(2, 5, 8);
        assertThat(NumPy.arange(0.0, 1.0, 0.25).toDoubleArray()).containsExactly(0, 0.25, 0.5, 0.75);
        NDArray nested = NumPy.fromArray(new double[][][] {{{1, 2}}, {{3, 4}}});
        assertThat(nested.shape()).containsExactly(2, 1, 2);
        assertThat(NumPy.fromArray(new int[][] {{1, 2}, {3, 4}}).dtype()).isEqualTo(DType.INT64);
        assertThat(NumPy.fromArray(new boolean[] {true, false}).dtype()).isEqualTo(DType.BOOL);
        assertThatThrownBy(() -> NumPy.fromArray(new double[][] {{1, 2}, {3}}))
                .hasMessage("fromArray: ragged nested arrays: expected length 2 at depth 1, got 1");
        assertThatThrownBy(() -> NumPy.zeros(2, -1)).hasMessageContaining("negative dimensions");
    }

    @Test
    void seededRandomArraysRepeat() {
        NDArray a = NumPy.random().seed(0).randn(3, 4);
        NumPy.random().seed(0);
        NDArray b = NumPy.random().randn(3, 4);
        assertThat(NumPy.arrayEqual(a, b)).isTrue();
        assertThat(NumPy.arrayEqual(NumPy.random().randn(3, 4), a)).isFalse();
        NDArray u = new NDRandom(1).rand(1000);
        assertThat(u.min().item()).isGreaterThanOrEqualTo(0);
        assertThat(u.max().item()).isLessThan(1);
        assertThat(u.mean().item()).isBetween(0.45, 0.55);
        NDArray g = new NDRandom(2).randn(10000);
        assertThat(g.mean().item()).isBetween(-0.05, 0.05);
        assertThat(NumPy.square(g).mean().item()).isBetween(0.95, 1.05);
    }

    @Test
    void slicingRowsAndColumnsGivesViews() {
        NDArray x = NumPy.arange(12).reshape(3, 4);
        assertThat(x.get(all(), at(1)).toDoubleArray()).containsExactly(1, 5, 9);      // x[:, 1]
        assertThat(x.get(at(-1)).toDoubleArray()).containsExactly(8, 9, 10, 11);        // x[-1]
        assertThat(x.get(range(0, 2), range(1, 4, 2)).toDoubleArray()).containsExactly(1, 3, 5, 7); // x[0:2, 1:4:2]
        assertThat(x.get(all(), newAxis()).shape()).containsExactly(3, 1, 4);         // x[:, None]
        assertThat(x.get(range(5, 9)).shape()).containsExactly(0, 4);                 // clipped like Python
        x.get(all(), at(1)).fill_(0);                                                   // x[:, 1] = 0
        assertThat(x.sum(0).toDoubleArray()).containsExactly(12, 0, 18, 21);
        x.get(at(0)).assign_(NumPy.of(-1, -2, -3, -4));                              // x[0] = [...]
        assertThat(x.get(at(0)).toDoubleArray()).containsExactly(-1, -2, -3, -4);
        assertThatThrownBy(() -> x.get(at(0), at(0), at(0)))
                .hasMessage("get: too many indices for array: array is 2-dimensional, but 3 were indexed");
    }

    @Test
    void squeezeAndExpandDims() {
        NDArray a = NumPy.zeros(1, 3, 1);
        assertThat(a.squeeze().shape()).containsExactly(3);
        assertThat(a.squeeze(-1).shape()).containsExactly(1, 3);
        assertThat(NumPy.expandDims(a, 1).shape()).containsExactly(1, 1, 3, 1);
        assertThat(NumPy.expandDims(a, -1).shape()).containsExactly(1, 3, 1, 1);
        assertThatThrownBy(() -> a.squeeze(1)).hasMessageStartingWith("squeeze: cannot select an axis to squeeze out");
    }

    @Test
    void reshapeCopiesOnlyWhenTheLayoutDemandsIt() {
        NDArray a = NumPy.arange(24).reshape(4, 6);
        NDArray columns = a.get(all(), range(0, 4));           // rows still contiguous inside
        assertThat(NumPy.sharesMemory(columns.reshape(4, 2, 2), a)).isTrue();
        assertThat(NumPy.sharesMemory(columns.reshape(16), a)).isFalse();
        assertThat(NumPy.sharesMemory(a.T().reshape(6, 2, 2), a)).isTrue();   // splitting an axis never copies
        assertThat(NumPy.sharesMemory(a.T().reshape(3, 8), a)).isFalse();
        assertThat(NumPy.sharesMemory(a.T().reshape(6, 4, 1), a)).isTrue();
        assertThat(a.T().reshape(6, 4, 1).item(5, 3, 0)).isEqualTo(23);
    }

    @Test
    void elementwiseOpsAndBroadcasting() {
        NDArray a = NumPy.of(new double[] {1, -2}, new double[] {3, -4});
        assertThat(NumPy.maximum(a, 0).toDoubleArray()).containsExactly(1, 0, 3, 0);
        assertThat(NumPy.square(a).toDoubleArray()).containsExactly(1, 4, 9, 16);
        assertThat(NumPy.allclose(NumPy.square(NumPy.sqrt(NumPy.abs(a))), NumPy.abs(a))).isTrue();
        assertThat(NumPy.arrayEqual(a.mul(2.0).sub(a), a)).isTrue();                // 2.0 * a - a
        assertThat(a.rsub(1).toDoubleArray()).containsExactly(0, 3, -2, 5);   // 1 - a
        assertThat(a.rdiv(12).toDoubleArray()).containsExactly(12, -6, 4, -3);
        assertThat(a.add(NumPy.of(10, 20)).toDoubleArray()).containsExactly(11, 18, 13, 16);
        assertThat(NumPy.allclose(NumPy.log(NumPy.exp(a)), a)).isTrue();
        assertThat(NumPy.allclose(NumPy.exp(a), NumPy.of(new double[] {Math.E, Math.exp(-2)}, new double[] {Math.exp(3), Math.exp(-4)}))).isTrue();
        assertThat(NumPy.arange(3).div(2).toDoubleArray()).containsExactly(0, 0.5, 1);
        assertThat(NumPy.arange(3).add(NumPy.arange(3)).dtype()).isEqualTo(DType.INT64);
        assertThat(NumPy.arange(3).mul(0.5).dtype()).isEqualTo(DType.FLOAT64);
        assertThat(NumPy.minimum(a.neg(), 0).toDoubleArray()).containsExactly(-1, 0, -3, 0);
    }

    @Test
    void inPlaceOpsReturnThisAndWriteThroughViews() {
        NDArray w = NumPy.ones(2, 3);
        NDArray g = NumPy.full(10, 2, 3);
        assertThat(w.sub_(g.mul(0.1))).isSameAs(w);          // w -= lr * g
        assertThat(w.toDoubleArray()).containsOnly(0);
        w.T().add_(NumPy.of(1, 2));                          // adds along the other axis through a view
        assertThat(w.toDoubleArray()).containsExactly(1, 1, 1, 2, 2, 2);
        w.add_(w.T().T());
        assertThat(w.toDoubleArray()).containsExactly(2, 2, 2, 4, 4, 4);
        NDArray sq = NumPy.arange(4).reshape(2, 2).astype(DType.FLOAT64);
        sq.add_(sq.T());                                       // overlapping operand is read before it is written
        assertThat(sq.toDoubleArray()).containsExactly(0, 3, 3, 6);
        w.mul_(0.5).div_(2).add_(1).sub_(1);
        assertThat(w.toDoubleArray()).containsExactly(0.5, 0.5, 0.5, 1, 1, 1);
    }

    @Test
    void comparisonsGiveBoolMasksAndMaskedAssignmentUsesThem() {
        NDArray h = NumPy.of(new double[] {-1, 2}, new double[] {0, -3});
        NDArray mask = h.lt(0);
        assertThat(mask.dtype()).isEqualTo(DType.BOOL);
        assertThat(mask.toString()).isEqualTo("array([[ True, False],\n       [False,  True]])");
        NDArray gradH = NumPy.full(5, 2, 2);
        gradH.maskedFill_(mask, 0);                            // grad_h[h < 0] = 0
        assertThat(gradH.toDoubleArray()).containsExactly(0, 5, 5, 0);
        assertThat(h.le(0).toDoubleArray()).containsExactly(1, 0, 1, 1);
        assertThat(h.gt(h.T()).toDoubleArray()).containsExactly(0, 1, 0, 0);
        assertThat(h.ge(0).toDoubleArray()).containsExactly(0, 1, 1, 0);
        assertThat(h.eq(0).toDoubleArray()).containsExactly(0, 0, 1, 0);
        assertThat(h.ne(0).toDoubleArray()).containsExactly(1, 1, 0, 1);
        NDArray rowMask = NumPy.of(-1, 1).lt(0);             // a mask broadcasts like PyTorch's masked_fill_
        assertThat(NumPy.ones(2, 2).maskedFill_(rowMask, 9).toDoubleArray()).containsExactly(9, 1, 9, 1);
    }

    @Test
    void reductions() {
        NDArray a = NumPy.of(new double[] {1, 5, 2}, new double[] {4, 0, 9});
        NDArray total = a.sum();
        assertThat(total.shape()).isEmpty();
        assertThat(total.shapeString()).isEqualTo("()");
        assertThat(total.item()).isEqualTo(21);
        assertThat(a.sum(1, true).shape()).containsExactly(2, 1);
        assertThat(a.sum(-1).toDoubleArray()).containsExactly(8, 13);
        assertThat(a.mean().item()).isEqualTo(3.5);
        assertThat(a.mean(0).toDoubleArray()).containsExactly(2.5, 2.5, 5.5);
        assertThat(a.mean(0, true).shape()).containsExactly(1, 3);
        assertThat(a.max().item()).isEqualTo(9);
        assertThat(a.max(0).toDoubleArray()).containsExactly(4, 5, 9);
        assertThat(a.min(1, true).toDoubleArray()).containsExactly(1, 0);
        assertThat(a.argmax()).isEqualTo(5);
        assertThat(a.argmax(1).toDoubleArray()).containsExactly(1, 2);
        assertThat(a.argmax(1).dtype()).isEqualTo(DType.INT64);
        assertThat(NumPy.of(1, Double.NaN, 3).max().item()).isNaN();
        assertThat(NumPy.of(1, Double.NaN, 3).argmax()).isEqualTo(1);
        assertThat(NumPy.zeros(0).sum().item()).isZero();
        assertThat(NumPy.arange(4).sum().dtype()).isEqualTo(DType.INT64);
    }

    @Test
    void dotAndMatmulCoverOneAndTwoDimensions() {
        NDArray m = NumPy.of(new double[] {1, 2}, new double[] {3, 4});
        NDArray v = NumPy.of(1, -1);
        assertThat(m.dot(m).toDoubleArray()).containsExactly(7, 10, 15, 22);
        assertThat(m.dot(v).toDoubleArray()).containsExactly(-1, -1);
        assertThat(v.dot(m).toDoubleArray()).containsExactly(-2, -2);
        assertThat(v.dot(v).item()).isEqualTo(2);
        assertThat(m.matmul(m.T()).toDoubleArray()).containsExactly(5, 11, 11, 25);
        assertThat(m.dot(NumPy.scalar(2)).toDoubleArray()).containsExactly(2, 4, 6, 8);
        assertThat(NumPy.arange(4).reshape(2, 2).dot(NumPy.arange(2)).dtype()).isEqualTo(DType.INT64);
        assertThatThrownBy(() -> m.matmul(NumPy.scalar(2))).hasMessageStartingWith("matmul: operands must have at least one dimension");
        assertThatThrownBy(() -> NumPy.zeros(2, 2, 2).dot(m)).hasMessage("dot: only 1-D and 2-D operands are supported, got shapes (2,2,2) and (2,2)");
        assertThat(NumPy.zeros(3, 0).dot(NumPy.zeros(0, 2)).toDoubleArray()).containsOnly(0).hasSize(6);
    }

    @Test
    void itemAndItemset() {
        NDArray a = NumPy.zeros(2, 3);
        a.itemset(5, 1, 2).itemset(7, 0);
        assertThat(a.item(-1, -1)).isEqualTo(5);
        assertThat(a.item(5)).isEqualTo(5);                    // one index into an n-d array is a flat index
        assertThat(a.item(0, 0)).isEqualTo(7);
        assertThatThrownBy(a::item).hasMessageContaining("can only convert an array of size 1");
        assertThatThrownBy(() -> a.item(2, 0)).hasMessage("item: index 2 is out of bounds for axis 0 with size 2");
        assertThatThrownBy(() -> a.item(6)).hasMessage("item: index 6 is out of bounds for size 6");
    }

    @Test
    void printingFollowsNumpy() {
        NDArray a = NumPy.arange(24).reshape(4, 6).astype(DType.FLOAT64);
        assertThat(a.shapeString()).isEqualTo("(4, 6)");
        assertThat(NumPy.zeros(3).shapeString()).isEqualTo("(3,)");
        assertThat(a.get(range(0, 2)).div(3).str()).isEqualTo(
                "[[0.         0.33333333 0.66666667 1.         1.33333333 1.66666667]\n"
                        + " [2.         2.33333333 2.66666667 3.         3.33333333 3.66666667]]");
        assertThat(NumPy.zeros(2, 0).toString()).isEqualTo("array([], shape=(2, 0), dtype=float64)");
        assertThat(NumPy.of(-0.0, 1).toString()).isEqualTo("array([-0.,  1.])");
        assertThat(NumPy.zeros(2).lt(1).get(at(0)).str()).isEqualTo("True");
    }
}
