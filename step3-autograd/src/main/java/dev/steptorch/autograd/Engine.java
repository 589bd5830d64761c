package dev.steptorch.autograd;

import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Runs the backward pass (PyTorch's {@code Engine::execute}). It first counts, for every node
 * reachable from the roots, how many edges point at it; a node runs only once all of them have
 * delivered, so a tensor used twice (weight sharing) receives the sum of both gradients before
 * its own node passes anything on. That order is a topological order of the graph.
 */
public final class Engine {
    private Engine() {
    }

    /** {@code torch.autograd.backward}: gradients of the roots flow into every leaf's {@code grad}. */
    public static void backward(Tensor[] roots, Tensor[] gradients, boolean retainGraph) {
        run(roots, gradients, retainGraph, null);
    }

    /**
     * {@code torch.autograd.grad}: the gradients of the roots with respect to {@code inputs},
     * returned instead of accumulated into {@code grad}; null for an input the roots do not depend on.
     */
    public static Tensor[] grad(Tensor[] roots, Tensor[] gradients, Tensor[] inputs, boolean retainGraph) {
        Edge[] edges = new Edge[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            if (!AutogradMeta.requiresGrad(inputs[i])) {
                throw new IllegalArgumentException("One of the differentiated Tensors does not require grad (input " + i + ")");
            }
            edges[i] = AutogradMeta.gradientEdge(inputs[i]);
        }
        Tensor[] result = new Tensor[inputs.length];
        run(roots, gradients, retainGraph, new Capture(edges, result));
        return result;
    }

    /** The gradients {@code grad} captures as they pass the inputs' edges. */
    private record Capture(Edge[] edges, Tensor[] result) {
        void offer(Node node, Tensor[] buffer) {
            for (int i = 0; i < edges.length; i++) {
                if (edges[i].node() == node && buffer[edges[i].inputNr()] != null) {
                    result[i] = buffer[edges[i].inputNr()];
                }
            }
        }
    }

    private static void run(Tensor[] roots, Tensor[] gradients, boolean retainGraph, Capture capture) {
        Map<Node, Tensor[]> buffers = new IdentityHashMap<>();
        Deque<Node> rootNodes = new ArrayDeque<>();
        try (var ignored = GradMode.noGrad()) {
            for (int i = 0; i < roots.length; i++) {
                Tensor root = roots[i];
                Edge edge = AutogradMeta.gradientEdge(root);
                if (edge == null) {
                    throw new IllegalStateException("element " + i + " of tensors does not require grad and does not have a grad_fn");
                }
                Tensor g = initialGradient(root, gradients == null ? null : gradients[i], i);
                Tensor[] buffer = buffers.computeIfAbsent(edge.node(), n -> new Tensor[n.numOutputs()]);
                buffer[edge.inputNr()] = accumulate(buffer[edge.inputNr()], g);
                if (!rootNodes.contains(edge.node())) {
                    rootNodes.add(edge.node());
                }
            }
            Map<Node, Integer> dependencies = countDependencies(rootNodes);
            Deque<Node> ready = new ArrayDeque<>();
            for (Node n : rootNodes) {
                if (dependencies.getOrDefault(n, 0) == 0) {
                    ready.add(n);
                }
            }
            while (!ready.isEmpty()) {
                Node node = ready.poll();
                Tensor[] gradOutputs = buffers.remove(node);
                if (gradOutputs == null) {
                    gradOutputs = new Tensor[node.numOutputs()];
                }
                // autograd.grad leaves .grad alone, so it offers none
                Tensor[] offered = capture == null ? accumulateInto(node, dependencies, buffers) : new Tensor[node.numInputs()];
                Tensor[] gradInputs = execute(node, gradOutputs, capture, offered);
                if (!retainGraph) {
                    node.release();
                }
                for (int i = 0; i < node.numInputs(); i++) {
                    Edge edge = node.edge(i);
                    if (edge == null) {
                        continue;
                    }
                    Tensor g = i < gradInputs.length ? gradInputs[i] : null;
                    if (g != null) {
                        Tensor[] buffer = buffers.computeIfAbsent(edge.node(), n -> new Tensor[n.numOutputs()]);
                        buffer[edge.inputNr()] = accumulate(buffer[edge.inputNr()], fit(g, node.inputMeta(i), node, i));
                    }
                    if (dependencies.merge(edge.node(), -1, Integer::sum) == 0) {
                        ready.add(edge.node());
                    }
                }
            }
        }
    }

    /**
     * Per input of node, the leaf's {@code .grad} its gradient may be added into in place: where the
     * input is a leaf that already has a {@code .grad} and no other edge of this pass leads to it,
     * adding there at once is what its AccumulateGrad would do. Else null.
     */
    private static Tensor[] accumulateInto(Node node, Map<Node, Integer> dependencies, Map<Node, Tensor[]> buffers) {
        Tensor[] into = new Tensor[node.numInputs()];
        for (int i = 0; i < into.length; i++) {
            Edge edge = node.edge(i);
            if (edge != null && edge.node() instanceof AccumulateGrad leaf && dependencies.get(leaf) == 1
                    && !buffers.containsKey(leaf)) {
                into[i] = leaf.gradToAddInto(node.inputMeta(i));
            }
        }
        return into;
    }

    private static Tensor[] execute(Node node, Tensor[] gradOutputs, Capture capture, Tensor[] accumulateInto) {
        for (int i = 0; i < gradOutputs.length; i++) {
            if (gradOutputs[i] != null) {
                for (AutogradMeta m : node.retained(i)) {
                    m.grad = m.grad == null ? gradOutputs[i].clone() : m.grad.add(gradOutputs[i]);
                }
            }
        }
        if (capture != null) {
            capture.offer(node, gradOutputs);
            if (node instanceof AccumulateGrad) {
                return new Tensor[0]; // autograd.grad returns gradients; it never touches .grad
            }
        }
        boolean any = Arrays.stream(gradOutputs).anyMatch(g -> g != null);
        return any ? node.apply(gradOutputs, accumulateInto) : new Tensor[node.numInputs()];
    }

    private static Tensor initialGradient(Tensor root, Tensor gradient, int index) {
        if (gradient == null) {
            if (root.numel() != 1) {
                throw new IllegalArgumentException("grad can be implicitly created only for scalar outputs (output " + index
                        + " has shape " + root.size() + "); pass a gradient of the same shape to backward(gradient)");
            }
            return Torch.onesLike(root);
        }
        if (!Arrays.equals(gradient.shape(), root.shape())) {
            throw new IllegalArgumentException("Mismatch in shape: grad_output[" + index + "] has a shape of " + gradient.size()
                    + " and output[" + index + "] has a shape of " + root.size() + ".");
        }
        return gradient.dtype() == root.dtype() && gradient.device() == root.device() ? gradient
                : gradient.to(root.device(), root.dtype());
    }

    private static Map<Node, Integer> countDependencies(Deque<Node> roots) {
        // BEGIN SOLUTION step3.engine-dependencies
        Map<Node, Integer> deps = new IdentityHashMap<>();
        Map<Node, Boolean> seen = new IdentityHashMap<>();
        Deque<Node> stack = new ArrayDeque<>(roots);
        roots.forEach(r -> seen.put(r, true));
        while (!stack.isEmpty()) {
            Node n = stack.pop();
            for (int i = 0; i < n.numInputs(); i++) {
                Edge e = n.edge(i);
                if (e != null) {
                    deps.merge(e.node(), 1, Integer::sum);
                    if (seen.put(e.node(), true) == null) {
                        stack.push(e.node());
                    }
                }
            }
        }
        return deps;
        // END SOLUTION
    }

    private static Tensor accumulate(Tensor sum, Tensor g) {
        return sum == null ? g : sum.add(g);
    }

    /**
     * Brings a formula's gradient to the input's shape, dtype and device: broadcasting in the
     * forward pass becomes a sum over the broadcast dims here.
     */
    private static Tensor fit(Tensor g, Node.InputMeta in, Node node, int i) {
        if (!Arrays.equals(g.shape(), in.shape())) {
            try {
                g = g.sumToSize(in.shape());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(node.name() + " returned a gradient for input " + i + " that does not fit it: "
                        + e.getMessage(), e);
            }
        }
        if (g.device() != in.device() || g.dtype() != in.dtype()) {
            g = g.to(in.device(), in.dtype());
        }
        return g;
    }
}
