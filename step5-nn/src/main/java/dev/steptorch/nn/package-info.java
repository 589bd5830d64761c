/**
 * Step 5: {@link dev.steptorch.nn.Module}s that own parameters, the layers and losses of the
 * course, the functional forms in {@link dev.steptorch.nn.F}, and {@code state_dict} files.
 */
package dev.steptorch.nn;
