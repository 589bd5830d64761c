/**
 * Step 6: {@code torch.optim}. An {@link dev.steptorch.optim.Optimizer} turns the gradients that
 * backward() left in {@code .grad} into parameter updates ({@link dev.steptorch.optim.SGD},
 * {@link dev.steptorch.optim.Adam}, {@link dev.steptorch.optim.RMSprop},
 * {@link dev.steptorch.optim.Adagrad}), with per-group options ({@link dev.steptorch.optim.ParamGroup}),
 * a state_dict ({@link dev.steptorch.optim.StateDict}), and learning-rate schedules
 * ({@link dev.steptorch.optim.StepLR}, {@link dev.steptorch.optim.MultiStepLR}). The update rules
 * are PyTorch 1.13's, term for term, so trajectories match PyTorch's.
 */
package dev.steptorch.optim;
