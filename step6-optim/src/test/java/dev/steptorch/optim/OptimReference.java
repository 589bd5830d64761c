package dev.steptorch.optim;

import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Device;
import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * optim_reference.txt, written by scripts/make_optim_reference.py with PyTorch 1.13: the tiny
 * problem's data, the optimizer cases and their parameter trajectories, and scheduler lrs.
 */
final class OptimReference {
    /** An optimizer as the script made it: its class name and keyword arguments (as text). */
    record Case(String name, String kind, Map<String, String> options) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final OptimReference INSTANCE = load();

    final Map<String, double[]> data = new LinkedHashMap<>();
    final Map<String, int[]> shapes = new LinkedHashMap<>();
    final Map<String, Case> cases = new LinkedHashMap<>();
    /** case name -> step (0-based) -> {W, b} values after that step. */
    final Map<String, List<double[][]>> trajectories = new LinkedHashMap<>();
    /** scheduler name -> epoch -> lr of each group. */
    final Map<String, List<double[]>> schedules = new LinkedHashMap<>();

    static OptimReference get() {
        return INSTANCE;
    }

    private static OptimReference load() {
        OptimReference ref = new OptimReference();
        try (var in = OptimReference.class.getResourceAsStream("/optim_reference.txt");
             var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    ref.parse(line.trim().split(" "));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ref;
    }

    private void parse(String[] f) {
        switch (f[0]) {
            case "data" -> {
                shapes.put(f[1], Arrays.stream(f[2].split("x")).mapToInt(Integer::parseInt).toArray());
                data.put(f[1], numbers(f, 3));
            }
            case "case" -> {
                Map<String, String> options = new LinkedHashMap<>();
                for (int i = 3; i < f.length; i++) {
                    String[] kv = f[i].split("=");
                    options.put(kv[0], kv[1]);
                }
                cases.put(f[1], new Case(f[1], f[2], options));
                trajectories.put(f[1], new ArrayList<>());
            }
            case "step" -> {
                List<double[][]> steps = trajectories.get(f[1]);
                int k = Integer.parseInt(f[2]) - 1;
                if (steps.size() == k) {
                    steps.add(new double[2][]);
                }
                steps.get(k)["W".equals(f[3]) ? 0 : 1] = numbers(f, 4);
            }
            case "sched" -> schedules.computeIfAbsent(f[1], n -> new ArrayList<>()).add(numbers(f, 3));
            default -> throw new IllegalStateException("unknown record " + f[0]);
        }
    }

    private static double[] numbers(String[] f, int from) {
        return Arrays.stream(f, from, f.length).mapToDouble(Double::parseDouble).toArray();
    }

    /** Fixed data as a float64 tensor on {@code device}, in {@code dtype}. */
    Tensor tensor(String name, DType dtype, Device device) {
        return Torch.tensor(data.get(name), Options.of(DType.FLOAT64, Device.CPU)).view(shapes.get(name)).to(device, dtype);
    }
}
