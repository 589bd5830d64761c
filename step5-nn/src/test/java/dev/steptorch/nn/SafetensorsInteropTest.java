package dev.steptorch.nn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steptorch.serialization.HalfFloats;
import dev.steptorch.serialization.Safetensors;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files cross between PyTorch and StepTorch. torch_sequential.safetensors was written by
 * scripts/check_safetensors_interop.py (with struct/json/NumPy, no safetensors library) from a
 * torch {@code nn.Sequential(Linear(4, 3), ReLU(), Linear(3, 2))}; loaded into the same StepTorch
 * model it must give torch's outputs. The other direction: this test also leaves a StepTorch
 * file and its outputs under target/safetensors-interop/, which the script's {@code check} mode
 * loads into torch (see the script's header).
 */
class SafetensorsInteropTest {
    @TempDir
    Path dir;

    private static Sequential model() {
        return new Sequential(new Linear(4, 3), new ReLU(), new Linear(3, 2));
    }

    @Test
    void aTorchFileGivesTorchOutputs() throws IOException {
        Path file = dir.resolve("torch_sequential.safetensors");
        try (InputStream in = torchFile("torch_sequential.safetensors")) {
            Files.copy(in, file);
        }
        Map<String, Tensor> expected = expected();
        Sequential m = model();
        Module.LoadResult result = Checkpoints.loadStateDict(m, file, true);
        assertThat(result.missingKeys()).isEmpty();
        Tensor y = m.call(expected.get("input"));
        assertThat(y.shape()).containsExactly(5, 2);
        assertThat(y.allclose(expected.get("output"), 1e-6, 1e-6))
                .as("StepTorch %s vs torch %s", Arrays.toString(y.toFloatArray()),
                        Arrays.toString(expected.get("output").toFloatArray()))
                .isTrue();
    }

    @Test
    void writesAFileForTorchToRead() throws IOException {
        Torch.manualSeed(7);
        Sequential m = model();
        Path out = Files.createDirectories(Path.of("target", "safetensors-interop"));
        Path file = out.resolve("steptorch_sequential.safetensors");
        Checkpoints.saveStateDict(m, file);
        float[] y = m.call(expected().get("input")).toFloatArray();
        String text = lines(y);
        Files.writeString(out.resolve("steptorch_sequential.safetensors.outputs.txt"), text);
        // what the script will see: the same keys, shapes and values
        Map<String, Tensor> back = Safetensors.load(file);
        assertThat(back.keySet()).containsExactly("0.weight", "0.bias", "2.weight", "2.bias");
        back.forEach((k, v) -> assertThat(v.toFloatArray()).as(k).containsExactly(m.stateDict().get(k).toFloatArray()));
    }

    /**
     * A file PyTorch wrote: from the folder TORCH_INTEROP_DIR names (.ci/run has PyTorch write it
     * afresh there), else the copy in the test resources.
     */
    private InputStream torchFile(String name) throws IOException {
        String dir = System.getenv("TORCH_INTEROP_DIR");
        if (dir != null && !dir.isBlank()) {
            return Files.newInputStream(Path.of(dir, name));
        }
        InputStream in = getClass().getResourceAsStream("/" + name);
        if (in == null) {
            throw new IOException("no test resource " + name);
        }
        return in;
    }

    @Test
    void torchsHalfAndBfloat16FilesLoadUpcastToFloat32() throws IOException {
        Map<String, Tensor> full;
        Path f32 = dir.resolve("f32.safetensors");
        try (InputStream in = torchFile("torch_sequential.safetensors")) {
            Files.copy(in, f32);
        }
        full = Safetensors.load(f32);
        for (String code : new String[] {"f16", "bf16"}) {
            Path file = dir.resolve(code + ".safetensors");
            try (InputStream in = torchFile("torch_sequential_" + code + ".safetensors")) {
                Files.copy(in, file);
            }
            Map<String, Tensor> narrow = Safetensors.load(file);
            assertThat(narrow.keySet()).containsExactlyElementsOf(full.keySet());
            narrow.forEach((k, v) -> {
                assertThat(v.dtype()).as(k).isEqualTo(dev.steptorch.tensor.DType.FLOAT32);
                float[] want = full.get(k).toFloatArray();
                for (int i = 0; i < want.length; i++) {
                    // what torch's .half() / .bfloat16() makes of the float32 weights, exactly
                    float rounded = code.equals("f16") ? HalfFloats.f16ToFloat(HalfFloats.floatToF16(want[i]))
                            : HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(want[i]));
                    assertThat(v.toFloatArray()[i]).as("%s %s[%d]", code, k, i).isEqualTo(rounded);
                }
            });
            // and a model loads them like any state_dict
            Sequential m = model();
            assertThat(Checkpoints.loadStateDict(m, file, true).missingKeys()).isEmpty();
        }
    }

    @Test
    void writesHalfAndBfloat16FilesForTorchToRead() throws IOException {
        Torch.manualSeed(7);
        Sequential m = model();
        Path out = Files.createDirectories(Path.of("target", "safetensors-interop"));
        for (Safetensors.FloatFormat format : new Safetensors.FloatFormat[] {Safetensors.FloatFormat.F16,
                Safetensors.FloatFormat.BF16}) {
            Path file = out.resolve("steptorch_sequential_" + format.name().toLowerCase(java.util.Locale.ROOT) + ".safetensors");
            Safetensors.save(m.stateDict(), Map.of(), file, format);
            Map<String, Tensor> back = Safetensors.load(file);
            back.forEach((k, v) -> {
                float[] want = m.stateDict().get(k).toFloatArray();
                float[] got = v.toFloatArray();
                for (int i = 0; i < want.length; i++) {
                    assertThat(got[i]).as("%s %s[%d]", format, k, i).isCloseTo(want[i],
                            org.assertj.core.data.Offset.offset(format == Safetensors.FloatFormat.F16 ? 1e-3f : 1e-2f));
                }
            });
        }
    }

    private static String lines(float[] y) {
        StringBuilder sb = new StringBuilder();
        for (float v : y) {
            sb.append(Float.toString(v)).append('\n');
        }
        return sb.toString();
    }

    /** "input" and "output" from torch_sequential_expected.txt. */
    private Map<String, Tensor> expected() throws IOException {
        Map<String, Tensor> out = new HashMap<>();
        try (InputStream in = torchFile("torch_sequential_expected.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] p = line.trim().split(" ");
                int rows = Integer.parseInt(p[1]);
                int cols = Integer.parseInt(p[2]);
                float[] v = new float[p.length - 3];
                for (int i = 3; i < p.length; i++) {
                    v[i - 3] = Float.parseFloat(p[i]);
                }
                out.put(p[0], Torch.tensor(v).reshape(rows, cols));
            }
        }
        assertThat(out.keySet()).as("sections of torch_sequential_expected.txt").containsExactlyInAnyOrder("input", "output");
        return out;
    }
}
