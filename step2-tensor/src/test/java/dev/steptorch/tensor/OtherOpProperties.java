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
 * The ops of {@link OpCatalog#OTHER} (values against PyTorch are in TorchReferenceTest): they
 * read their inputs through the strides, so the same values laid out in reverse dim order give
 * the same result, in both float dtypes, and the result keeps the input's dtype.
 */
class OtherOpProperties {
    @Provide
    Arbitrary<OpCatalog.Other> rows() {
        return Arbitraries.of(OpCatalog.OTHER);
    }

    @Property(tries = 200)
    void stridedInputsGiveTheSameResult(@ForAll("rows") OpCatalog.Other row, @ForAll boolean float64, @ForAll long seed) {
        Random r = new Random(seed);
        DType dtype = float64 ? DType.FLOAT64 : DType.FLOAT32;
        Tensor[] plain = new Tensor[row.shapes().length];
        Tensor[] strided = new Tensor[plain.length];
        for (int i = 0; i < plain.length; i++) {
            plain[i] = OpCatalog.draw(row.domain(), r, row.shapes()[i], dtype);
            strided[i] = reversedLayout(plain[i]);
        }
        Tensor want = row.op().apply(plain);
        Tensor got = row.op().apply(strided);
        assertThat(want.dtype()).as("%s keeps the dtype", row).isEqualTo(dtype);
        assertThat(got.shape()).as("%s", row).containsExactly(want.shape());
        double[] w = want.toDoubleArray();
        double[] g = got.toDoubleArray();
        double rtol = float64 ? 1e-12 : 1e-5;
        for (int i = 0; i < w.length; i++) {
            assertThat(g[i]).as("%s at %d", row, i).isCloseTo(w[i], within(rtol * Math.max(1, Math.abs(w[i]))));
        }
    }

    /**
     * where and masked_fill choose element by element, on rows long enough for the CPU's vector
     * loop and its tail, and on views that start inside their storage.
     */
    @Property(tries = 60)
    void whereAndMaskedFillChooseElementByElement(@ForAll @IntRange(min = 1, max = 70) int n, @ForAll boolean inside,
                                                  @ForAll long seed) {
        Torch.manualSeed(seed);
        int start = inside ? 1 : 0;
        Tensor a = Torch.randn(n + 1).narrow(0, start, n);
        Tensor b = Torch.randn(n + 1).narrow(0, start, n);
        Tensor mask = Torch.randn(n + 1).gt(0).narrow(0, start, n);
        double[] x = a.toDoubleArray(), y = b.toDoubleArray(), m = mask.toDoubleArray();
        double[] where = Torch.where(mask, a, b).toDoubleArray();
        double[] filled = a.maskedFill(mask, 2.5).toDoubleArray();
        for (int i = 0; i < n; i++) {
            assertThat(where[i]).as("where at %d of %d", i, n).isEqualTo(m[i] != 0 ? x[i] : y[i]);
            assertThat(filled[i]).as("masked_fill at %d of %d", i, n).isEqualTo(m[i] != 0 ? 2.5 : x[i]);
        }
    }

    /**
     * ReLU's backward pass, threshold_backward(grad, output, 0), on float32 rows with the outputs
     * a ReLU gives (zeros of both signs, NaN) and views that start inside their storage: the
     * gradient where the output is above 0 or NaN, else 0, in the vector loop and its tail alike.
     */
    @Property(tries = 60)
    void thresholdBackwardPassesTheGradientWhereTheOutputIsPositive(@ForAll @IntRange(min = 1, max = 70) int n,
                                                                     @ForAll boolean inside, @ForAll long seed) {
        Random r = new Random(seed);
        float[] grad = new float[n + 1], out = new float[n + 1];
        for (int i = 0; i <= n; i++) {
            int pick = r.nextInt(6);
            out[i] = pick == 0 ? Float.NaN : pick == 1 ? -0.0f : pick == 2 ? 0f : (float) r.nextGaussian();
            grad[i] = (float) r.nextGaussian();
        }
        int start = inside ? 1 : 0;
        double[] got = Torch.thresholdBackward(Torch.tensor(grad).narrow(0, start, n), Torch.tensor(out).narrow(0, start, n), 0)
                .toDoubleArray();
        for (int i = 0; i < n; i++) {
            float y = out[start + i];
            assertThat(got[i]).as("element %d of %d, output %s", i, n, y).isEqualTo(y <= 0 ? 0.0 : grad[start + i]);
        }
    }

    /**
     * A float32 row against a scalar, the comparisons a ReLU's gradient makes (the CPU has a loop
     * of its own for them): each element as Java compares two floats (NaN unordered, -0.0 equal
     * to 0.0), on views that start inside their storage.
     */
    @Property(tries = 60)
    void comparisonsWithAScalarAgreeWithJavaOnEveryElement(@ForAll @IntRange(min = 1, max = 70) int n,
                                                           @ForAll boolean inside, @ForAll long seed) {
        Random r = new Random(seed);
        float[] values = new float[n + 1];
        for (int i = 0; i < values.length; i++) {
            // ties with the scalar, both zeros and NaN are common
            int pick = r.nextInt(8);
            values[i] = pick == 0 ? Float.NaN : pick == 1 ? -0.0f : pick == 2 ? 0.5f : (float) r.nextGaussian();
        }
        int start = inside ? 1 : 0;
        Tensor a = Torch.tensor(values).narrow(0, start, n);
        for (float c : new float[] {0f, 0.5f}) {
            boolean[] eq = a.eq(c).toBooleanArray(), ne = a.ne(c).toBooleanArray(), lt = a.lt(c).toBooleanArray();
            boolean[] le = a.le(c).toBooleanArray(), gt = a.gt(c).toBooleanArray(), ge = a.ge(c).toBooleanArray();
            for (int i = 0; i < n; i++) {
                float x = values[start + i];
                String at = "element " + i + " of " + n + ", " + x + " against " + c;
                assertThat(eq[i]).as("eq, " + at).isEqualTo(x == c);
                assertThat(ne[i]).as("ne, " + at).isEqualTo(x != c);
                assertThat(lt[i]).as("lt, " + at).isEqualTo(x < c);
                assertThat(le[i]).as("le, " + at).isEqualTo(x <= c);
                assertThat(gt[i]).as("gt, " + at).isEqualTo(x > c);
                assertThat(ge[i]).as("ge, " + at).isEqualTo(x >= c);
            }
        }
    }

    /** The same values with the dims stored in reverse order: a non-contiguous view for rank 2 and up. */
    private static Tensor reversedLayout(Tensor t) {
        int[] reverse = new int[t.dim()];
        for (int d = 0; d < reverse.length; d++) {
            reverse[d] = reverse.length - 1 - d;
        }
        return t.permute(reverse).contiguous().permute(reverse);
    }
}
