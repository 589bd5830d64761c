/**
 * Files that leave the process: {@link dev.steptorch.serialization.Safetensors} (StepTorch's own
 * format), {@link dev.steptorch.serialization.TorchLoad} (PyTorch's {@code torch.save} files, like
 * {@code torch.load(weights_only=True)}) and the restricted {@link dev.steptorch.serialization.Unpickler}
 * beneath it, which refuses every global it was not given. Kept apart from {@code nn} because a
 * file format is not a layer: anything that holds tensors can be saved or read.
 */
package dev.steptorch.serialization;
