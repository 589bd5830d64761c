package dev.steptorch.nn;

import dev.steptorch.serialization.Json;
import dev.steptorch.serialization.Safetensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The notes' "save/load the entire model" ({@code torch.save(model, PATH)}, {@code model = torch.load(PATH)})
 * without pickle. A pickled model is a program: it names the model's class and module path,
 * loading it imports and runs them, and it breaks when the code moves. Here the architecture is
 * data instead: a registered factory name and its configuration (a small JSON object) are written
 * into the metadata of one safetensors file beside the weights. Loading looks the name up among
 * factories that the program registered (or that the class path announces through
 * {@link ServiceLoader}), builds the model from the configuration, and loads the weights strictly.
 * A file can therefore only ever build models the program already knows how to build.
 */
public final class SavedModel {
    /** Metadata keys of a saved model. */
    public static final String FACTORY_KEY = "steptorch.factory";
    public static final String CONFIG_KEY = "steptorch.config";

    /** Builds a model from its configuration (JSON values: Map, List, String, Long). */
    @FunctionalInterface
    public interface Factory {
        Module build(Map<String, Object> config);
    }

    /** A module that can say which factory builds it, and with what configuration. */
    public interface Described {
        Architecture architecture();
    }

    /** A factory name and its configuration. */
    public record Architecture(String factory, Map<String, Object> config) {
    }

    /** Announces factories to {@link ServiceLoader} (META-INF/services), so loadModel finds them without set-up. */
    public interface Provider {
        Map<String, Factory> factories();
    }

    private static final Map<String, Factory> FACTORIES = new ConcurrentHashMap<>();

    private SavedModel() {
    }

    /** Makes {@code name} known to {@link #loadModel}. */
    public static void register(String name, Factory factory) {
        FACTORIES.put(name, factory);
    }

    /** Writes the model's architecture and its state_dict into one safetensors file, atomically. */
    public static void saveModel(Module model, Path file) throws IOException {
        if (!(model instanceof Described d)) {
            throw new IllegalArgumentException(model.getClass().getSimpleName() + " does not describe its architecture"
                    + " (implement SavedModel.Described, or save the state_dict with Checkpoints.saveStateDict)");
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(FACTORY_KEY, d.architecture().factory());
        meta.put(CONFIG_KEY, Json.write(d.architecture().config()));
        Safetensors.save(model.stateDict(), meta, file);
    }

    /** Builds the model that {@code file} describes and loads its weights; the file never names code. */
    @SuppressWarnings("unchecked")
    public static Module loadModel(Path file) throws IOException {
        Map<String, String> meta = Safetensors.loadMetadata(file);
        String name = meta.get(FACTORY_KEY);
        String configText = meta.get(CONFIG_KEY);
        if (name == null || configText == null) {
            throw new IOException(file + ": not a saved model (no " + FACTORY_KEY + " in its metadata); a bare state_dict"
                    + " loads into a model you build with Checkpoints.loadStateDict");
        }
        Factory factory = factory(name);
        if (factory == null) {
            throw new IOException(file + ": no model factory named '" + name + "' is registered (known: "
                    + new java.util.TreeSet<>(FACTORIES.keySet()) + ")");
        }
        Object config;
        try {
            config = Json.parse(configText);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": the model configuration is not valid JSON: " + e.getMessage());
        }
        if (!(config instanceof Map<?, ?>)) {
            throw new IOException(file + ": the model configuration is not a JSON object");
        }
        Module model;
        try {
            model = factory.build((Map<String, Object>) config);
        } catch (RuntimeException e) {
            throw new IOException(file + ": factory '" + name + "' refused the configuration " + configText + ": "
                    + e.getMessage(), e);
        }
        try {
            model.loadStateDict(Safetensors.load(file), true);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": the weights do not fit the model '" + name + "' builds: " + e.getMessage(), e);
        }
        return model;
    }

    private static Factory factory(String name) {
        if (!FACTORIES.containsKey(name)) {
            for (Provider p : ServiceLoader.load(Provider.class)) {
                p.factories().forEach(FACTORIES::putIfAbsent);
            }
        }
        return FACTORIES.get(name);
    }
}
