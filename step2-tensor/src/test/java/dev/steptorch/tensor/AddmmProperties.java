package dev.steptorch.tensor;

import static dev.steptorch.tensor.ReductionMatmulProperties.checkProduct;
import static dev.steptorch.tensor.ReductionMatmulProperties.randomValues;
import static dev.steptorch.tensor.ReductionMatmulProperties.transpose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@code addmm}: {@code input + a @ b}. In place on a tensor laid out as a fresh one, the CPU
 * kernels sum the product straight into it (autograd adds weight gradients that way); every other
 * layout goes through {@code mm} and {@code add}, and must give exactly their numbers.
 */
class AddmmProperties {
    @Provide
    Arbitrary<Integer> sizes() {
        return Arbitraries.of(1, 2, 3, 5, 8, 13, 17, 48, 64, 65, 100);
    }

    @Provide
    Arbitrary<DType> floatOrLong() {
        return Arbitraries.of(DType.FLOAT32, DType.FLOAT64, DType.INT64);
    }

    @Property(tries = 80)
    void inPlaceSumsTheProductIntoWhatSelfHeld(@ForAll("sizes") int m, @ForAll("sizes") int k, @ForAll("sizes") int n,
                                              @ForAll("floatOrLong") DType dtype, @ForAll boolean transA,
                                              @ForAll boolean transB, @ForAll long seed) {
        Random r = new Random(seed);
        Options o = Options.dtype(dtype);
        double[] a = randomValues(m * k, dtype, r), b = randomValues(k * n, dtype, r), held = randomValues(m * n, dtype, r);
        Tensor ta = transA ? Torch.tensor(transpose(a, m, k), o).view(k, m).t() : Torch.tensor(a, o).view(m, k);
        Tensor tb = transB ? Torch.tensor(transpose(b, k, n), o).view(n, k).t() : Torch.tensor(b, o).view(k, n);
        Tensor self = Torch.tensor(held, o).view(m, n);
        assertThat(self.addmm_(ta, tb)).isSameAs(self);
        double[] got = self.toDoubleArray();
        double[] added = new double[got.length];
        for (int i = 0; i < got.length; i++) {
            added[i] = got[i] - held[i];
        }
        checkProduct(added, a, k, 1, b, n, 1, m, k, n, dtype, "self.addmm_(a, b) - self");
    }

    /** A transposed self, a slice of a bigger tensor, self as an operand, out=, a broadcast input: mm, then add. */
    @Property(tries = 40)
    void otherLayoutsAreMmThenAdd(@ForAll("sizes") int m, @ForAll("sizes") int n, @ForAll("floatOrLong") DType dtype,
                                  @ForAll long seed) {
        Random r = new Random(seed);
        Options o = Options.dtype(dtype);
        int k = n; // so that self can also be a
        Tensor a = Torch.tensor(randomValues(m * k, dtype, r), o).view(m, k);
        Tensor b = Torch.tensor(randomValues(k * n, dtype, r), o).view(k, n);
        Tensor product = a.mm(b);

        Tensor transposed = Torch.tensor(randomValues(m * n, dtype, r), o).view(n, m).t();
        double[] want = transposed.add(product).toDoubleArray();
        assertThat(transposed.addmm_(a, b).toDoubleArray()).as("transposed self").containsExactly(want);

        Tensor slice = Torch.tensor(randomValues((m + 1) * n, dtype, r), o).view(m + 1, n).slice(0, 1, m + 1, 1);
        want = slice.add(product).toDoubleArray();
        assertThat(slice.addmm_(a, b).toDoubleArray()).as("self at an offset").containsExactly(want);

        Tensor self = a.clone();
        want = self.add(self.mm(b)).toDoubleArray();
        assertThat(self.addmm_(self, b).toDoubleArray()).as("self is mat1").containsExactly(want);

        Tensor input = Torch.tensor(randomValues(n, dtype, r), o);
        double[] before = input.toDoubleArray();
        Tensor out = Torch.empty(o, m, n);
        assertThat(Torch.addmm(input, a, b, out)).isSameAs(out);
        assertThat(out.toDoubleArray()).as("out=, input a row").containsExactly(input.add(product).toDoubleArray());
        assertThat(input.addmm(a, b).toDoubleArray()).as("input a row").containsExactly(input.add(product).toDoubleArray());
        assertThat(input.toDoubleArray()).as("the input is left alone").containsExactly(before);
    }

    @Example
    void badCallsSayWhatIsWrongAsPyTorchDoes() {
        Tensor a = Torch.randn(2, 3), b = Torch.randn(3, 5);
        assertThatThrownBy(() -> Torch.randn(1, 5).addmm_(a, b))
                .hasMessage("Bad in-place call: input tensor size [1, 5] and output tensor size [2, 5] should match");
        assertThatThrownBy(() -> Torch.randn(3).addmm(a, b)).hasMessageContaining("The expanded size of the tensor (5)");
        assertThatThrownBy(() -> Torch.randn(2, 5).addmm(a, b.to(DType.FLOAT64)))
                .hasMessage("self and mat2 must have the same dtype");
        assertThatThrownBy(() -> Torch.randn(2, 5).addmm(a.to(DType.FLOAT64), b))
                .hasMessage("mat1 and mat2 must have the same dtype");
        assertThatThrownBy(() -> Torch.randn(2, 5).addmm(a, Torch.randn(4, 5)))
                .hasMessage("mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)");
        assertThatThrownBy(() -> Torch.randn(2, 5).addmm(a.view(6), b)).hasMessage("mat1 must be a matrix, got 1-D tensor");
        assertThatThrownBy(() -> Torch.addmm(Torch.randn(2, 5), a, b, Torch.empty(Options.dtype(DType.FLOAT64), 2, 5)))
                .hasMessage("Expected out tensor to have dtype float, but got double instead");
    }
}
