package dev.steptorch.autograd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Device;
import dev.steptorch.tensor.OpCatalog;
import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.util.Arrays;
import java.util.Random;

/**
 * The gradient check of every op test: backward's answer must agree with a central difference.
 * A function of tensors is turned into the scalar {@code f(x) = sum(op(x) * W)} with random
 * weights {@code W}; then for each input a random direction {@code V} gives two numbers that must
 * match, {@code grad . V} from backward and {@code (f(x + eps V) - f(x - eps V)) / (2 eps)}.
 * Values travel as plain double arrays, so nothing on the numerical side uses autograd, and the
 * random numbers come from a seeded {@link Random} that jqwik controls.
 */
final class NumericalCheck {
    static final double EPS = 1e-6;
    static final double RTOL = 1e-6;
    static final double ATOL = 1e-8;

    private NumericalCheck() {
    }

    /** The op under test, applied to tensors standing for the inputs. */
    interface Fn {
        Tensor apply(Tensor[] x);
    }

    /** One input's values, row-major, with its shape. */
    record Arg(int[] shape, double[] values) {
        Tensor tensor(DType dtype, Device device) {
            // clone: a fresh tensor, not a reshape view of the 1-D literal
            return Torch.tensor(values.clone(), Options.of(dtype, device)).reshape(shape).clone();
        }

        Arg plus(double scale, double[] direction) {
            double[] v = values.clone();
            for (int i = 0; i < v.length; i++) {
                v[i] += scale * direction[i];
            }
            return new Arg(shape, v);
        }

        @Override
        public String toString() {
            return Arrays.toString(shape) + "=" + Arrays.toString(values);
        }
    }

    static void check(String what, Random r, Fn fn, Arg... args) {
        check(what, r, EPS, RTOL, ATOL, fn, args);
    }

    /** Runs backward once, then compares each input's gradient with a central difference along a random direction. */
    static void check(String what, Random r, double eps, double rtol, double atol, Fn fn, Arg... args) {
        Tensor out;
        Tensor[] leaves = new Tensor[args.length];
        for (int i = 0; i < args.length; i++) {
            leaves[i] = args[i].tensor(DType.FLOAT64, Device.CPU).requiresGrad_(true);
        }
        out = fn.apply(leaves);
        assertThat(out.requiresGrad()).as("%s: result records a graph", what).isTrue();
        double[] w = normal(r, out.numel());
        double[][] grads = gradients(out, leaves, w);

        for (int i = 0; i < args.length; i++) {
            double[] v = normal(r, args[i].values().length);
            double analytic = 0;
            double magnitude = 0;
            for (int j = 0; j < v.length; j++) {
                analytic += grads[i][j] * v[j];
                magnitude += Math.abs(grads[i][j] * v[j]);
            }
            double up = value(fn, replaced(args, i, args[i].plus(eps, v)), w);
            double down = value(fn, replaced(args, i, args[i].plus(-eps, v)), w);
            double numeric = (up - down) / (2 * eps);
            // relative to the larger of the result and the terms summed into it, so that a
            // directional derivative that cancels to near zero is not held to an impossible bound
            double tolerance = rtol * Math.max(Math.abs(numeric), magnitude) + atol;
            assertThat(Math.abs(analytic - numeric))
                    .as("%s: input %d, analytic %s vs numeric %s; inputs %s", what, i, analytic, numeric, Arrays.toString(args))
                    .isLessThanOrEqualTo(tolerance);
        }
    }

    /**
     * Backpropagates {@code W} from {@code out} and returns each leaf's gradient as doubles (zeros
     * where backward left none), after checking that it has the leaf's shape, dtype and device.
     */
    static double[][] gradients(Tensor out, Tensor[] leaves, double[] w) {
        Tensor weights = new Arg(out.shape(), w).tensor(out.dtype(), out.device());
        out.mul(weights).sum().backward();
        double[][] grads = new double[leaves.length][];
        for (int i = 0; i < leaves.length; i++) {
            Tensor g = leaves[i].grad();
            if (g == null) {
                grads[i] = new double[leaves[i].numel()];
                continue;
            }
            assertThat(g.shape()).as("shape of grad %d", i).isEqualTo(leaves[i].shape());
            assertThat(g.dtype()).as("dtype of grad %d", i).isEqualTo(leaves[i].dtype());
            assertThat(g.device()).as("device of grad %d", i).isEqualTo(leaves[i].device());
            grads[i] = g.toDoubleArray();
        }
        return grads;
    }

    /** {@code f(x) = sum(op(x) * W)}, summed here in double from the op's values, with no graph recorded. */
    private static double value(Fn fn, Arg[] args, double[] w) {
        try (var ignored = GradMode.noGrad()) {
            Tensor[] x = new Tensor[args.length];
            for (int i = 0; i < args.length; i++) {
                x[i] = args[i].tensor(DType.FLOAT64, Device.CPU);
            }
            double[] y = fn.apply(x).toDoubleArray();
            double f = 0;
            for (int i = 0; i < y.length; i++) {
                f += y[i] * w[i];
            }
            return f;
        }
    }

    private static Arg[] replaced(Arg[] args, int i, Arg arg) {
        Arg[] copy = args.clone();
        copy[i] = arg;
        return copy;
    }

    // =====================================================================================
    // Inputs: shapes and values kept away from kinks
    // =====================================================================================

    static double[] normal(Random r, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextGaussian();
        }
        return v;
    }

    static int numel(int[] shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        return n;
    }

    /** Rank 0 to {@code maxRank}, every size 1 to 4. */
    static int[] shape(Random r, int maxRank) {
        int[] s = new int[r.nextInt(maxRank + 1)];
        for (int d = 0; d < s.length; d++) {
            s[d] = 1 + r.nextInt(4);
        }
        return s;
    }

    /** A shape that broadcasts against {@code shape}: some leading dims dropped, some sizes turned into 1. */
    static int[] partner(Random r, int[] shape) {
        int drop = r.nextInt(shape.length + 1);
        int[] p = Arrays.copyOfRange(shape, drop, shape.length);
        for (int d = 0; d < p.length; d++) {
            if (r.nextInt(3) == 0) {
                p[d] = 1;
            }
        }
        return p;
    }

    // The input generators are the op catalog's domains (step 2's test fixture), as Args.

    static Arg uniform(Random r, int[] shape, double lo, double hi) {
        return new Arg(shape, OpCatalog.uniform(lo, hi).draw(r, numel(shape)));
    }

    /** Magnitudes in [lo, hi] with random signs: away from 0, the kink of abs and the pole of 1/x. */
    static Arg awayFromZero(Random r, int[] shape, double lo, double hi) {
        return new Arg(shape, OpCatalog.awayFromZero(lo, hi).draw(r, numel(shape)));
    }

    /** Values near {@code 0.2 k + shift}: tensors with shifts 0 and 0.1 never tie. */
    static Arg lattice(Random r, int[] shape, double shift) {
        return new Arg(shape, OpCatalog.lattice(shift).draw(r, numel(shape)));
    }

    /** Pairwise different values, at least 0.08 apart: a unique maximum along every dim. */
    static Arg distinct(Random r, int[] shape) {
        return new Arg(shape, OpCatalog.distinct().draw(r, numel(shape)));
    }

    static boolean[] mask(Random r, int n) {
        boolean[] m = new boolean[n];
        for (int i = 0; i < n; i++) {
            m[i] = r.nextBoolean();
        }
        return m;
    }

    static Tensor maskTensor(Random r, int[] shape) {
        return Torch.tensor(mask(r, numel(shape)), Options.of(DType.BOOL, Device.CPU)).reshape(shape).clone();
    }
}
