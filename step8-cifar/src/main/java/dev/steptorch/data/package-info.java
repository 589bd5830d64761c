/**
 * torch.utils.data: {@link dev.steptorch.data.Dataset}, {@link dev.steptorch.data.DataLoader} and the
 * default collate, which turn indexed samples into shuffled, batched tensors for a training loop.
 */
package dev.steptorch.data;
