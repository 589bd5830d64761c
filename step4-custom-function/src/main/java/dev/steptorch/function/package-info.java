/**
 * Step 4: user-defined autograd functions ({@link dev.steptorch.function.Function}, PyTorch's
 * {@code torch.autograd.Function}) and {@link dev.steptorch.function.GradCheck}, the numerical
 * test that a hand-written backward agrees with its forward.
 */
package dev.steptorch.function;
