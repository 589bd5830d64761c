package dev.steptorch.optim;

import dev.steptorch.tensor.Tensor;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One parameter group: some parameters and the options (lr, momentum, ...) that apply to them,
 * PyTorch's {@code {'params': ..., 'lr': ...}} dict. Options a group leaves out come from the
 * optimizer's defaults when the group joins an optimizer, so the course's
 * {@code [{'params': features, 'lr': 1e-5}, {'params': classifier}]} reads
 * {@code List.of(ParamGroup.of(features).lr(1e-5), ParamGroup.of(classifier))}.
 *
 * <p>The optimizer keeps its own copy of each group; {@link Optimizer#paramGroups()} hands out
 * those live copies, and changing their options (as a scheduler changes lr) changes the
 * optimizer's next steps.
 */
public final class ParamGroup {
    private final List<Tensor> params;
    private final Map<String, Object> options = new LinkedHashMap<>();

    private ParamGroup(List<Tensor> params) {
        this.params = List.copyOf(params);
    }

    public static ParamGroup of(List<Tensor> params) {
        return new ParamGroup(params);
    }

    public static ParamGroup of(Tensor... params) {
        return new ParamGroup(Arrays.asList(params));
    }

    /** Sets this group's learning rate. */
    public ParamGroup lr(double lr) {
        return set("lr", lr);
    }

    /** Sets any option by its PyTorch name ({@code "momentum"}, {@code "weight_decay"}, ...). */
    public ParamGroup set(String name, Object value) {
        if ("params".equals(name)) {
            throw new IllegalArgumentException("a group's params are fixed when it is made: ParamGroup.of(params)");
        }
        options.put(name, value);
        return this;
    }

    public List<Tensor> params() {
        return params;
    }

    public double lr() {
        return getDouble("lr");
    }

    /** Changes the learning rate in place, as a scheduler does with {@code group['lr'] = ...}. */
    public void setLr(double lr) {
        options.put("lr", lr);
    }

    public boolean has(String name) {
        return options.containsKey(name);
    }

    public Object get(String name) {
        if (!options.containsKey(name)) {
            throw new IllegalArgumentException("parameter group has no option '" + name + "'");
        }
        return options.get(name);
    }

    public double getDouble(String name) {
        return ((Number) get(name)).doubleValue();
    }

    public boolean getBoolean(String name) {
        return (Boolean) get(name);
    }

    /** The options, without the params, in the order they were set. */
    public Map<String, Object> options() {
        return Collections.unmodifiableMap(options);
    }

    /** Copies the options of {@code source} over this group's, keeping the params (load_state_dict). */
    void replaceOptions(Map<String, Object> source) {
        options.clear();
        options.putAll(source);
    }

    @Override
    public String toString() {
        return "ParamGroup(" + params.size() + " params, " + options + ")";
    }
}
