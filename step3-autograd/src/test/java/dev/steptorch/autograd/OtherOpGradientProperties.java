package dev.steptorch.autograd;

import static dev.steptorch.autograd.NumericalCheck.check;
import static dev.steptorch.autograd.NumericalCheck.numel;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steptorch.autograd.NumericalCheck.Arg;
import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.OpCatalog;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The backward of every op of {@link OpCatalog#OTHER} (statistics, indexing, products and the
 * composites) against central differences in float64, and prod's gradient where the input has
 * zeros, which the catalog's domain avoids.
 */
class OtherOpGradientProperties {
    /** Inputs of an OTHER row of the catalog, drawn from its domain. */
    static Arg[] args(OpCatalog.Other row, Random r) {
        Arg[] args = new Arg[row.shapes().length];
        for (int i = 0; i < args.length; i++) {
            args[i] = OpGradientProperties.arg(row.domain(), r, row.shapes()[i]);
        }
        return args;
    }

    @Provide
    Arbitrary<OpCatalog.Other> otherRows() {
        return Arbitraries.of(OpCatalog.OTHER);
    }

    /** Statistics, indexing, products and composites: their rows, or the rows of the ops they are made of. */
    @Property(tries = 200)
    void otherOpsOfTheCatalog(@ForAll("otherRows") OpCatalog.Other row, @ForAll long seed) {
        Random r = new Random(seed);
        check(row.toString(), r, row.op()::apply, args(row, r));
    }

    /** prod's gradient is the product of the other elements, also where one or more of them are 0. */
    @Property(tries = 40)
    void prodWithZeros(@ForAll boolean overDim, @ForAll long seed) {
        Random r = new Random(seed);
        int[] s = {2 + r.nextInt(3), 2 + r.nextInt(3)};
        double[] v = NumericalCheck.normal(r, numel(s));
        int zeros = 1 + r.nextInt(2);
        for (int k = 0; k < zeros; k++) {
            v[r.nextInt(v.length)] = 0;
        }
        Tensor x = Torch.tensor(v, dev.steptorch.tensor.Options.dtype(DType.FLOAT64)).view(s).requiresGrad_(true);
        Tensor y = overDim ? x.prod(1, false) : x.prod();
        y.backward(Torch.onesLike(y));
        double[] grad = x.grad().toDoubleArray();
        for (int i = 0; i < v.length; i++) {
            double others = 1;
            int row = i / s[1];
            for (int j = 0; j < v.length; j++) {
                if (j != i && (!overDim || j / s[1] == row)) {
                    others *= v[j];
                }
            }
            assertThat(grad[i]).as("d prod / d x[%d] of %s", i, Arrays.toString(v)).isCloseTo(others,
                    org.assertj.core.data.Offset.offset(1e-12 * Math.max(1, Math.abs(others))));
        }
    }
}
