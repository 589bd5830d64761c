package dev.steptorch.nn;

import dev.steptorch.autograd.GradMode;
import dev.steptorch.tensor.Device;
import dev.steptorch.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * PyTorch's {@code nn.Module}: a piece of a network that owns parameters (tensors that require
 * grad), buffers (state that is saved but not trained, such as BatchNorm's running mean) and
 * submodules, each under a name.
 *
 * <p>Registration is explicit ({@code registerParameter}, {@code registerModule}) rather than by
 * reflection over fields: Java gives no reliable field order, while the order of registration is
 * exactly the order a reader sees in the constructor, and it decides the order of
 * {@code parameters()} and of the state_dict, as attribute assignment does in PyTorch.
 *
 * <p>Layers read their parameters through {@link #param(String)} rather than keeping them in
 * fields, because {@link #to(Device)} replaces the tensors (a Tensor's storage cannot move).
 */
public abstract class Module {
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /** The computation, for modules with one input; {@link #call(Tensor)} runs it. */
    public Tensor forward(Tensor input) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not take one input");
    }

    /** The computation, for modules with two inputs, such as losses (input, target). */
    public Tensor forward(Tensor input, Tensor target) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not take two inputs");
    }

    /** {@code module(x)} in Python. */
    public final Tensor call(Tensor input) {
        ModelSummary.Recorder recorder = ModelSummary.RECORDER.get();
        if (recorder == null) {
            return forward(input);
        }
        int row = recorder.enter(this);
        Tensor out = forward(input);
        recorder.exit(row, out);
        return out;
    }

    /** {@code criterion(output, target)} in Python. */
    public final Tensor call(Tensor input, Tensor target) {
        return forward(input, target);
    }

    // =====================================================================================
    // Registration
    // =====================================================================================

    /** Makes {@code value} a parameter (it will require grad); null registers "no parameter", like bias=False. */
    protected final Tensor registerParameter(String name, Tensor value) {
        checkName(name);
        if (value != null && !value.requiresGrad()) {
            value.requiresGrad_(true);
        }
        parameters.put(name, value);
        return value;
    }

    /** State that belongs in the state_dict but is not trained. */
    protected final Tensor registerBuffer(String name, Tensor value) {
        checkName(name);
        buffers.put(name, value);
        return value;
    }

    /** {@code add_module}: a submodule under {@code name}. */
    public final <M extends Module> M registerModule(String name, M module) {
        checkName(name);
        children.put(name, module);
        return module;
    }

    /**
     * {@code model.fc = nn.Linear(num_ftrs, 2)}: replaces the child {@code name} by {@code module},
     * keeping its place in the tree (and so in printing and in the state_dict), or adds it when
     * there is no such child. Parameters of the old child leave {@link #parameters()}, so build the
     * optimizer after replacing, as the tutorial does.
     */
    public final <M extends Module> M setModule(String name, M module) {
        if (module == null) {
            throw new IllegalArgumentException("setModule(\"" + name + "\"): the module is null (use Identity to remove a layer)");
        }
        if (children.containsKey(name)) {
            children.put(name, module);
            return module;
        }
        return registerModule(name, module);
    }

    /** {@code get_submodule("layer4.1.conv2")}: the module at a dotted path of child names. */
    public final Module getSubmodule(String target) {
        Module m = this;
        if (target.isEmpty()) {
            return m;
        }
        for (String part : target.split("\\.", -1)) {
            Module next = m.children.get(part);
            if (next == null) {
                throw new IllegalArgumentException(m.getClass().getSimpleName() + " has no attribute `" + part + "` (looking up \""
                        + target + "\")");
            }
            m = next;
        }
        return m;
    }

    private void checkName(String name) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException("module, parameter and buffer names must be non-empty and contain no '.', got \""
                    + name + "\"");
        }
        if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException("attribute '" + name + "' already exists in " + getClass().getSimpleName());
        }
    }

    /** This module's own parameter {@code name} (null when registered as absent). */
    public final Tensor param(String name) {
        if (!parameters.containsKey(name)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " has no parameter '" + name + "'");
        }
        return parameters.get(name);
    }

    /** This module's own buffer {@code name}. */
    public final Tensor buffer(String name) {
        if (!buffers.containsKey(name)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " has no buffer '" + name + "'");
        }
        return buffers.get(name);
    }

    /** Replaces the value of a registered buffer (running statistics are recomputed each step). */
    protected final void setBuffer(String name, Tensor value) {
        buffer(name);
        buffers.put(name, value);
    }

    // =====================================================================================
    // Walking the tree
    // =====================================================================================

    /** Every parameter of this module and its submodules, each once, in registration order. */
    public final List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /**
     * How many numbers the parameters hold, each shared parameter counted once: the course's
     * {@code sum(p.numel() for p in model.parameters() if p.requires_grad)} with
     * {@code trainableOnly}, all of them without. The blitz's CIFAR-10 network has 62006.
     */
    public final long numParameters(boolean trainableOnly) {
        long n = 0;
        for (Tensor p : parameters()) {
            if (!trainableOnly || p.requiresGrad()) {
                n += p.numel();
            }
        }
        return n;
    }

    /** Every parameter counted, trainable or not: {@code numParameters(false)}. */
    public final long numParameters() {
        return numParameters(false);
    }

    /**
     * torchinfo's {@code summary(model, input_size=inputShape)}: runs a batch of zeros of that
     * shape through the model (without recording a graph) and tabulates every submodule that was
     * called, in the order it ran, with its output shape and parameter count, then the totals.
     */
    public final String summary(int... inputShape) {
        return ModelSummary.of(this, inputShape);
    }

    /** Parameters under dotted names ({@code "conv1.weight"}); a shared parameter appears under its first name. */
    public final Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        collect(out, "", seen, true);
        return out;
    }

    /** Buffers under dotted names. */
    public final Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect(out, "", Collections.newSetFromMap(new IdentityHashMap<>()), false);
        return out;
    }

    private void collect(Map<String, Tensor> out, String prefix, Set<Tensor> seen, boolean params) {
        // BEGIN SOLUTION step5.parameter-names
        for (Map.Entry<String, Tensor> e : (params ? parameters : buffers).entrySet()) {
            if (e.getValue() != null && seen.add(e.getValue())) {
                out.put(prefix + e.getKey(), e.getValue());
            }
        }
        for (Map.Entry<String, Module> c : children.entrySet()) {
            c.getValue().collect(out, prefix + c.getKey() + ".", seen, params);
        }
        // END SOLUTION
    }

    /** The direct submodules. */
    public final List<Module> children() {
        return new ArrayList<>(children.values());
    }

    public final Map<String, Module> namedChildren() {
        return Collections.unmodifiableMap(children);
    }

    /** This module and all below it, depth first, each once. */
    public final List<Module> modules() {
        List<Module> out = new ArrayList<>();
        Set<Module> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        addModules(out, seen);
        return out;
    }

    private void addModules(List<Module> out, Set<Module> seen) {
        if (seen.add(this)) {
            out.add(this);
            children.values().forEach(c -> c.addModules(out, seen));
        }
    }

    // =====================================================================================
    // Training state, devices, gradients
    // =====================================================================================

    /** {@code zero_grad()}: zeroes every parameter's gradient in place (PyTorch 1.13's default). */
    public final void zeroGrad() {
        try (var ignored = GradMode.noGrad()) {
            for (Tensor p : parameters()) {
                if (p.grad() != null) {
                    p.grad().zero_();
                }
            }
        }
    }

    public final Module train() {
        return train(true);
    }

    /** Switches this module and all submodules between training and evaluation behaviour (Dropout, BatchNorm). */
    public final Module train(boolean mode) {
        for (Module m : modules()) {
            m.training = mode;
        }
        return this;
    }

    public final Module eval() {
        return train(false);
    }

    public final boolean isTraining() {
        return training;
    }

    /** Freezes (false) or unfreezes every parameter, as {@code requires_grad_} does for a module. */
    public final Module requiresGrad_(boolean requiresGrad) {
        parameters().forEach(p -> p.requiresGrad_(requiresGrad));
        return this;
    }

    /**
     * Moves every parameter and buffer to {@code device}. Parameters are replaced by new leaf
     * tensors on the device, so create optimizers after moving the model, as PyTorch advises.
     */
    public final Module to(Device device) {
        // one replacement per tensor, so a parameter shared by two modules stays shared
        Map<Tensor, Tensor> moved = new IdentityHashMap<>();
        for (Module m : modules()) {
            m.parameters.replaceAll((name, p) -> p == null || p.device() == device ? p
                    : moved.computeIfAbsent(p, q -> q.detach().to(device).requiresGrad_(q.requiresGrad())));
            m.buffers.replaceAll((name, b) -> b == null ? null : moved.computeIfAbsent(b, q -> q.to(device)));
        }
        return this;
    }

    // =====================================================================================
    // state_dict
    // =====================================================================================

    /** Parameters and buffers under dotted names, detached but sharing storage, as PyTorch's state_dict(). */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        stateInto(out, "");
        return out;
    }

    private void stateInto(Map<String, Tensor> out, String prefix) {
        parameters.forEach((k, v) -> {
            if (v != null) {
                out.put(prefix + k, v.detach());
            }
        });
        buffers.forEach((k, v) -> {
            if (v != null) {
                out.put(prefix + k, v.detach());
            }
        });
        children.forEach((k, c) -> c.stateInto(out, prefix + k + "."));
    }

    /** Keys that {@link #loadStateDict} found missing or unexpected (both empty after a strict load). */
    public record LoadResult(List<String> missingKeys, List<String> unexpectedKeys) {
    }

    /**
     * Copies values from {@code state} into this module's parameters and buffers. With
     * {@code strict}, any missing or unexpected key is an error; a shape mismatch always is. All
     * checks run before anything is copied, so a failed load leaves the module as it was.
     */
    public final LoadResult loadStateDict(Map<String, Tensor> state, boolean strict) {
        Map<String, Tensor> own = stateDict();
        List<String> missing = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String key : own.keySet()) {
            if (!state.containsKey(key)) {
                missing.add(key);
            }
        }
        for (Map.Entry<String, Tensor> e : state.entrySet()) {
            Tensor target = own.get(e.getKey());
            if (target == null) {
                unexpected.add(e.getKey());
            } else if (!java.util.Arrays.equals(target.shape(), e.getValue().shape())) {
                problems.add("size mismatch for " + e.getKey() + ": copying a param with shape " + e.getValue().size()
                        + " from checkpoint, the shape in current model is " + target.size() + ".");
            }
        }
        if (strict) {
            if (!missing.isEmpty()) {
                problems.add("Missing key(s) in state_dict: " + quoted(missing) + ".");
            }
            if (!unexpected.isEmpty()) {
                problems.add("Unexpected key(s) in state_dict: " + quoted(unexpected) + ".");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Error(s) in loading state_dict for " + getClass().getSimpleName() + ":\n\t"
                    + String.join("\n\t", problems));
        }
        try (var ignored = GradMode.noGrad()) {
            for (Map.Entry<String, Tensor> e : state.entrySet()) {
                Tensor target = own.get(e.getKey());
                if (target != null) {
                    target.copy_(e.getValue());
                }
            }
        }
        return new LoadResult(missing, unexpected);
    }

    private static String quoted(List<String> keys) {
        return String.join(", ", keys.stream().map(k -> "\"" + k + "\"").toList());
    }

    // =====================================================================================
    // Printing
    // =====================================================================================

    /** The text inside this module's parentheses when printed, e.g. {@code in_features=4, out_features=2, bias=True}. */
    protected String extraRepr() {
        return "";
    }

    /** The name printed for this module; its class name unless overridden. */
    protected String typeName() {
        return getClass().getSimpleName();
    }

    /** The tree, as PyTorch prints a module. */
    @Override
    public String toString() {
        String extra = extraRepr();
        if (children.isEmpty()) {
            return typeName() + "(" + extra + ")";
        }
        StringBuilder sb = new StringBuilder(typeName()).append("(\n");
        if (!extra.isEmpty()) {
            sb.append("  ").append(extra.replace("\n", "\n  ")).append('\n');
        }
        for (Map.Entry<String, Module> c : children.entrySet()) {
            sb.append("  (").append(c.getKey()).append("): ").append(c.getValue().toString().replace("\n", "\n  ")).append('\n');
        }
        return sb.append(')').toString();
    }
}
