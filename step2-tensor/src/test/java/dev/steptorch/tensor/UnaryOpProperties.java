package dev.steptorch.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every row of the op catalog on the CPU: the result's dtype follows the op's rule, and every
 * element is the oracle's value of the input element (rounded to the result's dtype, within the
 * row's ulps), for contiguous and transposed inputs of every dtype the op takes.
 */
class UnaryOpProperties {
    @Provide
    Arbitrary<OpCatalog.Unary> rows() {
        return Arbitraries.of(OpCatalog.UNARY);
    }

    @Property(tries = 150)
    void elementwiseAsTheOracle(@ForAll("rows") OpCatalog.Unary row, @ForAll DType dtype, @ForAll boolean transposed,
                                @ForAll long seed) {
        if (!row.dtypes().contains(dtype)) {
            return;
        }
        Random r = new Random(seed);
        int[] shape = {1 + r.nextInt(4), 1 + r.nextInt(5)};
        Tensor x = OpCatalog.draw(row.domain(), r, shape, dtype);
        if (transposed) {
            x = x.t();
        }
        Tensor y = Torch.unary(row.op(), x, null);
        assertThat(y.dtype()).as("%s of %s", row, dtype).isEqualTo(row.op().resultType(dtype));
        assertThat(y.shape()).containsExactly(x.shape());
        double[] in = x.toDoubleArray();
        double[] out = y.toDoubleArray();
        for (int i = 0; i < in.length; i++) {
            double want = row.oracle().applyAsDouble(in[i]);
            double ulp = y.dtype() == DType.FLOAT32 ? Math.ulp((float) want) : Math.ulp(want);
            if (y.dtype() == DType.FLOAT32) {
                want = (float) want;
            }
            assertThat(out[i]).as("%s(%s) of %s", row, in[i], dtype).isCloseTo(want, within(row.ulps() * ulp));
        }
    }

    @Property(tries = 40)
    void outEqualsTheReturnedTensor(@ForAll("rows") OpCatalog.Unary row, @ForAll long seed) {
        Random r = new Random(seed);
        Tensor x = OpCatalog.draw(row.domain(), r, new int[] {3, 2}, DType.FLOAT32);
        Tensor out = Torch.empty(3, 2);
        Tensor returned = Torch.unary(row.op(), x, out);
        assertThat(returned).isSameAs(out);
        assertThat(out.equal(Torch.unary(row.op(), x, null))).as("%s with out=", row).isTrue();
    }
}
