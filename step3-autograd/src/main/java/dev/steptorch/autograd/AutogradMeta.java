package dev.steptorch.autograd;

import dev.steptorch.tensor.Tensor;

/**
 * What autograd knows about one tensor (PyTorch's {@code AutogradMeta}), kept in the slot step2's
 * Tensor reserves for it. A leaf has no {@code gradFn}; a tensor made by a recorded op points at
 * the node that made it and says which of that node's outputs it is.
 */
final class AutogradMeta {
    /** Set by the user on leaves; results of recorded ops require grad through their gradFn. */
    boolean requiresGrad;
    Tensor grad;
    Node gradFn;
    int outputNr;
    /** The leaf's AccumulateGrad node, made once so that every use of the leaf meets in one node. */
    AccumulateGrad accumulator;
    /** Set for tensors made by view ops: in-place writes to them would have to rewrite the base's history. */
    Tensor viewBase;

    static AutogradMeta of(Tensor t) {
        return (AutogradMeta) t.autogradMeta();
    }

    static AutogradMeta getOrCreate(Tensor t) {
        AutogradMeta m = of(t);
        if (m == null) {
            m = new AutogradMeta();
            t.setAutogradMeta(m);
        }
        return m;
    }

    static boolean requiresGrad(Tensor t) {
        AutogradMeta m = t == null ? null : of(t);
        return m != null && (m.requiresGrad || m.gradFn != null);
    }

    static boolean isLeaf(Tensor t) {
        AutogradMeta m = of(t);
        return m == null || m.gradFn == null;
    }

    /** Where a gradient for {@code t} must be sent: its gradFn, its leaf accumulator, or nowhere. */
    static Edge gradientEdge(Tensor t) {
        AutogradMeta m = of(t);
        if (m == null) {
            return null;
        }
        if (m.gradFn != null) {
            return new Edge(m.gradFn, m.outputNr);
        }
        if (!m.requiresGrad) {
            return null;
        }
        if (m.accumulator == null) {
            m.accumulator = new AccumulateGrad(t);
        }
        return new Edge(m.accumulator, 0);
    }
}
