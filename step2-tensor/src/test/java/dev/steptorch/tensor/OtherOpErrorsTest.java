package dev.steptorch.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * The errors of the ops outside the families, in PyTorch 1.13's words (checked against torch 1.13
 * on CPU), and the edge cases of their semantics that the catalog's inputs do not reach.
 */
class OtherOpErrorsTest {
    private final Tensor x = Torch.arange(0, 6, 1, Options.dtype(DType.FLOAT32)).reshape(2, 3);
    private final Tensor ints = Torch.tensor(new long[] {1, 2});

    private static Tensor index(Object values) {
        return Torch.tensor(values);
    }

    @Test
    void statistics() {
        assertThatThrownBy(() -> ints.var()).hasMessage("std and var only support floating point and complex dtypes");
        assertThatThrownBy(() -> ints.std()).hasMessage("std and var only support floating point and complex dtypes");
        assertThatThrownBy(() -> Torch.zeros(0, 2).min(0, false)).hasMessage("min(): Expected reduction dim 0 to have non-zero size.");
        assertThatThrownBy(() -> x.min(5, false))
                .hasMessage("Dimension out of range (expected to be in range of [-2, 1], but got 5)");
        assertThatThrownBy(() -> x.cumsum(2))
                .hasMessage("Dimension out of range (expected to be in range of [-2, 1], but got 2)");
        assertThat(Torch.tensor(new double[] {2}).var().item()).isNaN();
        assertThat(ints.logsumexp(new int[] {0}, false).dtype()).isEqualTo(DType.FLOAT32);
        assertThat(Torch.zeros(2, 0).prod(1, false).toDoubleArray()).containsExactly(1, 1);
    }

    @Test
    void indexing() {
        assertThatThrownBy(() -> x.gather(1, Torch.tensor(new double[][] {{0}})))
                .hasMessage("gather(): Expected dtype int64 for index");
        assertThatThrownBy(() -> x.gather(1, index(new long[] {0})))
                .hasMessage("Index tensor must have the same number of dimensions as input tensor");
        assertThatThrownBy(() -> x.gather(1, index(new long[][] {{5}})))
                .hasMessage("index 5 is out of bounds for dimension 1 with size 3");
        assertThatThrownBy(() -> x.gather(1, index(new long[][] {{0}, {0}, {0}})))
                .hasMessage("Size does not match at dimension 0 expected index [3, 1] to be smaller than self [2, 3] "
                        + "apart from dimension 1");
        assertThat(x.gather(1, index(new long[][] {{0, 0, 0, 0}})).shape()).containsExactly(1, 4);
        assertThatThrownBy(() -> x.scatterAdd(1, index(new long[][] {{0}, {0}, {0}}), x))
                .hasMessage("Expected index [3, 1] to be smaller than self [2, 3] apart from dimension 1 and to be smaller size "
                        + "than src [2, 3]");
        assertThatThrownBy(() -> x.scatterAdd(1, index(new long[][] {{0}}), x.to(DType.FLOAT64)))
                .hasMessage("scatter(): Expected self.dtype to be equal to src.dtype");
        assertThatThrownBy(() -> x.indexSelect(1, index(new long[][] {{0}})))
                .hasMessage("index_select(): Index is supposed to be a vector");
        assertThatThrownBy(() -> x.indexSelect(1, Torch.tensor(new double[] {0})))
                .hasMessage("index_select(): Expected dtype int32 or int64 for index");
        assertThatThrownBy(() -> x.indexSelect(1, index(new long[] {7}))).hasMessage("INDICES element is out of DATA bounds, id=7 axis_dim=3");
        assertThat(x.indexSelect(1, index(1L)).shape()).containsExactly(2, 1);
        assertThatThrownBy(() -> x.flip(0, 0)).hasMessage("dim 0 appears multiple times in the list of dims");
        assertThatThrownBy(() -> x.roll(new int[] {1, 1}, new int[] {0}))
                .hasMessage("shifts and dimensions must align. shifts: 2, dims:1");
        assertThatThrownBy(() -> x.select(0, 0).tril())
                .hasMessage("Dimension out of range (expected to be in range of [-1, 0], but got -2)");
        assertThatThrownBy(() -> Torch.zeros(2, 2, 2).diag()).hasMessage("matrix or a vector expected");
        assertThatThrownBy(() -> Torch.zeros(2, 2, 2).trace()).hasMessage("trace: expected a matrix, but got tensor with dim 3");
    }

