package dev.steptorch.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The .pth reader against files torch 1.13 wrote (scripts/make_pth_reference.py), good and hostile. */
class TorchLoadTest {
    @TempDir
    Path dir;

    static Path resource(Path dir, String name) throws IOException {
        try (InputStream in = TorchLoadTest.class.getResourceAsStream("/pth/" + name)) {
            Path p = dir.resolve(name);
            Files.write(p, in.readAllBytes());
            return p;
        }
    }

    @Test
    void readsAStateDictWithViewsAndEveryDtype() throws IOException {
        Map<String, Tensor> sd = TorchLoad.loadStateDict(resource(dir, "good.pth"));
        assertThat(sd.keySet()).containsExactly("w", "w_t", "row", "d", "n", "mask");
        float[] w = new float[12];
        for (int i = 0; i < 12; i++) {
            w[i] = i / 4f;
        }
        assertThat(sd.get("w").shape()).containsExactly(3, 4);
        assertThat(sd.get("w").toFloatArray()).containsExactly(w);
        assertThat(sd.get("w_t").shape()).containsExactly(4, 3);
        assertThat(sd.get("w_t").contiguous().toFloatArray()).containsExactly(sd.get("w").t().contiguous().toFloatArray());
        assertThat(sd.get("row").toFloatArray()).containsExactly(1f, 1.25f, 1.5f, 1.75f);
        assertThat(sd.get("d").dtype()).isEqualTo(DType.FLOAT64);
        assertThat(sd.get("d").toDoubleArray()).containsExactly(1.5, -2.25);
        assertThat(sd.get("n").dim()).isZero();
        assertThat(sd.get("n").toLongArray()).containsExactly(7L);
        assertThat(sd.get("mask").toBooleanArray()).containsExactly(true, false, true);
    }

    @Test
    void readsTheNotesGeneralCheckpointAsAWholeObject() throws IOException {
        Path file = resource(dir, "general_checkpoint.pth");
        Object obj = TorchLoad.load(file);
        assertThat(obj).isInstanceOf(Map.class);
        Map<?, ?> m = (Map<?, ?>) obj;
        assertThat(m.get("epoch")).isEqualTo(5L);
        assertThat(m.get("loss")).isEqualTo(0.25);
        assertThat(List.copyOf(((Map<?, ?>) m.get("model_state_dict")).keySet())).isEqualTo(List.of("weight", "bias"));
        assertThatThrownBy(() -> TorchLoad.loadStateDict(file)).isInstanceOf(UnpicklingError.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("not a plain state_dict");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "os_system.pth|refusing the global posix.system",
        "builtins_eval.pth|refusing the global builtins.eval",
        "unknown_global.pth|refusing the global collections.Counter",
        "whole_model.pth|refusing the global torch.nn.modules.linear.Linear",
        "half_storage.pth|storage type torch.HalfStorage holds a dtype StepTorch does not have",
        "short_storage.pth|declares 4 FloatStorage elements (16 bytes), but its entry holds 12 bytes",
        "shape_beyond_storage.pth|storage '0' holds 4 elements, but a tensor of size [2, 4]",
        "huge_numel.pth|declares 1099511627776 elements, more than StepTorch can hold",
        "large_numel.pth|declares 536870912 FloatStorage elements (2147483648 bytes), but its entry holds 16 bytes",
        "huge_shape.pth|a tensor with more elements than StepTorch can hold",
        "missing_storage.pth|storage '7' has no entry archive/data/7",
        "truncated_pickle.pth|the pickle ends early",
        "truncated_zip.pth|the zip archive is damaged or truncated",
        "legacy.pth|the legacy torch.save format",
    })
    void refusesHostileAndDamagedFilesByName(String name, String message) throws IOException {
        Path file = resource(dir, name);
        assertThatThrownBy(() -> TorchLoad.load(file)).isInstanceOf(UnpicklingError.class)
                .hasMessageStartingWith(file.toString()).hasMessageContaining(message);
        assertThat(dir.resolve("PWNED")).doesNotExist();
        assertThat(Path.of("PWNED")).doesNotExist();
    }

    /** Any byte changed or any tail cut: a clean error or a well-formed result, never another exception or OOM. */
    @Property(tries = 300)
    void damagedFilesFailCleanly(@ForAll @IntRange(min = 0, max = 1612) int at, @ForAll byte value,
                                 @ForAll boolean cut) throws IOException {
        byte[] good;
        try (InputStream in = TorchLoadTest.class.getResourceAsStream("/pth/good.pth")) {
            good = in.readAllBytes();
        }
        byte[] bad = cut ? java.util.Arrays.copyOf(good, Math.min(at, good.length)) : good.clone();
        if (!cut && at < bad.length) {
            bad[at] = value;
        }
        Path file = Files.createTempFile("damaged", ".pth");
        try {
            Files.write(file, bad);
            try {
                TorchLoad.load(file);
            } catch (UnpicklingError e) {
                assertThat(e.getMessage()).startsWith(file.toString());
            }
        } finally {
            Files.delete(file);
        }
    }
}
