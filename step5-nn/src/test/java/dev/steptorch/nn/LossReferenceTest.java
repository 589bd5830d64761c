package dev.steptorch.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every loss and reduction against PyTorch 1.13: values, input gradients and (for float
 * targets) target gradients, for the fixed inputs stored in loss_reference.txt by
 * scripts/make_loss_reference.py, including the edge cases (huge logits, probabilities of
 * exactly 0 and 1).
 */
class LossReferenceTest {
    private static final double RTOL = 1e-6;

    /** One block of the reference file: key -> tensor, plus the loss and its reduction. */
    record Case(String name, String loss, Reduction reduction, Map<String, Tensor> tensors) {
    }

    @TestFactory
    Stream<DynamicTest> matchesPyTorch() throws IOException {
        List<Case> cases = readCases();
        assertThat(cases).hasSize(18);
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
    }

    private static void check(Case c) {
        Tensor input = c.tensors().get("input").requiresGrad_(true);
        Tensor target = c.tensors().get("target");
        boolean floatTarget = target.dtype().isFloatingPoint();
        if (floatTarget) {
            target.requiresGrad_(true);
        }
        Module loss = lossModule(c.loss(), c.reduction());
        Tensor out = loss.call(input, target);
        assertClose(c.name() + " output", out, c.tensors().get("output"));
        out.backward(c.tensors().get("grad_output"));
        assertClose(c.name() + " grad_input", input.grad(), c.tensors().get("grad_input"));
        if (floatTarget) {
            assertClose(c.name() + " grad_target", target.grad(), c.tensors().get("grad_target"));
        }
    }

    static Module lossModule(String name, Reduction reduction) {
        return switch (name) {
            case "MSELoss" -> new MSELoss(reduction);
            case "NLLLoss" -> new NLLLoss(reduction);
            case "CrossEntropyLoss" -> new CrossEntropyLoss(reduction);
            case "BCELoss" -> new BCELoss(reduction);
            default -> throw new IllegalArgumentException("unknown loss " + name);
        };
    }

    private static void assertClose(String what, Tensor actual, Tensor expected) {
        assertThat(actual).as(what + " is missing").isNotNull();
        assertThat(actual.shape()).as(what + " shape").isEqualTo(expected.shape());
        double[] a = actual.toDoubleArray();
        double[] e = expected.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            boolean same = a[i] == e[i] || Math.abs(a[i] - e[i]) <= RTOL * Math.abs(e[i]) + 1e-300;
            if (!same) {
                fail(what + "[" + i + "]: expected " + e[i] + " (PyTorch), got " + a[i] + "\n  all: " + Arrays.toString(a));
            }
        }
    }

    @Test
    void gradFnNamesAreTheOnesPyTorchPrints() {
        Tensor x = Torch.rand(3, 4).requiresGrad_(true);
        Tensor classes = Torch.tensor(new long[] {0, 3, 1});
        assertThat(new MSELoss().call(x, Torch.rand(3, 4)).gradFn().name()).isEqualTo("MseLossBackward0");
        assertThat(new NLLLoss().call(x, classes).gradFn().name()).isEqualTo("NllLossBackward0");
        assertThat(new CrossEntropyLoss().call(x, classes).gradFn().name()).isEqualTo("NllLossBackward0");
        assertThat(new BCELoss(Reduction.NONE).call(x, Torch.rand(3, 4)).gradFn().name())
                .isEqualTo("BinaryCrossEntropyBackward0");
    }

    @Test
    void printsAsPyTorch() {
        assertThat(new MSELoss()).hasToString("MSELoss()");
        assertThat(new CrossEntropyLoss(Reduction.SUM)).hasToString("CrossEntropyLoss()");
        assertThat(new NLLLoss()).hasToString("NLLLoss()");
        assertThat(new BCELoss()).hasToString("BCELoss()");
        assertThat(new MSELoss().reduction()).isEqualTo(Reduction.MEAN);
        assertThat(new NLLLoss(Reduction.NONE).reduction()).isEqualTo(Reduction.NONE);
    }

    @Test
    void lossesHaveNoParameters() {
        assertThat(new CrossEntropyLoss().parameters()).isEmpty();
        assertThat(new MSELoss().stateDict()).isEmpty();
    }

    static List<Case> readCases() throws IOException {
        List<Case> cases = new ArrayList<>();
        try (InputStream in = LossReferenceTest.class.getResourceAsStream("/loss_reference.txt")) {
            assertThat(in).as("loss_reference.txt on the test class path").isNotNull();
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String[] header = null;
            Map<String, Tensor> tensors = null;
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.trim().split(" ");
                switch (parts[0]) {
                    case "case" -> {
                        header = parts;
                        tensors = new LinkedHashMap<>();
                    }
                    case "end" -> cases.add(new Case(header[1], header[2], Reduction.valueOf(header[3].toUpperCase()), tensors));
                    default -> tensors.put(parts[0], parseTensor(parts));
                }
            }
        }
        return cases;
    }

    private static Tensor parseTensor(String[] parts) {
        String dims = parts[2].substring("shape=".length());
        int[] shape = dims.isEmpty() ? new int[0] : Arrays.stream(dims.split(",")).mapToInt(Integer::parseInt).toArray();
        String[] values = Arrays.copyOfRange(parts, 3, parts.length);
        if (parts[1].equals("int64")) {
            long[] v = Arrays.stream(values).mapToLong(Long::parseLong).toArray();
            return Torch.tensor(v).reshape(shape);
        }
        double[] v = Arrays.stream(values).mapToDouble(Double::parseDouble).toArray();
        return Torch.tensor(v, Options.dtype(DType.FLOAT64)).reshape(shape).contiguous();
    }
}
