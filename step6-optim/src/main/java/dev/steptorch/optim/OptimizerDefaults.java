package dev.steptorch.optim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The keyword arguments of an optimizer's constructor ({@code lr=0.01, momentum=0.9}): each
 * optimizer's {@code defaults()} starts from PyTorch's default values and offers one setter per
 * option. They fill in whatever a {@link ParamGroup} does not set.
 */
public abstract class OptimizerDefaults {
    private final Map<String, Object> values = new LinkedHashMap<>();

    /** Sets an option by its PyTorch name; the typed setters of the subclasses go through here. */
    protected final void put(String name, Object value) {
        values.put(name, value);
    }

    /** The options by PyTorch name; an option with no default (SGD's lr) is absent. */
    public final Map<String, Object> asMap() {
        return Collections.unmodifiableMap(values);
    }
}
