package dev.steptorch.ndarray;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Printing and op results checked text for text against NumPy 1.24 (the file is written by
 * {@code scripts/make_reference.py}; each case below builds the same array in Java).
 */
class NumpyReferenceTest {
    private static final Map<String, String> REFERENCE = load();

    private static NDArray ints() { return NumPy.arange(6).reshape(2, 3); }
    private static NDArray grid() { return NumPy.arange(24).reshape(4, 6).sub(11.3).mul(3.7); }
    private static NDArray a() { return NumPy.arange(12).reshape(3, 4).sub(5).mul(0.3); }
    private static NDArray b() { return NumPy.arange(8).reshape(4, 2).add(1).mul(0.25); }
    private static NDArray isEven(NDArray x) {
        NDArray r = x.copy();
        for (int i = 0; i < r.size(); i++) r.itemset(r.item(i) % 2, i);
        return r.eq(0);
    }

    private static Map<String, Supplier<String>> cases() {
        Map<String, Supplier<String>> c = new LinkedHashMap<>();
        c.put("repr ints", () -> ints().toString());
        c.put("repr ints/4", () -> ints().div(4).toString());
        c.put("str ints/4", () -> ints().div(4).str());
        c.put("repr grid", () -> grid().toString());
        c.put("str grid", () -> grid().str());
        c.put("repr mixed exp", () -> NumPy.of(new double[] {1.5, -2.25}, new double[] {1e-5, 3.0}).toString());
        c.put("repr large exp", () -> NumPy.of(1e8, 1.0, -2.5).toString());
        c.put("repr thirds", () -> NumPy.of(1 / 3.0, 2 / 3.0, 1.0).toString());
        c.put("repr wide row", () -> NumPy.arange(30).mul(1.1).toString());
        c.put("str wide row", () -> NumPy.arange(30).mul(1.1).str());
        c.put("repr summarised", () -> NumPy.arange(2000).mul(0.5).reshape(40, 50).toString());
        c.put("repr summarised 1d", () -> NumPy.arange(1500).astype(DType.FLOAT64).toString());
        c.put("repr mask", () -> isEven(ints()).toString());
        c.put("str mask", () -> isEven(ints()).str());
        c.put("repr float32", () -> {
            float[] f = new float[4];
            for (int i = 0; i < 4; i++) f[i] = i / 3f;
            return NDArray.wrap(f, 4).toString();
        });
        c.put("repr nonfinite", () -> NumPy.of(1.0, Double.NaN, Double.NEGATIVE_INFINITY).toString());
        c.put("repr zeros", () -> NumPy.zeros(2, 3).toString());
        c.put("repr 3d", () -> NumPy.arange(12).reshape(2, 2, 3).mul(0.5).toString());
        c.put("repr 0d", () -> NumPy.scalar(352.92012594689965).toString());
        c.put("str 0d", () -> NumPy.scalar(352.92012594689965).str());
        c.put("repr empty", () -> NumPy.zeros(0).toString());
        c.put("repr column slice", () -> grid().get(Index.all(), Index.at(1)).toString());
        c.put("repr transposed", () -> a().T().toString());
        c.put("dot", () -> a().dot(b()).toString());
        c.put("dot vector", () -> a().dot(NumPy.of(1.0, -1.0, 0.5, 2.0)).toString());
        c.put("broadcast add", () -> a().add(NumPy.of(10.0, 20.0, 30.0, 40.0)).toString());
        c.put("broadcast column", () -> a().mul(NumPy.of(new double[] {1}, new double[] {2}, new double[] {3})).toString());
        c.put("sum axis 0", () -> a().sum(0).toString());
        c.put("sum axis 1 keepdims", () -> a().sum(1, true).toString());
        c.put("mean", () -> a().mean().str());
        c.put("max axis 1", () -> a().max(1).toString());
        c.put("argmax axis 0", () -> NumPy.of(new double[] {1, 5, 2}, new double[] {4, 0, 9}).argmax(0).toString());
        c.put("maximum relu", () -> NumPy.maximum(a(), 0).toString());
        c.put("exp", () -> NumPy.exp(a()).toString());
        c.put("log", () -> NumPy.log(b()).toString());
        c.put("masked assignment", () -> {
            NDArray g = grid().copy();
            return g.maskedFill_(grid().lt(0), 0).toString();
        });
        String[] pythonFloats = {"352.92012594689965", "1e-06", "0.1", "2.7938284772554593e-07", "1e16", "123456789.0", "0.0001"};
        for (String text : pythonFloats) {
            c.put("float " + text, () -> NumPy.scalar(Double.parseDouble(text)).str());
        }
        return c;
    }

    static Stream<Arguments> referenceCases() {
        return cases().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("referenceCases")
    void matchesNumpy(String name, Supplier<String> java) {
        assertThat(REFERENCE).containsKey(name);
        assertThat(java.get()).isEqualTo(REFERENCE.get(name));
    }

    @Test
    void everyReferenceCaseIsChecked() {
        assertThat(cases().keySet()).containsExactlyInAnyOrderElementsOf(REFERENCE.keySet());
    }

    private static Map<String, String> load() {
        Map<String, String> m = new LinkedHashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                NumpyReferenceTest.class.getResourceAsStream("/numpy_reference.txt"), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("#") || line.isEmpty()) continue;
                int tab = line.indexOf('\t');
                m.put(line.substring(0, tab), unescape(line.substring(tab + 1)));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return m;
    }

    private static String unescape(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '\\' && i + 1 < s.length()) {
                char next = s.charAt(++i);
                sb.append(next == 'n' ? '\n' : next);
            } else {
                sb.append(ch);
            }
        }
        return sb.toString();
    }
}
