package dev.steptorch.autograd;

/** A graph edge: gradients for input {@code inputNr} of {@code node} (PyTorch's {@code Edge}). */
record Edge(Node node, int inputNr) {
}
