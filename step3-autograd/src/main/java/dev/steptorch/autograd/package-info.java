/**
 * Step 3: reverse-mode automatic differentiation. A dispatch layer in front of step2's kernels
 * records a graph of {@link dev.steptorch.autograd.Node}s while ops run; {@link
 * dev.steptorch.autograd.Engine} walks it backwards when {@code backward()} is called.
 */
package dev.steptorch.autograd;
