package dev.steptorch.optim;

import dev.steptorch.autograd.GradMode;
import dev.steptorch.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * PyTorch's {@code torch.optim.Optimizer}: holds parameter groups and per-parameter state, and
 * updates the parameters from their {@code .grad} on each {@link #step()}.
 *
 * <p>The training loop is PyTorch's:
 * <pre>{@code
 * optimizer.zeroGrad();
 * criterion.call(model.call(x), y).backward();
 * optimizer.step();
 * }</pre>
 *
 * <p>Subclasses write only the update of one parameter ({@link #update}); walking the groups,
 * skipping parameters without a gradient, switching recording off, and the state_dict are here.
 */
public abstract class Optimizer {
    private final Map<String, Object> defaults;
    private final List<ParamGroup> paramGroups = new ArrayList<>();
    /** Per-parameter state, keyed by the tensor itself, as {@code self.state[p]} is. */
    private final Map<Tensor, Map<String, Object>> state = new IdentityHashMap<>();
    private int stepCount;

    /**
     * @param params either parameters ({@code model.parameters()}), which become one group, or
     *               {@link ParamGroup}s; as PyTorch's {@code params} argument accepts either
     */
    protected Optimizer(List<?> params, OptimizerDefaults defaults) {
        this.defaults = Collections.unmodifiableMap(new LinkedHashMap<>(defaults.asMap()));
        if (params.isEmpty()) {
            throw new IllegalArgumentException("optimizer got an empty parameter list");
        }
        if (params.get(0) instanceof ParamGroup) {
            for (Object group : params) {
                if (!(group instanceof ParamGroup g)) {
                    throw new IllegalArgumentException("optimizer params must be all Tensors or all ParamGroups, but one is "
                            + typeName(group));
                }
                addParamGroup(g);
            }
        } else {
            List<Tensor> tensors = new ArrayList<>();
            for (Object p : params) {
                if (!(p instanceof Tensor t)) {
                    throw new IllegalArgumentException("optimizer can only optimize Tensors, but one of the params is " + typeName(p));
                }
                tensors.add(t);
            }
            addParamGroup(ParamGroup.of(tensors));
        }
    }

    private static String typeName(Object o) {
        return o == null ? "null" : o.getClass().getName();
    }

    /** PyTorch's name for this optimizer, used in {@link #toString()}. */
    public String name() {
        return getClass().getSimpleName();
    }

    /**
     * {@code add_param_group}: adds a group (fine-tuning adds unfrozen layers this way). The
     * optimizer keeps a copy whose missing options are filled from the defaults.
     */
    public void addParamGroup(ParamGroup group) {
        for (Tensor p : group.params()) {
            if (!p.isLeaf()) {
                throw new IllegalArgumentException("can't optimize a non-leaf Tensor");
            }
        }
        ParamGroup own = ParamGroup.of(group.params());
        group.options().forEach(own::set);
        for (Map.Entry<String, Object> d : defaults.entrySet()) {
            if (!own.has(d.getKey())) {
                own.set(d.getKey(), d.getValue());
            }
        }
        for (String required : requiredOptions()) {
            if (!own.has(required)) {
                throw new IllegalArgumentException("parameter group didn't specify a value of required optimization parameter "
                        + required);
            }
        }
        Set<Tensor> taken = Collections.newSetFromMap(new IdentityHashMap<>());
        paramGroups.forEach(g -> taken.addAll(g.params()));
        for (Tensor p : group.params()) {
            if (taken.contains(p)) {
                throw new IllegalArgumentException("some parameters appear in more than one parameter group");
            }
        }
        checkOptions(own);
        paramGroups.add(own);
    }

    /** Options without a default, which every group must then set (SGD's lr). */
    protected List<String> requiredOptions() {
        return List.of();
    }

    /**
     * Rejects invalid option values with PyTorch's message, e.g. "Invalid learning rate: -0.1".
     * Runs on every group once the defaults are filled in; PyTorch 1.13 checks only the
     * constructor's arguments, so there a negative lr set in a group goes unnoticed.
     */
    protected void checkOptions(ParamGroup group) {
        checkNonNegative(group, "lr", "Invalid learning rate: ");
    }

    protected static void checkNonNegative(ParamGroup group, String option, String message) {
        // Written as !(0 <= v), as PyTorch does, so that NaN is rejected too.
        if (!(0.0 <= group.getDouble(option))) {
            throw new IllegalArgumentException(message + group.get(option));
        }
    }

    /** The live groups: setting an option here (a scheduler's lr) applies to the next step. */
    public List<ParamGroup> paramGroups() {
        return Collections.unmodifiableList(paramGroups);
    }

    /** {@code optimizer.defaults}: the options a group gets when it sets none. */
    public Map<String, Object> defaultOptions() {
        return defaults;
    }

    /** {@code optimizer.state[param]}, read-only: empty before the parameter's first step. */
    public Map<String, Object> state(Tensor param) {
        Map<String, Object> s = state.get(param);
        return s == null ? Map.of() : Collections.unmodifiableMap(s);
    }

    /** The state of one parameter, for the subclass to fill in; created (empty) on first use. */
    protected final Map<String, Object> stateOf(Tensor param) {
        return state.computeIfAbsent(param, p -> new LinkedHashMap<>());
    }

    /** How many times {@link #step()} ran; a scheduler uses it to catch steps in the wrong order. */
    public int stepCount() {
        return stepCount;
    }

    /**
     * {@code zero_grad()}: fills every gradient with zeros in place (PyTorch 1.13's default,
     * {@code set_to_none=False}), so that the next backward() starts from zero rather than adding
     * to this step's gradient.
     */
    public void zeroGrad() {
        zeroGrad(false);
    }

    /** {@code zero_grad(set_to_none)}: with true, drops the gradients instead, and step() then skips those params. */
    public void zeroGrad(boolean setToNone) {
        for (ParamGroup group : paramGroups) {
            for (Tensor p : group.params()) {
                Tensor grad = p.grad();
                if (grad == null) {
                    continue;
                }
                if (setToNone) {
                    p.setGrad(null);
                    continue;
                }
                if (grad.gradFn() != null) {
                    // A gradient made with create_graph has history; zeroing it in place would record.
                    grad = grad.detach();
                    p.setGrad(grad);
                } else {
                    grad.requiresGrad_(false);
                }
                try (var ignored = GradMode.noGrad()) {
                    grad.zero_();
                }
            }
        }
    }

    /**
     * One update of every parameter that has a gradient. Runs without recording: the update
     * itself is not part of any model's computation.
     */
    public void step() {
        try (var ignored = GradMode.noGrad()) {
            for (ParamGroup group : paramGroups) {
                for (Tensor p : group.params()) {
                    if (p.grad() != null) {
                        update(p, p.grad(), group, stateOf(p));
                    }
                }
            }
        }
        stepCount++;
    }

    /**
     * {@code step(closure)}: evaluates the loss with recording on (the closure typically zeroes the
     * gradients, runs forward and backward), then steps; returns the closure's loss.
     */
    public Tensor step(Supplier<Tensor> closure) {
        Tensor loss;
        try (var ignored = GradMode.enableGrad()) {
            loss = closure.get();
        }
        step();
        return loss;
    }

    /**
     * Updates {@code param} in place from {@code grad}, with the group's options and the param's
     * state (created here on first use).
     */
    protected abstract void update(Tensor param, Tensor grad, ParamGroup group, Map<String, Object> state);

    /** {@code state_dict()}: see {@link StateDict}. */
    public StateDict stateDict() {
        Map<Tensor, Integer> index = new IdentityHashMap<>();
        List<Map<String, Object>> groups = new ArrayList<>();
        for (ParamGroup group : paramGroups) {
            List<Integer> ids = new ArrayList<>();
            for (Tensor p : group.params()) {
                index.putIfAbsent(p, index.size());
                ids.add(index.get(p));
            }
            Map<String, Object> packed = new LinkedHashMap<>(group.options());
            packed.put("params", List.copyOf(ids));
            groups.add(packed);
        }
        Map<Integer, Map<String, Object>> packedState = new LinkedHashMap<>();
        for (Map.Entry<Tensor, Integer> e : index.entrySet()) {
            Map<String, Object> s = state.get(e.getKey());
            if (s != null) {
                // A copy of the map, not of its tensors (see StateDict).
                packedState.put(e.getValue(), new LinkedHashMap<>(s));
            }
        }
        return new StateDict(sortedByIndex(packedState), groups);
    }

    private static Map<Integer, Map<String, Object>> sortedByIndex(Map<Integer, Map<String, Object>> state) {
        Map<Integer, Map<String, Object>> out = new LinkedHashMap<>();
        state.keySet().stream().sorted().forEach(k -> out.put(k, state.get(k)));
        return out;
    }

    /**
     * {@code load_state_dict(sd)}: takes the saved group options and a copy of the saved state,
     * matching saved parameter positions to this optimizer's parameters in group order. State
     * tensors are copied to each parameter's dtype and device, except the step count.
     */
    public void loadStateDict(StateDict stateDict) {
        List<Map<String, Object>> saved = stateDict.paramGroups();
        if (saved.size() != paramGroups.size()) {
            throw new IllegalArgumentException("loaded state dict has a different number of parameter groups");
        }
        Map<Integer, Tensor> byIndex = new HashMap<>();
        for (int g = 0; g < saved.size(); g++) {
            List<?> savedIds = (List<?>) saved.get(g).get("params");
            List<Tensor> ours = paramGroups.get(g).params();
            if (savedIds.size() != ours.size()) {
                throw new IllegalArgumentException("loaded state dict contains a parameter group that doesn't match the size of "
                        + "optimizer's group");
            }
            for (int i = 0; i < ours.size(); i++) {
                byIndex.put(((Number) savedIds.get(i)).intValue(), ours.get(i));
            }
        }
        state.clear();
        for (Map.Entry<Integer, Map<String, Object>> e : stateDict.state().entrySet()) {
            Tensor param = byIndex.get(e.getKey());
            if (param == null) {
                continue;
            }
            Map<String, Object> copy = new LinkedHashMap<>();
            e.getValue().forEach((key, value) -> copy.put(key, castLike(param, key, value)));
            state.put(param, copy);
        }
        for (int g = 0; g < saved.size(); g++) {
            Map<String, Object> options = new LinkedHashMap<>(saved.get(g));
            options.remove("params");
            paramGroups.get(g).replaceOptions(options);
        }
    }

    private static Object castLike(Tensor param, String key, Object value) {
        if (!(value instanceof Tensor t)) {
            return value;
        }
        Tensor copy = t.clone();
        if ("step".equals(key)) {
            // PyTorch leaves the step count where it is (pytorch/pytorch#74424): a CPU scalar.
            return copy;
        }
        return copy.to(param.device(), param.dtype());
    }

    /** PyTorch's repr: the name, then each group's options in alphabetical order. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(name()).append(" (");
        for (int g = 0; g < paramGroups.size(); g++) {
            s.append("\nParameter Group ").append(g);
            paramGroups.get(g).options().entrySet().stream()
                    .sorted(Map.Entry.comparingByKey())
                    .forEach(e -> s.append("\n    ").append(e.getKey()).append(": ").append(e.getValue()));
        }
        return s.append("\n)").toString();
    }
}
