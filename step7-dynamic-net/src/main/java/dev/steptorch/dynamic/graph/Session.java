package dev.steptorch.dynamic.graph;

import dev.steptorch.tensor.BinaryOp;
import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Device;
import dev.steptorch.tensor.Size;
import dev.steptorch.tensor.Storage;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a {@link Graph}: {@code tf.Session}. It holds the variables' values between runs; each
 * {@link #run} evaluates only what the fetched nodes need, once each, with the placeholders
 * bound to the fed tensors. Assignments take effect when the run ends, so every node of one run
 * sees the same variable values.
 *
 * <p>A static graph also tells the session which values leave a run: the fetched ones and the
 * variables' new values. Every other value is dead when the run ends, so the next run computes
 * the same node into the same tensor, whose memory is still in the processor's cache, instead of
 * into a fresh one (TensorFlow's runtime reuses dead tensors' memory too). Eager code cannot
 * know this: any tensor it made may still be in the caller's hands.
 */
public final class Session implements AutoCloseable {
    private final Graph graph;
    private final Map<Sym, Tensor> variables = new IdentityHashMap<>();
    /** Per node, its output from an earlier run that no caller can hold: the next run writes into it. */
    private final Map<Sym, Spare> spares = new IdentityHashMap<>();

    /** A dead output, and the layouts of the inputs it was computed from: the same layouts give the same output layout. */
    private record Spare(Tensor tensor, List<Layout> inputs) {
    }

    private record Layout(Size size, DType dtype, Device device, boolean requiresGrad) {
        static List<Layout> of(List<Tensor> tensors) {
            return tensors.stream().map(t -> new Layout(t.size(), t.dtype(), t.device(), t.requiresGrad())).toList();
        }
    }

    public Session(Graph graph) {
        this.graph = graph;
    }

    /** {@code sess.run(tf.global_variables_initializer())}. */
    public void initializeVariables() {
        graph.initializers.forEach((v, init) -> variables.put(v, init.get()));
    }

    /** {@code sess.run(fetches, feed_dict=feed)}: the fetched values, in order. */
    public List<Tensor> run(List<Sym> fetches, Map<Sym, Tensor> feed) {
        Map<Sym, Tensor> values = new IdentityHashMap<>();
        Map<Sym, Tensor> assignments = new IdentityHashMap<>();
        List<Tensor> out = new ArrayList<>();
        for (Sym f : fetches) {
            out.add(evaluate(f, feed, values, assignments));
        }
        variables.putAll(assignments);
        keepSpares(values, out, assignments.values());
        return out;
    }

    /**
     * Keeps, for the next run, the outputs of this run that no caller can reach: computed by an op
     * that writes a tensor of its own, and sharing no memory with a fetched value or a variable's
     * new value (a fetched transpose is a view of its input's memory).
     */
    private void keepSpares(Map<Sym, Tensor> values, List<Tensor> fetched, Iterable<Tensor> assigned) {
        Set<Storage> leaving = Collections.newSetFromMap(new IdentityHashMap<>());
        fetched.forEach(t -> leaving.add(t.storage()));
        assigned.forEach(t -> leaving.add(t.storage()));
        values.forEach((s, v) -> {
            List<Layout> in = writesOwnTensor(s.op) && !leaving.contains(v.storage())
                    ? Layout.of(s.inputs.stream().map(values::get).toList()) : null;
            // out= ops record no history for autograd: what inputs that require grad make stays fresh
            if (in != null && in.stream().noneMatch(Layout::requiresGrad)) {
                spares.put(s, new Spare(v, in));
            } else {
                spares.remove(s);
            }
        });
    }

    private static boolean writesOwnTensor(Op op) {
        switch (op) {
            case MATMUL: case ADD: case SUB: case MUL: case SCALE: case POW: case MAXIMUM:
                return true;
            default:
                return false;
        }
    }

    /** The output the node left for the next run to write into, or null (for tests). */
    Tensor spare(Sym node) {
        Spare spare = spares.get(node);
        return spare == null ? null : spare.tensor();
    }

    /**
     * The node's spare output if its inputs are laid out as when it was computed (so none requires
     * grad now either), else null: a fresh tensor.
     */
    private Tensor spareFor(Sym s, List<Tensor> in) {
        Spare spare = spares.get(s);
        return spare != null && spare.inputs().equals(Layout.of(in)) ? spare.tensor() : null;
    }

    public Tensor run(Sym fetch, Map<Sym, Tensor> feed) {
        return run(List.of(fetch), feed).get(0);
    }

    /** The current value of a variable. */
    public Tensor value(Sym variable) {
        Tensor v = variables.get(variable);
        if (v == null) {
            throw new IllegalStateException("variable " + variable + " has no value: run initializeVariables() first");
        }
        return v;
    }

    private Tensor evaluate(Sym s, Map<Sym, Tensor> feed, Map<Sym, Tensor> values, Map<Sym, Tensor> assignments) {
        // BEGIN SOLUTION step7.static-evaluate
        Tensor cached = values.get(s);
        if (cached != null) {
            return cached;
        }
        List<Tensor> in = new ArrayList<>();
        for (Sym i : s.inputs) {
            in.add(evaluate(i, feed, values, assignments));
        }
        Tensor v = compute(s, in, feed);
        if (s.op == Op.ASSIGN) {
            assignments.put(s.inputs.get(0), v);
        }
        values.put(s, v);
        return v;
        // END SOLUTION
    }

    private Tensor compute(Sym s, List<Tensor> in, Map<Sym, Tensor> feed) {
        Tensor out = spareFor(s, in); // null: the op makes a fresh tensor
        switch (s.op) {
            case PLACEHOLDER:
                return fed(s, feed);
            case VARIABLE:
                return value(s);
            case CONSTANT:
                return graph.constants.get(s);
            case MATMUL:
                return Torch.mm(in.get(0), in.get(1), out);
            case TRANSPOSE:
                return in.get(0).t();
            case ADD:
                return Torch.add(in.get(0), in.get(1), out);
            case SUB:
                return Torch.sub(in.get(0), in.get(1), out);
            case MUL:
                return Torch.mul(in.get(0), in.get(1), out);
            case SCALE:
                return Torch.mul(in.get(0), s.scalar, out);
            case POW:
                return Torch.pow(in.get(0), s.scalar, out);
            case MAXIMUM:
                return Torch.binary(BinaryOp.MAXIMUM, in.get(0), in.get(1), out);
            case GREATER:
                return in.get(0).gt(in.get(1)).to(in.get(0).dtype());
            case REDUCE_SUM:
                return in.get(0).sum();
            case EXPAND_LIKE:
                return in.get(0).expand(in.get(1).shape());
            case SUM_TO_LIKE:
                return in.get(0).sumToSize(in.get(1).shape());
            case ONES_LIKE:
                return Torch.onesLike(in.get(0));
            case ASSIGN:
                return in.get(1);
            default:
                throw new IllegalStateException("unknown op " + s.op);
        }
    }

    private Tensor fed(Sym placeholder, Map<Sym, Tensor> feed) {
        Tensor t = feed.get(placeholder);
        int[] shape = graph.placeholderShape(placeholder);
        if (t == null) {
            throw new IllegalArgumentException("You must feed a value for placeholder " + placeholder + " with shape "
                    + Arrays.toString(shape).replace("-1", "None"));
        }
        boolean fits = t.dim() == shape.length;
        for (int d = 0; fits && d < shape.length; d++) {
            fits = shape[d] == -1 || shape[d] == t.size(d);
        }
        if (!fits) {
            throw new IllegalArgumentException("Cannot feed value of shape " + t.size() + " for placeholder " + placeholder
                    + ", which has shape " + Arrays.toString(shape).replace("-1", "None"));
        }
        return t;
    }

    @Override
    public void close() {
        variables.clear();
        spares.clear();
    }
}
