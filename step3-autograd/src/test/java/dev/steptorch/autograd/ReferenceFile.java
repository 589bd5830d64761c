package dev.steptorch.autograd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A reference file as this module's scripts write it: {@code NAME SHAPE V1 V2 ...} lines (SHAPE
 * like {@code 2,3}, {@code scalar} for 0-dim), {@code # comments}, and {@code gradfn CASE NAME}
 * records. Step 4's tests read their copy of the file with it too.
 */
public final class ReferenceFile {
    public final Map<String, double[]> values = new LinkedHashMap<>();
    public final Map<String, int[]> shapes = new LinkedHashMap<>();
    public final Map<String, String> gradFns = new LinkedHashMap<>();

    private ReferenceFile() {
    }

    public static ReferenceFile load(String resource, String script) {
        InputStream in = ReferenceFile.class.getResourceAsStream("/" + resource);
        if (in == null) {
            throw new IllegalStateException(resource + " is missing; run " + script);
        }
        ReferenceFile file = new ReferenceFile();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split(" ");
                if (f[0].equals("gradfn")) {
                    file.gradFns.put(f[1], f[2]);
                    continue;
                }
                int[] shape = f[1].equals("scalar") ? new int[0] : Arrays.stream(f[1].split(",")).mapToInt(Integer::parseInt).toArray();
                double[] values = Arrays.stream(f, 2, f.length).mapToDouble(Double::parseDouble).toArray();
                assertThat(values).as("%s has as many values as its shape says", f[0]).hasSize(Arrays.stream(shape).reduce(1, (a, b) -> a * b));
                file.shapes.put(f[0], shape);
                file.values.put(f[0], values);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}
