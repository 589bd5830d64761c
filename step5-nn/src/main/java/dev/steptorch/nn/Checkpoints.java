package dev.steptorch.nn;

import dev.steptorch.serialization.Safetensors;
import dev.steptorch.serialization.TorchLoad;
import dev.steptorch.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code torch.save(model.state_dict(), path)} and {@code model.load_state_dict(torch.load(path))},
 * with safetensors files instead of pickles; PyTorch's own {@code .pth} files are read too.
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
        return module.loadStateDict(readStateDict(file), strict);
    }

    /**
     * The state_dict in {@code file}, safetensors or PyTorch's own {@code torch.save} zip (read by
     * the restricted unpickler of {@link TorchLoad}); the first bytes decide, not the name.
     */
    public static Map<String, Tensor> readStateDict(Path file) throws IOException {
        return TorchLoad.looksLikeTorchSave(file) ? TorchLoad.loadStateDict(file) : Safetensors.load(file);
    }
}
