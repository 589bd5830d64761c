package dev.steptorch.dynamic.graph;

/** The kinds of node a static graph can hold. */
enum Op {
    PLACEHOLDER, VARIABLE, CONSTANT,
    MATMUL, TRANSPOSE, ADD, SUB, MUL, SCALE, POW, MAXIMUM, GREATER, REDUCE_SUM,
    /** The first input broadcast to the second input's shape (the gradient of a sum). */
    EXPAND_LIKE,
    /** The first input summed down to the second input's shape (the gradient of broadcasting). */
    SUM_TO_LIKE,
    ONES_LIKE,
    /** Computes a new value for a variable; the session writes it when the run ends. */
    ASSIGN
}
