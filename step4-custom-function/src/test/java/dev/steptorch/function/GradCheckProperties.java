package dev.steptorch.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.steptorch.autograd.GradMode;
import dev.steptorch.function.lessons.LinearFunction;
import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * gradcheck in both directions on random cases: it passes for LinearFunction and for random chains
 * of built-in ops (so step3's formulas are checked on the way), and it never misses a gradient
 * corrupted in a single element, blaming the right input and element.
 */
class GradCheckProperties {
    private static final Options DOUBLES = Options.dtype(DType.FLOAT64);

    @Property(tries = 60)
    void linearFunctionPasses(@ForAll @IntRange(min = 1, max = 5) int batch, @ForAll @IntRange(min = 1, max = 6) int in,
                              @ForAll @IntRange(min = 1, max = 6) int out, @ForAll boolean withBias, @ForAll long seed) {
        Random r = new Random(seed);
        Tensor input = leaf(r, batch, in);
        Tensor weight = leaf(r, out, in);
        Tensor bias = leaf(r, out);
        boolean ok = withBias
                ? GradCheck.gradcheck(x -> LinearFunction.linear(x[0], x[1], x[2]), input, weight, bias)
                : GradCheck.gradcheck(x -> LinearFunction.linear(x[0], x[1], null), input, weight);
        assertThat(ok).isTrue();
    }

    // ----------------------------------------------------------------------------------------
    // Random chains of built-in ops
    // ----------------------------------------------------------------------------------------

    /** One link of a chain; each keeps the running tensor two-dimensional. */
    enum Op {
        ADD, MUL, DIV, EXP, TANH, POW_SCALAR, POW_TENSOR, SCALE, SUM_DIM, MEAN_DIM, MM
    }

    /** A step applied to the running tensor, reading its extra operand (if any) from the inputs. */
    private interface Step {
        Tensor apply(Tensor t, Tensor[] inputs);
    }

    /** The chain, its inputs (input 0 is where it starts) and a readable description. */
    private record Chain(List<Step> steps, List<Tensor> inputs, List<String> description) {
        Tensor run(Tensor[] in) {
            Tensor t = in[0];
            for (Step s : steps) {
                t = s.apply(t, in);
            }
            return t;
        }

        /** The largest magnitude any link produces, with no recording. */
        double largestIntermediate() {
            Tensor[] in = inputs.toArray(Tensor[]::new);
            double max = 0;
            try (var ignored = GradMode.noGrad()) {
                Tensor t = in[0];
                for (Step s : steps) {
                    t = s.apply(t, in);
                    for (double v : t.toDoubleArray()) {
                        max = Double.isFinite(v) ? Math.max(max, Math.abs(v)) : Double.POSITIVE_INFINITY;
                    }
                }
            }
            return max;
        }
    }

    @Property(tries = 150)
    void randomChainsOfBuiltInOpsPass(@ForAll @Size(min = 1, max = 5) List<Op> ops, @ForAll long seed) {
        Chain chain = build(ops, new Random(seed));
        // exp and chained products can grow past where central differences in float64 still resolve
        Assume.that(chain.largestIntermediate() <= 20);

        Tensor[] inputs = chain.inputs().toArray(Tensor[]::new);
        assertThat(GradCheck.gradcheck(chain::run, inputs)).as("%s", chain.description()).isTrue();
    }

    private static Chain build(List<Op> ops, Random r) {
        List<Step> steps = new ArrayList<>();
        List<Tensor> inputs = new ArrayList<>();
        List<String> description = new ArrayList<>();
        int[] cur = {1 + r.nextInt(3), 1 + r.nextInt(3)};
        inputs.add(uniform(r, -2, 2, cur).requiresGrad_(true));
        description.add("x" + Arrays.toString(cur));
        for (Op op : ops) {
            int k = inputs.size(); // index the extra operand (if any) will take
            switch (op) {
                case ADD, MUL, DIV, POW_TENSOR -> {
                    int[] other = partner(r, cur);
                    Tensor u = op == Op.DIV ? awayFromZero(r, other) : uniform(r, op == Op.POW_TENSOR ? -1 : -2, 2, other);
                    inputs.add(r.nextInt(4) == 0 ? u : u.requiresGrad_(true));
                    boolean swap = op != Op.DIV && op != Op.POW_TENSOR && r.nextBoolean();
                    steps.add(switch (op) {
                        case ADD -> swap ? (t, in) -> in[k].add(t) : (t, in) -> t.add(in[k]);
                        case MUL -> swap ? (t, in) -> in[k].mul(t) : (t, in) -> t.mul(in[k]);
                        case DIV -> (t, in) -> t.div(in[k]);
                        default -> (t, in) -> t.pow(2.0).add(0.5).pow(in[k]); // a base kept positive
                    });
                    description.add(op + (swap ? " (swapped)" : "") + " with " + Arrays.toString(other));
                    cur = broadcast(cur, other);
                }
                case EXP -> {
                    steps.add((t, in) -> t.exp());
                    description.add("EXP");
                }
                case TANH -> {
                    // tanh written with exp, as the course does before torch.tanh
                    steps.add((t, in) -> {
                        Tensor e = t.mul(2.0).exp();
                        return e.sub(1.0).div(e.add(1.0));
                    });
                    description.add("TANH");
                }
                case POW_SCALAR -> {
                    double p = new double[] {2.0, 3.0, -0.5, 1.5}[r.nextInt(4)];
                    steps.add(p == Math.rint(p) ? (t, in) -> t.pow(p) : (t, in) -> t.pow(2.0).add(1.0).pow(p));
                    description.add("POW " + p);
                }
                case SCALE -> {
                    double c = r.nextBoolean() ? -1.5 : 0.25;
                    steps.add((t, in) -> t.mul(c));
                    description.add("SCALE " + c);
                }
                case SUM_DIM, MEAN_DIM -> {
                    int d = r.nextInt(2);
                    boolean keepdim = r.nextBoolean();
                    boolean sum = op == Op.SUM_DIM;
                    steps.add((t, in) -> {
                        Tensor reduced = sum ? t.sum(d, keepdim) : t.mean(d, keepdim);
                        return keepdim ? reduced : reduced.unsqueeze(d);
                    });
                    description.add(op + " dim " + d + (keepdim ? " keepdim" : " then unsqueeze"));
                    cur = cur.clone();
                    cur[d] = 1;
                }
                case MM -> {
                    int[] w = {cur[1], 1 + r.nextInt(3)};
                    Tensor u = uniform(r, -1, 1, w);
                    inputs.add(r.nextInt(4) == 0 ? u : u.requiresGrad_(true));
                    steps.add((t, in) -> t.mm(in[k]));
                    description.add("MM with " + Arrays.toString(w));
                    cur = new int[] {cur[0], w[1]};
                }
                default -> throw new AssertionError(op);
            }
        }
        if (r.nextBoolean()) {
            boolean mean = r.nextBoolean();
            steps.add((t, in) -> mean ? t.mean() : t.sum());
            description.add(mean ? "mean()" : "sum()");
        }
        return new Chain(steps, inputs, description);
    }

    /**
     * A shape that broadcasts with {@code shape}: each dim kept or set to 1, a dim of 1 possibly
     * widened (so the running tensor is the one that expands), and sometimes of lower rank.
     */
    private static int[] partner(Random r, int[] shape) {
        int[] p = new int[shape.length];
        for (int d = 0; d < shape.length; d++) {
            p[d] = shape[d] == 1 ? 1 + r.nextInt(3) : r.nextBoolean() ? shape[d] : 1;
        }
        return p[0] == 1 && r.nextBoolean() ? new int[] {p[1]} : p;
    }

    private static int[] broadcast(int[] a, int[] b) {
        int[] out = a.clone();
        int lead = a.length - b.length;
        for (int d = 0; d < b.length; d++) {
            out[lead + d] = Math.max(a[lead + d], b[d]);
        }
        return out;
    }

    // ----------------------------------------------------------------------------------------
    // A corrupted element is always found
    // ----------------------------------------------------------------------------------------

    /** output = input . weight^T + bias, one element of one gradient multiplied by (1 + delta). */
    static final class CorruptedLinear extends Function {
        private final int input;
        private final int element;
        private final double delta;

        CorruptedLinear(int input, int element, double delta) {
            this.input = input;
            this.element = element;
            this.delta = delta;
        }

        @Override
        protected Object forward(FunctionCtx ctx, Object... args) {
            Tensor x = (Tensor) args[0];
            Tensor w = (Tensor) args[1];
            ctx.saveForBackward(x, w);
            return x.mm(w.t()).add((Tensor) args[2]);
        }

        @Override
        protected Tensor[] backward(FunctionCtx ctx, Tensor... g) {
            Tensor[] s = ctx.savedTensors();
            Tensor[] grads = {g[0].mm(s[1]), g[0].t().mm(s[0]), g[0].sum(0)};
            Tensor target = grads[input].contiguous();
            double[] factor = new double[target.numel()];
            Arrays.fill(factor, 1.0);
            factor[element] = 1 + delta;
            grads[input] = target.mul(Torch.tensor(factor, DOUBLES).reshape(target.shape()));
            return grads;
        }
    }

    @Property(tries = 120)
    void aCorruptedElementIsFoundAndBlamedCorrectly(
            @ForAll @IntRange(min = 1, max = 4) int batch, @ForAll @IntRange(min = 1, max = 4) int in,
            @ForAll @IntRange(min = 1, max = 4) int out, @ForAll @IntRange(min = 0, max = 2) int corrupted,
            @ForAll @DoubleRange(min = 0.5, max = 3) double magnitude, @ForAll boolean negative, @ForAll long seed) {
        Random r = new Random(seed);
        // some exact zeros, so that some elements have no gradient to corrupt
        double[] x = sparse(r, batch * in);
        double[] w = sparse(r, out * in);
        Tensor input = Torch.tensor(x, DOUBLES).reshape(batch, in).requiresGrad_(true);
        Tensor weight = Torch.tensor(w, DOUBLES).reshape(out, in).requiresGrad_(true);
        Tensor bias = uniform(r, -2, 2, out).requiresGrad_(true);
        int element = r.nextInt(new int[] {batch * in, out * in, out}[corrupted]);
        // Largest true dOutput/dElement, from the definition: input[b,i] meets weight[:, i],
        // weight[o,i] meets input[:, i], and every bias element has slope 1.
        double slope = switch (corrupted) {
            case 0 -> column(w, out, in, element % in);
            case 1 -> column(x, batch, in, element % in);
            default -> 1.0;
        };
        Assume.that(slope > 1e-3);
        double delta = negative ? -magnitude : magnitude;

        GradcheckError e = catchThrowableOfType(GradcheckError.class, () -> GradCheck.gradcheck(
                t -> new CorruptedLinear(corrupted, element, delta).apply(t[0], t[1], t[2]), input, weight, bias));

        assertThat(e).as("corruption of input %d element %d by %s went unnoticed", corrupted, element, delta).isNotNull();
        assertThat(e.input()).isEqualTo(corrupted);
        assertThat(e.inputElement()).isEqualTo(element);
        assertThat(e.analytical()).isCloseTo(e.numerical() * (1 + delta), org.assertj.core.data.Offset.offset(1e-6));
    }

    /** max over rows of |m[row][col]| for a rows x cols row-major matrix. */
    private static double column(double[] m, int rows, int cols, int col) {
        double max = 0;
        for (int row = 0; row < rows; row++) {
            max = Math.max(max, Math.abs(m[row * cols + col]));
        }
        return max;
    }

    private static double[] sparse(Random r, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextInt(4) == 0 ? 0.0 : -2 + 4 * r.nextDouble();
        }
        return v;
    }

    // ----------------------------------------------------------------------------------------

    private static Tensor uniform(Random r, double lo, double hi, int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + (hi - lo) * r.nextDouble();
        }
        return Torch.tensor(v, DOUBLES).reshape(shape);
    }

    private static Tensor leaf(Random r, int... shape) {
        return uniform(r, -2, 2, shape).requiresGrad_(true);
    }

    /** Values in +-[0.5, 2]: safe denominators. */
    private static Tensor awayFromZero(Random r, int... shape) {
        Tensor t = uniform(r, 0.5, 2, shape);
        double[] v = t.toDoubleArray();
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextBoolean() ? v[i] : -v[i];
        }
        return Torch.tensor(v, DOUBLES).reshape(shape);
    }
}
