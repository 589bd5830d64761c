package dev.steptorch.vision.train;

import dev.steptorch.nn.Module;
import dev.steptorch.optim.Optimizer;
import dev.steptorch.optim.StateDict;
import dev.steptorch.serialization.Json;
import dev.steptorch.serialization.Safetensors;
import dev.steptorch.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A training checkpoint in one safetensors file, written atomically: the model's state_dict under
 * {@code model.*}, the optimizer's state tensors under {@code optimizer.state.<param>.<name>},
 * and everything that is not a tensor (optimizer options, step counts, the epoch, the loss
 * history) in the file's metadata, each value as JSON ({@code 3}, {@code 0.01}, {@code false},
 * {@code null}, {@code [2.31, 2.27]}), so they load back exactly and any JSON reader can see them.
 */
public final class Checkpoint {
    private static final String MODEL = "model.";
    private static final String STATE = "optimizer.state.";
    private static final String GROUP = "optimizer.group.";

    /** What a checkpoint holds besides the tensors it loads into model and optimizer. */
    public record Progress(int epochsDone, List<Double> losses, List<Double> testAccuracy) {
        /** Progress without test accuracies (a checkpoint written before they were kept has none). */
        public Progress(int epochsDone, List<Double> losses) {
            this(epochsDone, losses, List.of());
        }
    }

    private Checkpoint() {
    }

