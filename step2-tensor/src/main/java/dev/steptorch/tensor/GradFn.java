package dev.steptorch.tensor;

import java.util.List;

/** A node of the autograd graph as the user sees it ({@code tensor.grad_fn}); step3 implements it. */
public interface GradFn {
    /** e.g. "AddBackward0". */
    String name();

    /** The nodes this one passes gradients to ({@code next_functions}); null entries for inputs without history. */
    List<GradFn> nextFunctions();
}
