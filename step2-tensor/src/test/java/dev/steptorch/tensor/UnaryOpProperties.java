package dev.steptorch.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

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

    /**
     * -x, |x| and sqrt on float32 rows have loops of their own (at the row's offset and at
     * another, as a slice's result is written at 0): each number must be exactly the float of the
     * double result, as on every other path, NaN and -0.0 included; and into an out= laid out
     * unlike the input. Long enough, the rows are cut across threads at offsets inside the tensor.
     */
    @Property(tries = 60)
    void floatRowsOfTheirOwnAreTheDoubleResultRounded(@ForAll("ownLoops") UnaryOp op, @ForAll("lengths") int n,
                                                      @ForAll @IntRange(min = 0, max = 17) int offset, @ForAll long seed) {
        Random r = new Random(seed);
        float[] values = new float[offset + n];
        for (int i = 0; i < values.length; i++) {
            values[i] = r.nextInt(20) == 0 ? -0.0f : r.nextInt(20) == 0 ? Float.NaN : (float) (8 * r.nextGaussian());
        }
        Tensor whole = Torch.tensor(values);
        Tensor slice = whole.narrow(0, offset, n);
        for (Tensor x : new Tensor[] {slice, slice.contiguous()}) {
            float[] got = Torch.unary(op, x, null).toFloatArray();
            for (int i = 0; i < n; i++) {
                float want = (float) op.apply((double) values[offset + i]);
                // the bits, NaN made canonical: -0.0 is not 0.0 here
                assertThat(Float.floatToIntBits(got[i])).as("%s(%s) = %s at %d of %d, offset %d", op, values[offset + i],
                        got[i], i, n, x.storageOffset()).isEqualTo(Float.floatToIntBits(want));
            }
        }
        // a transposed input into a contiguous out=: the two rows step through memory differently
        int rows = n / 2;
        if (rows > 0) {
            Tensor out = Torch.empty(2, rows);
            Torch.unary(op, slice.narrow(0, 0, 2 * rows).view(rows, 2).t(), out);
            float[] got = out.toFloatArray();
            for (int i = 0; i < 2 * rows; i++) {
                float want = (float) op.apply((double) values[offset + (i % rows) * 2 + i / rows]);
                assertThat(Float.floatToIntBits(got[i])).as("%s into out= at %d of %d", op, i, 2 * rows)
                        .isEqualTo(Float.floatToIntBits(want));
            }
        }
    }

    @Provide
    Arbitrary<UnaryOp> ownLoops() {
        return Arbitraries.of(UnaryOp.NEG, UnaryOp.ABS, UnaryOp.SQRT);
    }

    @Provide
    Arbitrary<Integer> lengths() {
        return Arbitraries.oneOf(Arbitraries.integers().between(1, 70), Arbitraries.integers().between(70_000, 140_000));
    }
}
