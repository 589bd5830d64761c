package dev.steptorch.nn;

import dev.steptorch.serialization.Safetensors;
import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code torch.save(model.state_dict(), path)} and {@code model.load_state_dict(torch.load(path))},
 * with safetensors files instead of pickles.
 */
public final class Checkpoints {
    private Checkpoints() {
    }

    /** Writes the module's state_dict (parameters and buffers, under dotted names) atomically. */
    public static void saveStateDict(Module module, Path file) throws IOException {
        Safetensors.save(module.stateDict(), file);
    }

    /**
     * Reads {@code file} and loads it into {@code module}; see {@link Module#loadStateDict}. A
     * damaged file, or a state_dict that does not fit, leaves the module unchanged.
     */
    public static Module.LoadResult loadStateDict(Module module, Path file, boolean strict) throws IOException {
        return module.loadStateDict(Safetensors.load(file), strict);
    }
}
