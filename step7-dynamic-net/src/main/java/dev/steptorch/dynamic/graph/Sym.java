package dev.steptorch.dynamic.graph;

import java.util.List;

/**
 * A symbolic tensor: a node of a {@link Graph}. Building {@code x.matmul(w1)} computes nothing;
 * it adds a node that a {@link Session} will evaluate later.
 */
public final class Sym {
    final Graph graph;
    final Op op;
    final List<Sym> inputs;
    final double scalar;
    final String name;
    final int id;

    Sym(Graph graph, Op op, List<Sym> inputs, double scalar, String name, int id) {
        this.graph = graph;
        this.op = op;
        this.inputs = inputs;
        this.scalar = scalar;
        this.name = name;
        this.id = id;
    }

    private Sym add(Op op, double scalar, Sym... in) {
        for (Sym s : in) {
            if (s.graph != graph) {
                throw new IllegalArgumentException("cannot combine nodes of two different graphs");
            }
        }
        return graph.node(op, List.of(in), scalar, null);
    }

    /** {@code tf.matmul(this, other)}. */
    public Sym matmul(Sym other) {
        return add(Op.MATMUL, 0, this, other);
    }

    public Sym transpose() {
        return add(Op.TRANSPOSE, 0, this);
    }

    public Sym add(Sym other) {
        return add(Op.ADD, 0, this, other);
    }

    public Sym sub(Sym other) {
        return add(Op.SUB, 0, this, other);
    }

    public Sym mul(Sym other) {
        return add(Op.MUL, 0, this, other);
    }

    /** Multiplication by a number, {@code learning_rate * grad_w1}. */
    public Sym mul(double factor) {
        return add(Op.SCALE, factor, this);
    }

    /** {@code this ** exponent}. */
    public Sym pow(double exponent) {
        return add(Op.POW, exponent, this);
    }

    /** {@code tf.maximum(this, other)}. */
    public Sym maximum(Sym other) {
        return add(Op.MAXIMUM, 0, this, other);
    }

    /** 1 where this > other, else 0. */
    Sym greater(Sym other) {
        return add(Op.GREATER, 0, this, other);
    }

    /** {@code tf.reduce_sum(this)}. */
    public Sym reduceSum() {
        return add(Op.REDUCE_SUM, 0, this);
    }

    Sym expandLike(Sym shapeOf) {
        return add(Op.EXPAND_LIKE, 0, this, shapeOf);
    }

    Sym sumToLike(Sym shapeOf) {
        return add(Op.SUM_TO_LIKE, 0, this, shapeOf);
    }

    Sym onesLike() {
        return add(Op.ONES_LIKE, 0, this);
    }

    /** {@code variable.assign(value)}: a node whose evaluation gives the variable a new value. */
    public Sym assign(Sym value) {
        if (op != Op.VARIABLE) {
            throw new IllegalArgumentException("only variables can be assigned, not a " + op + " node");
        }
        return add(Op.ASSIGN, 0, this, value);
    }

    @Override
    public String toString() {
        return name != null ? name : op.name().toLowerCase(java.util.Locale.ROOT) + "_" + id;
    }
}
