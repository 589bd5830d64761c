package dev.steptorch.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The errors a learner meets first, with PyTorch 1.13's wording (checked against torch 1.13.1
 * on CPU). Where StepTorch deliberately words or behaves differently, the test says so.
 */
class ErrorMessageTest {

    @Test
    void aNullArgumentNamesTheOpInsteadOfThrowingARawNullPointerException() {
        Tensor a = Torch.ones(2, 2);
        assertThatThrownBy(() -> a.mm(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("mm(): argument 'other' must be a Tensor, not null");
        assertThatThrownBy(() -> a.matmul(null)).hasMessageStartingWith("matmul(): argument 'other'");
        assertThatThrownBy(() -> a.add((Tensor) null)).hasMessageStartingWith("add(): argument 'other'");
        assertThatThrownBy(() -> a.mul_((Tensor) null)).hasMessageStartingWith("mul_(): argument 'other'");
    }

    @Test
    void mmShapeMismatch() {
        assertThatThrownBy(() -> Torch.randn(64, 1000).mm(Torch.randn(100, 10)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("mat1 and mat2 shapes cannot be multiplied (64x1000 and 100x10)");
        assertThatThrownBy(() -> Torch.ones(2).mm(Torch.ones(2, 2))).hasMessage("self must be a matrix");
        assertThatThrownBy(() -> Torch.ones(2, 2).mm(Torch.ones(2))).hasMessage("mat2 must be a matrix");
        assertThatThrownBy(() -> Torch.ones(Options.dtype(DType.INT64), 2, 3).mm(Torch.ones(3, 2)))
                .hasMessage("expected scalar type Long but found Float");
    }

    /** StepTorch appends both shapes to PyTorch's sentence. */
    @Test
    void broadcastMismatch() {
        assertThatThrownBy(() -> Torch.ones(2, 3).add(Torch.ones(2, 4)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1");
    }

    @Test
    void viewOfWrongNumelAndNonContiguousView() {
        assertThatThrownBy(() -> Torch.arange(12).view(5, -1)).hasMessage("shape '[5, -1]' is invalid for input of size 12");
        assertThatThrownBy(() -> Torch.arange(12).view(5, 3)).hasMessage("shape '[5, 3]' is invalid for input of size 12");
        assertThatThrownBy(() -> Torch.arange(12).view(-1, -1)).hasMessage("only one dimension can be inferred");
        assertThatThrownBy(() -> Torch.ones(2, 3).t().view(6))
                .hasMessage("view size is not compatible with input tensor's size and stride (at least one dimension spans "
                        + "across two contiguous subspaces). Use .reshape(...) instead.");
    }

    /**
     * PyTorch words these after its kernels ("check_uniform_bounds" / "normal_kernel_cpu" not
     * implemented for 'Long'); StepTorch names the op the learner called instead.
     */
    @Test
    void randomFactoriesNeedFloatingPoint() {
        assertThatThrownBy(() -> Torch.rand(Options.dtype(DType.INT64), 2))
                .hasMessage("\"rand\" is only defined for floating-point dtypes, got torch.int64");
        assertThatThrownBy(() -> Torch.randn(Options.dtype(DType.BOOL), 2))
                .hasMessage("\"randn\" is only defined for floating-point dtypes, got torch.bool");
    }

    @Test
    void boolArithmeticThatPyTorchRefuses() {
        Tensor b = Torch.tensor(new boolean[] {true, false});
        assertThatThrownBy(() -> b.sub(b))
                .hasMessage("Subtraction, the `-` operator, with two bool tensors is not supported. "
                        + "Use the `^` or `logical_xor()` operator instead.");
        assertThatThrownBy(b::neg).hasMessageStartingWith("Negation, the `-` operator, on a bool tensor is not supported.");
        assertThatThrownBy(() -> b.pow(b)).hasMessage("\"pow\" not implemented for 'Bool'");
        assertThatThrownBy(() -> Torch.thresholdBackward(b, b, 0)).hasMessage("\"threshold_cpu\" not implemented for 'Bool'");
        assertThatThrownBy(() -> Torch.tensor(new long[] {1, 2}).mean())
                .hasMessage("mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. "
                        + "Got: Long");
    }

    /** The C++ wording of item(); Python 1.13's float() says "only one element tensors can be converted to Python scalars". */
    @Test
    void itemOfManyElements() {
        assertThatThrownBy(() -> Torch.ones(2).item()).hasMessage("a Tensor with 2 elements cannot be converted to Scalar");
        assertThatThrownBy(() -> Torch.ones(2, 3).itemLong()).hasMessage("a Tensor with 6 elements cannot be converted to Scalar");
        assertThat(Torch.ones(1, 1).item()).isEqualTo(1.0);
    }

    /**
     * A wrong dtype is PyTorch's error. A wrong shape PyTorch resizes with a warning; StepTorch
     * refuses, with the message PyTorch uses for in-place ops.
     */
    @Test
    void outWithWrongDtypeOrShape() {
        Tensor f = Torch.ones(2);
        assertThatThrownBy(() -> Torch.add(f, f, Torch.zeros(Options.dtype(DType.INT64), 2)))
                .hasMessage("result type Float can't be cast to the desired output type Long");
        assertThatThrownBy(() -> Torch.tensor(new long[] {1, 2}).add_(2.5))
                .hasMessage("result type Float can't be cast to the desired output type Long");
        assertThatThrownBy(() -> Torch.add(f, f, Torch.zeros(3)))
                .hasMessage("output with shape [3] doesn't match the broadcast shape [2]");
        assertThatThrownBy(() -> Torch.mm(Torch.ones(2, 3), Torch.ones(3, 2), Torch.zeros(Options.dtype(DType.FLOAT64), 2, 2)))
                .hasMessage("Expected out tensor to have dtype float, but got double instead");
        assertThatThrownBy(() -> Torch.mm(Torch.ones(2, 3), Torch.ones(3, 2), Torch.zeros(3, 2)))
                .hasMessage("output with shape [3, 2] doesn't match the broadcast shape [2, 2]");
        Tensor wider = Torch.zeros(Options.dtype(DType.FLOAT64), 2);
        assertThat(Torch.add(f, f, wider)).isSameAs(wider);
        assertThat(wider.toDoubleArray()).containsExactly(2, 2);
    }

    @Test
    void indexAndDimOutOfRange() {
        assertThatThrownBy(() -> Torch.ones(2, 3).select(1, 5))
                .isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("select(): index 5 out of range for tensor of size [2, 3] at dimension 1");
        assertThatThrownBy(() -> Torch.ones(2, 3).sum(5))
                .isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("Dimension out of range (expected to be in range of [-2, 1], but got 5)");
        assertThatThrownBy(() -> Torch.ones(2, 3).narrow(1, 2, 2)).hasMessage("start (2) + length (2) exceeds dimension size (3).");
        assertThatThrownBy(() -> Torch.ones(2, 3).permute(0, 0)).hasMessage("permute(): duplicate dims are not allowed.");
        assertThatThrownBy(() -> Torch.ones(2, 3).expand(3, 3))
                .hasMessage("The expanded size of the tensor (3) must match the existing size (2) at non-singleton dimension 0.  "
                        + "Target sizes: [3, 3].  Tensor sizes: [2, 3]");
        assertThatThrownBy(() -> Torch.zeros(1, 1).expand(2, -2))
                .hasMessage("The expanded size of the tensor (-2) must be -1 or non-negative at dimension 1.  "
                        + "Target sizes: [2, -2].  Tensor sizes: [1, 1]");
        assertThatThrownBy(() -> Torch.zeros(0).max())
                .hasMessage("max(): Expected reduction dim to be specified for input.numel() == 0. "
                        + "Specify the reduction dim with the 'dim' argument.");
    }

    @Test
    void raggedNestedArrays() {
        assertThatThrownBy(() -> Torch.tensor(new double[][] {{1, 2}, {3}}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected sequence of length 2 at dim 1 (got 1)");
    }

    // ---------------------------------------------------------------- no internals leak

    @Provide
    Arbitrary<int[]> shapes() {
        return Arbitraries.integers().between(0, 4).array(int[].class).ofMinSize(0).ofMaxSize(3);
    }

    /**
     * Random shapes and arguments, mostly wrong: every failure must be one of the two exception
     * types the API documents, with a message, never an array index or cast error from inside.
     */
    @Property(tries = 400)
    void badArgumentsGiveApiErrorsNotInternalOnes(@ForAll("shapes") int[] sa, @ForAll("shapes") int[] sb, @ForAll long seed) {
        Random r = new Random(seed);
        Tensor a = Torch.zeros(sa);
        Tensor b = Torch.ones(sb);
        int op = r.nextInt(17);
        int i = r.nextInt(9) - 4, j = r.nextInt(9) - 4, k = r.nextInt(9) - 4;
        String what = "op " + op + " on " + Arrays.toString(sa) + ", " + Arrays.toString(sb) + " args " + i + "," + j + "," + k;
        try {
            Tensor res;
            switch (op) {
                case 0: res = a.add(b); break;
                case 1: res = a.mm(b); break;
                case 2: res = a.matmul(b); break;
                case 3: res = a.view(sb); break;
                case 4: res = a.reshape(i, j); break;
                case 5: res = a.expand(sb); break;
                case 6: res = Torch.cat(i, a, b); break;
                case 7: res = a.select(i, j); break;
                case 8: res = a.narrow(i, j, k); break;
                case 9: res = a.sum(i, r.nextBoolean()); break;
                case 10: res = a.transpose(i, j); break;
                case 11: res = a.permute(Arrays.copyOf(new int[] {i, j, k}, sb.length)); break;
                case 12: res = a.max(i, r.nextBoolean()).values(); break;
                case 13: res = a.sum(new int[] {i, j}, false); break;
                case 14: res = a.copy_(b); break;
                case 15: res = a.unsqueeze(i).squeeze(j); break;
                default: res = a.expand(i, j); break;
            }
            assertThat(Arrays.stream(res.shape()).min().orElse(0)).as(what + " gave shape " + Arrays.toString(res.shape())).isNotNegative();
            assertThat(res.toDoubleArray()).as(what).hasSize(res.numel());
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            assertThat(e).as(what).isNotInstanceOf(ArrayIndexOutOfBoundsException.class);
            assertThat(e.getMessage()).as(what + ": " + e).isNotBlank();
        } catch (RuntimeException e) {
            throw new AssertionError(what + " threw an internal " + e, e);
        }
    }
}
