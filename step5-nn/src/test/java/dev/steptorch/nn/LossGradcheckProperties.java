package dev.steptorch.nn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steptorch.function.GradCheck;
import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The hand-written backward of every loss, for every reduction, agrees with central differences
 * (float64) on random shapes and values. Values stay away from the places where a loss has no
 * derivative or where PyTorch's clamps take over (BCE's probabilities of 0 and 1).
 */
class LossGradcheckProperties {
    private static final Options F64 = Options.dtype(DType.FLOAT64).withRequiresGrad(true);

    @Property(tries = 15)
    void mseLoss(@ForAll Reduction reduction, @ForAll long seed) {
        Random r = new Random(seed);
        int[] shape = randomShape(r);
        Tensor input = uniform(r, shape, -2, 2);
        Tensor target = uniform(r, shape, -2, 2);
        assertThat(GradCheck.gradcheck(x -> Losses.mseLoss(x[0], x[1], reduction), input, target)).isTrue();
    }

    @Property(tries = 15)
    void nllLoss(@ForAll Reduction reduction, @ForAll long seed) {
        Random r = new Random(seed);
        int n = 1 + r.nextInt(5);
        int c = 1 + r.nextInt(5);
        Tensor input = uniform(r, new int[] {n, c}, -3, 0);
        Tensor target = classes(r, n, c);
        assertThat(GradCheck.gradcheck(x -> Losses.nllLoss(x[0], x[1], reduction), input, target)).isTrue();
    }

    @Property(tries = 15)
    void crossEntropy(@ForAll Reduction reduction, @ForAll long seed) {
        Random r = new Random(seed);
        int n = 1 + r.nextInt(5);
        int c = 1 + r.nextInt(5);
        Tensor input = uniform(r, new int[] {n, c}, -4, 4);
        Tensor target = classes(r, n, c);
        assertThat(GradCheck.gradcheck(x -> Losses.crossEntropy(x[0], x[1], reduction), input, target)).isTrue();
    }

    @Property(tries = 15)
    void logSoftmaxAlongEitherDim(@ForAll long seed) {
        Random r = new Random(seed);
        int dim = r.nextInt(2);
        Tensor input = uniform(r, new int[] {1 + r.nextInt(4), 1 + r.nextInt(4)}, -4, 4);
        assertThat(GradCheck.gradcheck(x -> F.logSoftmax(x[0], dim), input)).isTrue();
    }

    @Property(tries = 15)
    void bceLoss(@ForAll Reduction reduction, @ForAll long seed) {
        Random r = new Random(seed);
        int[] shape = randomShape(r);
        Tensor input = uniform(r, shape, 0.05, 0.95);
        Tensor target = uniform(r, shape, 0, 1);
        assertThat(GradCheck.gradcheck(x -> Losses.bceLoss(x[0], x[1], reduction), input, target)).isTrue();
    }

    /** One to three dims of 1 to 4. */
    private static int[] randomShape(Random r) {
        int[] shape = new int[1 + r.nextInt(3)];
        for (int d = 0; d < shape.length; d++) {
            shape[d] = 1 + r.nextInt(4);
        }
        return shape;
    }

    private static Tensor uniform(Random r, int[] shape, double lo, double hi) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + (hi - lo) * r.nextDouble();
        }
        return Torch.tensor(v, Options.dtype(DType.FLOAT64)).reshape(shape).contiguous().requiresGrad_(F64.requiresGrad());
    }

    private static Tensor classes(Random r, int n, int c) {
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            t[i] = r.nextInt(c);
        }
        return Torch.tensor(t);
    }
}
