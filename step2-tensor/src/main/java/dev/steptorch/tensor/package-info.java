/** Step 2: tensors with a dtype and a device, each op dispatched to that device's kernels. */
package dev.steptorch.tensor;
