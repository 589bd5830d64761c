package dev.steptorch.ladder;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Reads the imports of every step's library code and lessons and holds them to the ladder: a step
 * uses only the steps below it, nothing above step 2 reaches into a device backend, the kernels
 * never call back into the dispatcher, and only a few places dispatch below autograd. It lives in
 * the top step because only from there can every step be seen.
 */
class LadderTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?dev\\.steptorch\\.(\\w+)([\\w.]*);", Pattern.MULTILINE);

    /** Which step each top-level package belongs to. */
    private static final Map<String, Integer> STEP_OF_PACKAGE = Map.of(
            "ndarray", 1, "tensor", 2, "autograd", 3, "function", 4, "nn", 5, "optim", 6, "dynamic", 7,
            "vision", 8, "data", 8);

    /** The files allowed to dispatch below autograd: the shared backend code and the engine's {@code .data}. */
    private static final List<String> BELOW_AUTOGRAD_ALLOWED = List.of(
            "step2-tensor/src/main/java/", "step3-autograd/src/main/java/dev/steptorch/autograd/Autograd.java");

    record Source(Path path, int step, String text) {
        String relative() {
            return ROOT.relativize(path).toString().replace('\\', '/');
        }
    }

    private static List<Source> sources() {
        List<Source> all = new ArrayList<>();
        for (int step = 1; step <= 8; step++) {
            int n = step;
            try (Stream<Path> modules = Files.list(ROOT)) {
                Path module = modules.filter(p -> p.getFileName().toString().startsWith("step" + n + "-")).findFirst()
                        .orElseThrow(() -> new AssertionError("no module step" + n + "-* under " + ROOT));
                for (Path dir : List.of(module.resolve("src/main/java"), module.resolve("lessons"))) {
                    if (!Files.isDirectory(dir)) {
                        continue;
                    }
                    try (Stream<Path> files = Files.walk(dir)) {
                        for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                            all.add(new Source(f, n, Files.readString(f)));
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        assertThat(all).as("the sources of the eight steps").hasSizeGreaterThan(100);
        return all;
    }

    @Test
    void everyStepImportsOnlyTheStepsBelowIt() {
        List<String> violations = new ArrayList<>();
        for (Source s : sources()) {
            Matcher m = IMPORT.matcher(s.text());
            while (m.find()) {
                Integer step = STEP_OF_PACKAGE.get(m.group(1));
                if (step != null && step > s.step()) {
                    violations.add(s.relative() + " (step " + s.step() + ") imports step " + step + ": " + m.group(0));
                }
            }
        }
        assertThat(violations).as("imports that run back up the ladder").isEmpty();
    }

    @Test
    void nothingAboveStep2ReachesIntoADeviceBackend() {
        List<String> violations = new ArrayList<>();
        for (Source s : sources()) {
            if (s.step() > 2 && (s.text().contains("dev.steptorch.tensor.cpu") || s.text().contains("dev.steptorch.tensor.opencl")
                    || s.text().contains("CpuStorage") || s.text().contains("OpenClStorage"))) {
                violations.add(s.relative());
            }
        }
        assertThat(violations).as("files above step 2 that use a backend's classes; use the public tensor API "
                + "(Torch.fromArray, Tensor.toFloatArray, the dispatcher's ops) instead").isEmpty();
    }

    @Test
    void theKernelsNeverCallTheDispatcher() {
        List<String> violations = new ArrayList<>();
        for (Source s : sources()) {
            String path = s.relative();
            boolean kernel = path.contains("/tensor/cpu/") || path.contains("/tensor/opencl/");
            if (kernel && s.text().contains("Dispatcher.")) {
                violations.add(path);
            }
        }
        assertThat(violations).as("kernels that call the dispatcher (they get what they need from their backend)").isEmpty();
    }

    @Test
    void onlyAFewPlacesDispatchBelowAutograd() {
        List<String> violations = new ArrayList<>();
        for (Source s : sources()) {
            String path = s.relative();
            if (s.text().contains("belowAutograd(") && BELOW_AUTOGRAD_ALLOWED.stream().noneMatch(path::startsWith)) {
                violations.add(path);
            }
        }
        assertThat(violations).as("code that skips the dispatch layers (and so autograd)").isEmpty();
    }
}