    @Test
    void shapes() {
        assertThatThrownBy(() -> x.repeat(2))
                .hasMessage("Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor");
        assertThatThrownBy(() -> x.split(0, 0))
                .hasMessage("split_size can only be 0 if dimension size is 0, but got dimension size of 2");
        assertThatThrownBy(() -> x.split(-1, 0)).hasMessage("split expects split_size be non-negative, but got split_size=-1");
        assertThatThrownBy(() -> x.chunk(0, 0)).hasMessage("chunk expects `chunks` to be greater than 0, got: 0");
        assertThat(Torch.zeros(6).chunk(4, 0)).hasSize(3);
        assertThat(Torch.zeros(0).chunk(2, 0)).hasSize(2);
        assertThatThrownBy(() -> x.slice(0, 0, 2, 0)).hasMessage("slice step cannot be zero");
        assertThatThrownBy(() -> x.slice(0, 0, 2, -1)).hasMessage("step must be greater than zero");
        assertThatThrownBy(() -> Torch.stack(0)).hasMessage("stack expects a non-empty TensorList");
        assertThatThrownBy(() -> Torch.stack(0, x, x.select(0, 0)))
                .hasMessage("stack expects each tensor to be equal size, but got [2, 3] at entry 0 and [3] at entry 1");
        Tensor strided = Torch.arange(10).slice(0, 1, 9, 3);
        assertThat(strided.toLongArray()).containsExactly(1, 4, 7);
        assertThat(strided.stride(0)).isEqualTo(3);
    }

    @Test
    void products() {
        assertThatThrownBy(() -> x.bmm(x)).hasMessage("batch1 must be a 3D tensor");
        assertThatThrownBy(() -> x.unsqueeze(0).bmm(x)).hasMessage("batch2 must be a 3D tensor");
        assertThatThrownBy(() -> x.unsqueeze(0).bmm(x.unsqueeze(0)))
                .hasMessage("Expected size for first two dimensions of batch2 tensor to be: [1, 3] but got: [1, 2].");
        assertThatThrownBy(() -> x.unsqueeze(0).bmm(x.t().unsqueeze(0).to(DType.FLOAT64)))
                .hasMessage("expected scalar type Float but found Double");
        assertThatThrownBy(() -> x.dot(x.select(0, 0))).hasMessage("1D tensors expected, but got 2D and 1D tensors");
        assertThatThrownBy(() -> x.select(0, 0).dot(x.select(0, 0).narrow(0, 0, 2)))
                .hasMessage("inconsistent tensor size, expected tensor [3] and src [2] to have the same number of elements, "
                        + "but got 3 and 2 elements respectively");
        assertThatThrownBy(() -> x.select(0, 0).dot(x.select(0, 0).to(DType.FLOAT64)))
                .hasMessage("dot : expected both vectors to have same dtype, but found Float and Double");
        assertThatThrownBy(() -> x.mv(x)).hasMessage("vector + matrix @ vector expected, got 1, 2, 2");
        assertThatThrownBy(() -> x.mv(x.select(0, 0).narrow(0, 0, 2))).hasMessage("size mismatch, got 2, 2x3,2");
        assertThatThrownBy(() -> Torch.outer(x, x.select(0, 0))).hasMessage("outer: Expected 1-D argument self, but got 2-D");
        assertThatThrownBy(() -> Torch.tensor(1.0).matmul(x))
                .hasMessage("both arguments to matmul need to be at least 1D, but they are 0D and 2D");
        assertThatThrownBy(() -> Torch.zeros(2, 2, 3).matmul(Torch.zeros(4, 2)))
                .hasMessage("mat1 and mat2 shapes cannot be multiplied (4x3 and 4x2)");
        assertThatThrownBy(() -> Torch.zeros(2, 2, 3).matmul(Torch.zeros(3, 3, 2)))
                .hasMessageStartingWith("The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 0");
    }

    @Test
    void einsum() {
        assertThatThrownBy(() -> Torch.einsum("ij,jk", x, x))
                .hasMessage("einsum(): subscript j has size 2 for operand 1 which does not broadcast with previously seen size 3");
        assertThatThrownBy(() -> Torch.einsum("ij,jk->ik", x))
                .hasMessage("einsum(): fewer operands were provided than specified in the equation");
        assertThatThrownBy(() -> Torch.einsum("ij,jk->ik", x, x, x))
                .hasMessage("einsum(): more operands were provided than specified in the equation");
        assertThatThrownBy(() -> Torch.einsum("ij->ii", x)).hasMessage("einsum(): output subscript i appears more than once in the output");
        assertThatThrownBy(() -> Torch.einsum("ij->k", x))
                .hasMessage("einsum(): output subscript k does not appear in the equation for any input operand");
        assertThatThrownBy(() -> Torch.einsum("ijk->i", x))
                .hasMessage("einsum(): the number of subscripts in the equation (3) does not match the number of dimensions (2) "
                        + "for operand 0 and no ellipsis was given");
        assertThatThrownBy(() -> Torch.einsum("i1->i", x))
                .hasMessage("einsum(): invalid subscript given at index 1 in the equation string, subscripts must be in [a-zA-Z]");
        // StepTorch's own limits, refused rather than computed wrongly
        assertThatThrownBy(() -> Torch.einsum("...ij->ij", x)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> Torch.einsum("i,i,i->", x.select(0, 0), x.select(0, 0), x.select(0, 0)))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
