package dev.steptorch.optim;

import java.util.List;
import java.util.Map;

/**
 * {@code optimizer.state_dict()}: the per-parameter state (momentum buffers, running averages,
 * step counts), keyed by the parameter's position across all groups (0, 1, ... in group order)
 * rather than by the tensor, plus each group's options with {@code "params"} as a list of those
 * positions. Positions make it loadable into a fresh optimizer over fresh tensors of the same
 * model.
 *
 * <p>As in PyTorch, the tensors in {@code state} are the optimizer's own, not copies: further
 * steps change them. {@link Optimizer#loadStateDict} copies what it loads.
 */
public record StateDict(Map<Integer, Map<String, Object>> state, List<Map<String, Object>> paramGroups) {
}
