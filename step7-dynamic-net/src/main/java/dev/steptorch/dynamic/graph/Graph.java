package dev.steptorch.dynamic.graph;

import dev.steptorch.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A computation declared before it runs, as in TensorFlow 1. Nodes are added in order, so the
 * list of nodes is already a topological order; {@link #gradients} walks it backwards and adds
 * the nodes that compute the gradients, which is symbolic differentiation: the gradient is itself
 * part of the graph, built once.
 */
public final class Graph {
    final List<Sym> nodes = new ArrayList<>();
    final Map<Sym, int[]> placeholderShapes = new HashMap<>();
    final Map<Sym, Supplier<Tensor>> initializers = new LinkedHashMap<>();
    final Map<Sym, Tensor> constants = new IdentityHashMap<>();

    Sym node(Op op, List<Sym> inputs, double scalar, String name) {
        Sym s = new Sym(this, op, inputs, scalar, name, nodes.size());
        nodes.add(s);
        return s;
    }

    /** {@code tf.placeholder(shape=...)}: fed with a tensor on every run; -1 is a free size (None). */
    public Sym placeholder(String name, int... shape) {
        Sym s = node(Op.PLACEHOLDER, List.of(), 0, name);
        placeholderShapes.put(s, shape.clone());
        return s;
    }

    /** {@code tf.Variable(initial)}: state kept by the session across runs, set by the initializer. */
    public Sym variable(String name, Supplier<Tensor> initial) {
        Sym s = node(Op.VARIABLE, List.of(), 0, name);
        initializers.put(s, initial);
        return s;
    }

    /** A fixed tensor, such as the course's {@code tf.zeros(1)}. */
    public Sym constant(Tensor value) {
        Sym s = node(Op.CONSTANT, List.of(), 0, null);
        constants.put(s, value);
        return s;
    }

    /**
     * {@code tf.gradients(y, xs)}: nodes computing d(y)/d(x) for each x, where y is a scalar
     * node. Gradients of nodes used several times are added, as the chain rule demands.
     */
    public List<Sym> gradients(Sym y, Sym... xs) {
        Map<Sym, Sym> grad = new IdentityHashMap<>();
        grad.put(y, y.onesLike());
        // BEGIN SOLUTION step7.static-gradients
        for (int i = y.id; i >= 0; i--) {
            Sym node = nodes.get(i);
            Sym g = grad.get(node);
            if (g == null) {
                continue;
            }
            Sym[] inputGrads = backward(node, g);
            for (int k = 0; k < inputGrads.length; k++) {
                if (inputGrads[k] != null) {
                    Sym in = node.inputs.get(k);
                    grad.merge(in, inputGrads[k], Sym::add);
                }
            }
        }
        // END SOLUTION
        List<Sym> out = new ArrayList<>();
        for (Sym x : xs) {
            Sym g = grad.get(x);
            if (g == null) {
                throw new IllegalArgumentException(x + " does not influence " + y);
            }
            out.add(g);
        }
        return out;
    }

    /** The gradient rule of each op, written with graph nodes. */
    private static Sym[] backward(Sym node, Sym g) {
        List<Sym> in = node.inputs;
        switch (node.op) {
            case MATMUL:
                return new Sym[] {g.matmul(in.get(1).transpose()), in.get(0).transpose().matmul(g)};
            case TRANSPOSE:
                return new Sym[] {g.transpose()};
            case ADD:
                return new Sym[] {g.sumToLike(in.get(0)), g.sumToLike(in.get(1))};
            case SUB:
                return new Sym[] {g.sumToLike(in.get(0)), g.mul(-1.0).sumToLike(in.get(1))};
            case MUL:
                return new Sym[] {g.mul(in.get(1)).sumToLike(in.get(0)), g.mul(in.get(0)).sumToLike(in.get(1))};
            case SCALE:
                return new Sym[] {g.mul(node.scalar)};
            case POW:
                return new Sym[] {g.mul(in.get(0).pow(node.scalar - 1).mul(node.scalar))};
            case MAXIMUM:
                return new Sym[] {g.mul(in.get(0).greater(in.get(1))).sumToLike(in.get(0)),
                                  g.mul(in.get(1).greater(in.get(0))).sumToLike(in.get(1))};
            case REDUCE_SUM:
                return new Sym[] {g.expandLike(in.get(0))};
            default:
                return new Sym[in.size()]; // no gradient flows through the rest
        }
    }

    int[] placeholderShape(Sym s) {
        return placeholderShapes.get(s);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Sym s : nodes) {
            sb.append(s).append(" = ").append(s.op.name().toLowerCase(java.util.Locale.ROOT))
                    .append(s.inputs.isEmpty() ? "" : s.inputs.toString().replace('[', '(').replace(']', ')'));
            if (s.op == Op.PLACEHOLDER) {
                sb.append(Arrays.toString(placeholderShapes.get(s)).replace("-1", "None"));
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
