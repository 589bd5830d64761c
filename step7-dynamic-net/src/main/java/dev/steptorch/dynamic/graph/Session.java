package dev.steptorch.dynamic.graph;

import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a {@link Graph}: {@code tf.Session}. It holds the variables' values between runs; each
 * {@link #run} evaluates only what the fetched nodes need, once each, with the placeholders
 * bound to the fed tensors. Assignments take effect when the run ends, so every node of one run
 * sees the same variable values.
 */
public final class Session implements AutoCloseable {
    private final Graph graph;
    private final Map<Sym, Tensor> variables = new IdentityHashMap<>();

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
        return out;
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
        switch (s.op) {
            case PLACEHOLDER:
                return fed(s, feed);
            case VARIABLE:
                return value(s);
            case CONSTANT:
                return graph.constants.get(s);
            case MATMUL:
                return in.get(0).mm(in.get(1));
            case TRANSPOSE:
                return in.get(0).t();
            case ADD:
                return in.get(0).add(in.get(1));
            case SUB:
                return in.get(0).sub(in.get(1));
            case MUL:
                return in.get(0).mul(in.get(1));
            case SCALE:
                return in.get(0).mul(s.scalar);
            case POW:
                return in.get(0).pow(s.scalar);
            case MAXIMUM:
                return in.get(0).maximum(in.get(1));
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
    }
}
