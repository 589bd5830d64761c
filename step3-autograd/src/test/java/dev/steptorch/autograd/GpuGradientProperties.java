package dev.steptorch.autograd;

import static dev.steptorch.autograd.NumericalCheck.awayFromZero;
import static dev.steptorch.autograd.NumericalCheck.distinct;
import static dev.steptorch.autograd.NumericalCheck.lattice;
import static dev.steptorch.autograd.NumericalCheck.maskTensor;
import static dev.steptorch.autograd.NumericalCheck.partner;
import static dev.steptorch.autograd.NumericalCheck.shape;
import static dev.steptorch.autograd.NumericalCheck.uniform;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steptorch.autograd.NumericalCheck.Arg;
import dev.steptorch.autograd.NumericalCheck.Fn;
import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Device;
import dev.steptorch.tensor.GpuRequired;
import dev.steptorch.tensor.OpCatalog;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * The backward formulas run on the GPU too: for a representative set of ops, float32 gradients
 * computed on the GPU match the float64 gradients the CPU computes from the same (float32) inputs
 * and the same weights. The CPU side is the one {@link OpGradientProperties} checks against
 * central differences, so agreement here means the GPU gradients are right as well.
 */
@AddLifecycleHook(GpuRequired.class)
class GpuGradientProperties {
    private static final double RTOL = 1e-4;
    private static final double ATOL = 1e-5;

    /** A representative op per family: broadcasting, saved inputs and results, reductions, mm, views, in place. */
    enum Op {
        ADD, MUL, DIV, MAXIMUM, POW_SCALAR, EXP, LOG, CLAMP, WHERE, SUM_DIMS, MEAN, MAX_DIM, MM, TRANSPOSE_CONTIGUOUS,
        SELECT, CAT, EXPAND, IN_PLACE_MUL;

        void check(Random r) {
            int[] full = shape(r, 3);
            int[] other = partner(r, full);
            switch (this) {
                case ADD -> matches(name(), r, x -> x[0].add(x[1]), uniform(r, full, -2, 2), uniform(r, other, -2, 2));
                case MUL -> matches(name(), r, x -> x[0].mul(x[1]), uniform(r, other, -2, 2), uniform(r, full, -2, 2));
                case DIV -> matches(name(), r, x -> x[0].div(x[1]), uniform(r, full, -2, 2), awayFromZero(r, other, 0.5, 2));
                case MAXIMUM -> matches(name(), r, x -> x[0].maximum(x[1]), lattice(r, full, 0), lattice(r, other, 0.1));
                case POW_SCALAR -> matches(name(), r, x -> x[0].pow(-1.5), uniform(r, full, 0.5, 2));
                case EXP -> matches(name(), r, x -> x[0].exp(), uniform(r, full, -2, 2));
                case LOG -> matches(name(), r, x -> x[0].log(), uniform(r, full, 0.5, 3));
                case CLAMP -> matches(name(), r, x -> x[0].clamp(-0.5, 0.5), OpGradientProperties.awayFromBounds(r, full));
                case WHERE -> {
                    Tensor cond = maskTensor(r, partner(r, full));
                    matches(name(), r, x -> Torch.where(cond.to(x[0].device()), x[0], x[1]),
                            uniform(r, full, -2, 2), uniform(r, other, -2, 2));
                }
                case SUM_DIMS -> {
                    int[] s = {1 + r.nextInt(4), 1 + r.nextInt(4), 1 + r.nextInt(4)};
                    boolean keepdim = r.nextBoolean();
                    matches(name(), r, x -> x[0].sum(new int[] {0, -1}, keepdim), uniform(r, s, -2, 2));
                }
                case MEAN -> matches(name(), r, x -> x[0].mean(), uniform(r, full, -2, 2));
                case MAX_DIM -> {
                    int[] s = {1 + r.nextInt(4), 2 + r.nextInt(3)};
                    matches(name(), r, x -> x[0].max(1, false).values(), distinct(r, s));
                }
                case MM -> {
                    int n = 1 + r.nextInt(5);
                    int k = 1 + r.nextInt(5);
                    int m = 1 + r.nextInt(5);
                    matches(name(), r, x -> x[0].mm(x[1]), uniform(r, new int[] {n, k}, -2, 2), uniform(r, new int[] {k, m}, -2, 2));
                }
                case TRANSPOSE_CONTIGUOUS -> matches(name(), r, x -> x[0].transpose(0, 1).contiguous().exp(),
                        uniform(r, new int[] {1 + r.nextInt(4), 1 + r.nextInt(4)}, -2, 2));
                case SELECT -> matches(name(), r, x -> x[0].select(1, 1), uniform(r, new int[] {3, 2, 1 + r.nextInt(3)}, -2, 2));
                case CAT -> matches(name(), r, x -> Torch.cat(0, x[0], x[1]).mul(Torch.cat(0, x[0], x[1])),
                        uniform(r, new int[] {2, 3}, -2, 2), uniform(r, new int[] {1, 3}, -2, 2));
                case EXPAND -> matches(name(), r, x -> x[0].expand(full).exp(), uniform(r, other, -2, 2));
                case IN_PLACE_MUL -> matches(name(), r, x -> {
                    Tensor y = x[0].mul(1.0);
                    y.mul_(x[1]);
                    return y.mul(x[0]);
                }, uniform(r, full, -2, 2), uniform(r, other, -2, 2));
            }
        }
    }

