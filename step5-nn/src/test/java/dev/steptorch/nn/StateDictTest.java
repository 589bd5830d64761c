package dev.steptorch.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** load_state_dict's checks and a model's round trip through a safetensors file. */
class StateDictTest {
    @TempDir
    Path dir;

    private static Sequential model(long seed) {
        Torch.manualSeed(seed);
        return new Sequential(new Linear(4, 3), new ReLU(), new Linear(3, 2));
    }

    /** A copy of every value, to compare with later. */
    private static Map<String, float[]> snapshot(Module m) {
        Map<String, float[]> out = new LinkedHashMap<>();
        m.stateDict().forEach((k, v) -> out.put(k, v.toFloatArray()));
        return out;
    }

    private static void assertUnchanged(Module m, Map<String, float[]> before) {
        Map<String, float[]> now = snapshot(m);
        assertThat(now.keySet()).containsExactlyElementsOf(before.keySet());
        before.forEach((k, v) -> assertThat(now.get(k)).as(k).containsExactly(v));
    }

    /** Another model's state, so every value differs from the one it would overwrite. */
    private static Map<String, Tensor> otherState() {
        return new LinkedHashMap<>(model(99).stateDict());
    }

    @Test
    void stateDictKeysFollowRegistrationOrder() {
        assertThat(model(1).stateDict().keySet()).containsExactly("0.weight", "0.bias", "2.weight", "2.bias");
    }

    @Test
    void strictLoadRejectsMissingKeysAndLoadsNothing() {
        Sequential m = model(1);
        Map<String, float[]> before = snapshot(m);
        Map<String, Tensor> state = otherState();
        state.remove("2.bias");
        assertThatThrownBy(() -> m.loadStateDict(state, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Missing key(s) in state_dict: \"2.bias\"");
        assertUnchanged(m, before);
    }

    @Test
    void strictLoadRejectsUnexpectedKeysAndLoadsNothing() {
        Sequential m = model(1);
        Map<String, float[]> before = snapshot(m);
        Map<String, Tensor> state = otherState();
        state.put("3.weight", Torch.zeros(2, 2));
        assertThatThrownBy(() -> m.loadStateDict(state, true))
                .hasMessageContaining("Unexpected key(s) in state_dict: \"3.weight\"");
        assertUnchanged(m, before);
    }

    @Test
    void shapeMismatchNamesTheKeyAndBothShapesEvenWhenNotStrict() {
        Sequential m = model(1);
        Map<String, float[]> before = snapshot(m);
        Map<String, Tensor> state = otherState();
        state.put("0.weight", Torch.zeros(3, 5));
        for (boolean strict : new boolean[] {true, false}) {
            assertThatThrownBy(() -> m.loadStateDict(state, strict))
                    .hasMessageContaining("size mismatch for 0.weight")
                    .hasMessageContaining("torch.Size([3, 5])")
                    .hasMessageContaining("torch.Size([3, 4])");
            assertUnchanged(m, before);
        }
    }

    @Test
    void nonStrictLoadReturnsTheKeysItSkippedAndLoadsTheRest() {
        Sequential m = model(1);
        Map<String, Tensor> state = otherState();
        Tensor kept = m.stateDict().get("2.bias");
        float[] keptValues = kept.toFloatArray();
        state.remove("2.bias");
        state.put("extra", Torch.ones(1));
        Module.LoadResult result = m.loadStateDict(state, false);
        assertThat(result.missingKeys()).containsExactly("2.bias");
        assertThat(result.unexpectedKeys()).containsExactly("extra");
        assertThat(m.stateDict().get("0.weight").toFloatArray()).containsExactly(state.get("0.weight").toFloatArray());
        assertThat(m.stateDict().get("2.bias").toFloatArray()).containsExactly(keptValues);
    }

    @Test
    void roundTripThroughAFileGivesIdenticalOutputs() throws IOException {
        Sequential saved = model(1);
        Sequential loaded = model(2);
        Tensor x = Torch.randn(6, 4);
        assertThat(loaded.call(x).equal(saved.call(x))).as("different seeds must give different models").isFalse();

        Path file = dir.resolve("model.safetensors");
        Checkpoints.saveStateDict(saved, file);
        Module.LoadResult result = Checkpoints.loadStateDict(loaded, file, true);
        assertThat(result.missingKeys()).isEmpty();
        assertThat(result.unexpectedKeys()).isEmpty();
        assertThat(loaded.call(x).toFloatArray()).containsExactly(saved.call(x).toFloatArray());
        // parameters stay parameters: loading copies values in, it does not replace the tensors
        assertThat(loaded.parameters()).allMatch(Tensor::requiresGrad);
    }

    @Test
    void aDamagedFileLeavesTheModelUnchanged() throws IOException {
        Sequential m = model(1);
        Map<String, float[]> before = snapshot(m);
        Path file = dir.resolve("model.safetensors");
        Checkpoints.saveStateDict(model(2), file);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 4)); // the last tensor's data cut short
        assertThatThrownBy(() -> Checkpoints.loadStateDict(m, file, true))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("\"2.bias\"");
        assertUnchanged(m, before);
    }

    @Test
    void aFileForAnotherModelIsRejectedWithTheKeys() throws IOException {
        Path file = dir.resolve("other.safetensors");
        Checkpoints.saveStateDict(new Sequential(new Linear(4, 3)), file);
        Sequential m = model(1);
        Map<String, float[]> before = snapshot(m);
        assertThatThrownBy(() -> Checkpoints.loadStateDict(m, file, true))
                .hasMessageContaining("Missing key(s) in state_dict: \"2.weight\", \"2.bias\"");
        assertUnchanged(m, before);
    }
}
