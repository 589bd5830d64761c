package dev.steptorch.ndarray;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steptorch.ndarray.lessons.WarmupNumpy;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The course's first gradient check: the hand-written backward pass of the warm-up network against
 * central differences of the loss, in float64, on random small sizes.
 */
class WarmupGradientProperties {
    private static final double EPS = 1e-6;

    @Property(tries = 60)
    void handWrittenGradientsMatchCentralDifferences(@ForAll @IntRange(min = 1, max = 5) int n,
                                                     @ForAll @IntRange(min = 1, max = 6) int dIn,
                                                     @ForAll @IntRange(min = 1, max = 6) int h,
                                                     @ForAll @IntRange(min = 1, max = 4) int dOut,
                                                     @ForAll long seed) {
        NDRandom random = new NDRandom(seed);
        NDArray x = random.randn(n, dIn);
        NDArray y = random.randn(n, dOut);
        NDArray w1 = random.randn(dIn, h);
        NDArray w2 = random.randn(h, dOut);
        WarmupNumpy.Pass pass = WarmupNumpy.forwardBackward(x, y, w1, w2);
        // Stay away from the ReLU kink, where the loss has no derivative.
        Assume.that(NumPy.abs(pass.h()).min().item() > 1e-3);

        assertThat(relativeError(pass.gradW1(), numericGradient(w1, () -> WarmupNumpy.forwardBackward(x, y, w1, w2).loss().item())))
                .isLessThan(1e-6);
        assertThat(relativeError(pass.gradW2(), numericGradient(w2, () -> WarmupNumpy.forwardBackward(x, y, w1, w2).loss().item())))
                .isLessThan(1e-6);
    }

    /** (f(w + eps e_i) - f(w - eps e_i)) / 2 eps for every element i of w, perturbing w in place. */
    static NDArray numericGradient(NDArray w, java.util.function.DoubleSupplier loss) {
        NDArray grad = NumPy.zerosLike(w);
        for (int i = 0; i < w.size(); i++) {
            double old = w.item(i);
            w.itemset(old + EPS, i);
            double plus = loss.getAsDouble();
            w.itemset(old - EPS, i);
            double minus = loss.getAsDouble();
            w.itemset(old, i);
            grad.itemset((plus - minus) / (2 * EPS), i);
        }
        return grad;
    }

    /** ||a - b|| / (||a|| + ||b||), the usual relative error of a gradient check (0 when both vanish). */
    static double relativeError(NDArray a, NDArray b) {
        double diff = Math.sqrt(NumPy.square(a.sub(b)).sum().item());
        double scale = Math.sqrt(NumPy.square(a).sum().item()) + Math.sqrt(NumPy.square(b).sum().item());
        return scale == 0 ? 0 : diff / scale;
    }
}
