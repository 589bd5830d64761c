package dev.steptorch.nn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * PyTorch's numbers for the layers, read from layer_reference.txt (written by
 * scripts/make_layer_reference.py): float64 tensors by name, and printed modules by key.
 */
final class LayerReference {
    private static final Options F64 = Options.dtype(DType.FLOAT64);
    private static final Map<String, double[]> VALUES = new HashMap<>();
    private static final Map<String, int[]> SHAPES = new HashMap<>();
    private static final Map<String, String> REPRS = new HashMap<>();

    static {
        load();
    }

    private LayerReference() {
    }

    private static void load() {
        InputStream in = LayerReference.class.getResourceAsStream("/layer_reference.txt");
        if (in == null) {
            throw new IllegalStateException("layer_reference.txt is missing; run scripts/make_layer_reference.py");
        }
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split(" ", 3);
                if (f[0].equals("repr")) {
                    REPRS.put(f[1], f[2].replace("\\n", "\n"));
                    continue;
                }
                int[] shape = f[1].equals("scalar") ? new int[0] : Arrays.stream(f[1].split(",")).mapToInt(Integer::parseInt).toArray();
                double[] values = Arrays.stream(f[2].split(" ")).mapToDouble(Double::parseDouble).toArray();
                SHAPES.put(f[0], shape);
                VALUES.put(f[0], values);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean has(String name) {
        return VALUES.containsKey(name);
    }

    static double[] values(String name) {
        assertThat(VALUES).as("the reference file has %s", name).containsKey(name);
        return VALUES.get(name);
    }

    /** A fresh float64 CPU tensor holding the reference values. */
    static Tensor tensor(String name) {
        return Torch.tensor(values(name), F64).view(SHAPES.get(name));
    }

    static String repr(String key) {
        assertThat(REPRS).as("the reference file has the printed form of %s", key).containsKey(key);
        return REPRS.get(key);
    }

    /** Same shape, and every element within 1e-5 relative (1e-9 absolute near zero) of PyTorch's. */
    static void assertClose(String name, Tensor actual) {
        assertThat(actual).as("%s was computed", name).isNotNull();
        assertThat(actual.shape()).as("shape of %s", name).containsExactly(SHAPES.get(name));
        double[] expected = values(name);
        double[] got = actual.contiguous().toDoubleArray();
        for (int i = 0; i < expected.length; i++) {
            double tolerance = 1e-5 * Math.abs(expected[i]) + 1e-9;
            assertThat(Math.abs(got[i] - expected[i])).as("%s element %d: got %s, PyTorch %s", name, i, got[i], expected[i])
                    .isLessThanOrEqualTo(tolerance);
        }
    }
}