    @Example
    void theGpuIsAvailable() {
        // runs in CI even without a device (the hook never skips there), so CI fails loudly instead of skipping
        assertThat(Device.isGpuAvailable()).as("Device.isGpuAvailable() (an OpenCL device, e.g. PoCL)").isTrue();
    }

    /** Every op in every try, so each one is covered whatever jqwik draws. */
    @Property(tries = 5)
    void gpuGradientsMatchCpuGradients(@ForAll long seed) {
        Random r = new Random(seed);
        for (Op op : Op.values()) {
            op.check(r);
        }
    }

    /** Backward on both devices from the same float32 values and weights; the CPU works in float64. */
    @Provide
    Arbitrary<OpCatalog.Unary> unaryRows() {
        return Arbitraries.of(OpCatalog.UNARY);
    }

    /** Every unary op of the catalog, so a new op's backward is checked on the GPU too. */
    @Property(tries = 20)
    void unaryOpsOfTheCatalog(@ForAll("unaryRows") OpCatalog.Unary row, @ForAll long seed) {
        Random r = new Random(seed);
        matches(row.toString(), r, x -> Torch.unary(row.op(), x[0], null), OpGradientProperties.arg(row.domain(), r, shape(r, 3)));
    }

    @Provide
    Arbitrary<OpCatalog.Other> otherRows() {
        return Arbitraries.of(OpCatalog.OTHER);
    }

    /** Every op of the catalog outside the families: statistics, indexing, products, composites. */
    @Property(tries = 60)
    void otherOpsOfTheCatalog(@ForAll("otherRows") OpCatalog.Other row, @ForAll long seed) {
        Random r = new Random(seed);
        matches(row.toString(), r, row.op()::apply, OtherOpGradientProperties.args(row, r));
    }

    static void matches(String what, Random r, Fn fn, Arg... args) {
        Arg[] rounded = new Arg[args.length];
        for (int i = 0; i < args.length; i++) {
            rounded[i] = new Arg(args[i].shape(), toFloat(args[i].values()));
        }
        Tensor[] cpuLeaves = leaves(rounded, DType.FLOAT64, Device.CPU);
        Tensor cpuOut = fn.apply(cpuLeaves);
        double[] w = toFloat(NumericalCheck.normal(r, cpuOut.numel()));
        double[][] expected = NumericalCheck.gradients(cpuOut, cpuLeaves, w);

        Tensor[] gpuLeaves = leaves(rounded, DType.FLOAT32, Device.GPU);
        Tensor gpuOut = fn.apply(gpuLeaves);
        assertThat(gpuOut.device()).isEqualTo(Device.GPU);
        double[][] actual = NumericalCheck.gradients(gpuOut, gpuLeaves, w);

        for (int i = 0; i < args.length; i++) {
            for (int j = 0; j < expected[i].length; j++) {
                assertThat(Math.abs(actual[i][j] - expected[i][j]))
                        .as("%s: grad %d[%d]: gpu %s, cpu %s; inputs %s", what, i, j, Arrays.toString(actual[i]),
                                Arrays.toString(expected[i]), Arrays.toString(rounded))
                        .isLessThanOrEqualTo(ATOL + RTOL * Math.abs(expected[i][j]));
            }
        }
    }

    private static Tensor[] leaves(Arg[] args, DType dtype, Device device) {
        Tensor[] t = new Tensor[args.length];
        for (int i = 0; i < args.length; i++) {
            t[i] = args[i].tensor(dtype, device).requiresGrad_(true);
        }
        return t;
    }

    private static double[] toFloat(double[] v) {
        double[] f = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }
}