    public static void save(Path file, Module model, Optimizer optimizer, Progress progress) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, String> meta = new LinkedHashMap<>();
        model.stateDict().forEach((k, v) -> tensors.put(MODEL + k, v));
        StateDict sd = optimizer.stateDict();
        sd.state().forEach((param, entries) -> entries.forEach((key, value) -> {
            String name = STATE + param + "." + key;
            if (value instanceof Tensor t) {
                tensors.put(name, t);
            } else {
                meta.put(name, encode(value));
            }
        }));
        for (int g = 0; g < sd.paramGroups().size(); g++) {
            int group = g;
            sd.paramGroups().get(g).forEach((key, value) -> meta.put(GROUP + group + "." + key, encode(value)));
        }
        meta.put("epochs_done", encode(progress.epochsDone()));
        meta.put("losses", encode(progress.losses()));
        if (!progress.testAccuracy().isEmpty()) {
            meta.put("test_accuracy", encode(progress.testAccuracy()));
        }
        Safetensors.save(tensors, meta, file);
    }

    /**
     * Loads the model strictly and the optimizer's state, and returns the training progress. The
     * whole file is read and checked first; if model or optimizer then refuse what it holds, both
     * are left as they were, so a failed resume never trains on from a half-loaded state.
     */
    public static Progress load(Path file, Module model, Optimizer optimizer) throws IOException {
        Map<String, Tensor> tensors = Safetensors.load(file);
        Map<String, String> meta = Safetensors.loadMetadata(file);
        // Checked first: a model's bare state_dict would otherwise fail on its first tensor name.
        if (!meta.containsKey("epochs_done") || !meta.containsKey("losses")) {
            throw new IllegalArgumentException(file + " is not a training checkpoint: its metadata lacks epochs_done/losses"
                    + " (a model's state_dict alone loads with Checkpoints.loadStateDict)");
        }
        Map<String, Tensor> modelState = new LinkedHashMap<>();
        Map<Integer, Map<String, Object>> state = new TreeMap<>();
        tensors.forEach((name, t) -> {
            if (name.startsWith(MODEL)) {
                modelState.put(name.substring(MODEL.length()), t);
            } else if (name.startsWith(STATE)) {
                putState(state, name.substring(STATE.length()), t, file);
            } else {
                throw new IllegalArgumentException(file + ": unexpected tensor '" + name + "' in a training checkpoint");
            }
        });
        Map<Integer, Map<String, Object>> groups = new TreeMap<>();
        meta.forEach((key, value) -> {
            if (key.startsWith(STATE)) {
                putState(state, key.substring(STATE.length()), decode(value, file), file);
            } else if (key.startsWith(GROUP)) {
                putState(groups, key.substring(GROUP.length()), decode(value, file), file);
            }
        });
        if (!(decode(meta.get("losses"), file) instanceof List<?> losses)
                || !(decode(meta.get("epochs_done"), file) instanceof Integer epochs)) {
            throw new IllegalArgumentException(file + ": epochs_done must be an integer and losses a list of numbers");
        }
        Map<String, Tensor> modelBefore = new LinkedHashMap<>();
        model.stateDict().forEach((k, v) -> modelBefore.put(k, v.detach().clone()));
        try {
            model.loadStateDict(modelState, true);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
        try {
            optimizer.loadStateDict(new StateDict(state, new ArrayList<>(groups.values())));
        } catch (RuntimeException e) {
            model.loadStateDict(modelBefore, true);
            throw new IllegalArgumentException(file + ": the optimizer's state does not fit this optimizer: " + e.getMessage(), e);
        }
        List<Double> lossValues = new ArrayList<>();
        losses.forEach(x -> lossValues.add((Double) x));
        List<Double> accuracy = new ArrayList<>();
        if (meta.containsKey("test_accuracy")) {
            if (!(decode(meta.get("test_accuracy"), file) instanceof List<?> values)) {
                throw new IllegalArgumentException(file + ": test_accuracy must be a list of numbers");
            }
            values.forEach(x -> accuracy.add((Double) x));
        }
        return new Progress(epochs, lossValues, accuracy);
    }

    /** "3.momentum_buffer" -> state[3]["momentum_buffer"]; group options keep "params" as a list of ints. */
    private static void putState(Map<Integer, Map<String, Object>> into, String key, Object value, Path file) {
        int dot = key.indexOf('.');
        int index;
        try {
            index = Integer.parseInt(key.substring(0, Math.max(0, dot)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + ": checkpoint entry '" + key + "' does not start with a parameter or group number");
        }
        Object v = value;
        if (key.endsWith(".params") && value instanceof List<?> list) {
            v = list.stream().map(x -> (int) Math.round((Double) x)).toList();
        }
        into.computeIfAbsent(index, i -> new LinkedHashMap<>()).put(key.substring(dot + 1), v);
    }

    /** A checkpoint value as JSON text: null, true/false, an integer, a number, or a list of numbers. */
    static String encode(Object value) {
        Object v = value instanceof double[] a ? java.util.Arrays.stream(a).boxed().toList() : value;
        if (v instanceof List<?> list) {
            List<Double> numbers = new ArrayList<>();
            for (Object o : list) {
                numbers.add(((Number) o).doubleValue());
            }
            v = numbers;
        } else if (v instanceof Number n && !(v instanceof Integer || v instanceof Long)) {
            v = n.doubleValue();
        } else if (v != null && !(v instanceof Boolean || v instanceof Integer || v instanceof Long)) {
            throw new IllegalArgumentException("cannot store a " + v.getClass().getSimpleName() + " in a checkpoint");
        }
        return Json.write(v);
    }

    /**
     * A value written by {@link #encode}: integers come back as Integer (Long if they do not fit),
     * numbers as Double, lists as lists of Double (NaN and infinities included).
     */
    static Object decode(String text, Path file) {
        try {
            Object v = Json.parseValue(text);
            if (v instanceof Long l) {
                return l == l.intValue() ? (Object) l.intValue() : (Object) l; // optimizers count steps in ints
            }
            if (v instanceof List<?> list) {
                List<Double> out = new ArrayList<>();
                for (Object o : list) {
                    out.add(number(o));
                }
                return out;
            }
            if (v == null || v instanceof Boolean || v instanceof Double) {
                return v;
            }
            return number(v); // NaN and the infinities arrive as bare words
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": cannot read the checkpoint value \"" + text + "\"");
        }
    }

    private static double number(Object o) {
        if (o instanceof Number n) {
            return n.doubleValue();
        }
        if (o instanceof String s && (s.equals("NaN") || s.equals("Infinity") || s.equals("-Infinity"))) {
            return Double.parseDouble(s);
        }
        throw new IllegalArgumentException("not a number: " + o);
    }
}
