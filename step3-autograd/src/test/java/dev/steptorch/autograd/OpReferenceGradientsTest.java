package dev.steptorch.autograd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.OpCatalog;
import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import dev.steptorch.tensor.UnaryOp;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every unary op and every op of {@link OpCatalog#OTHER} against PyTorch 1.13: the grad_fn name
 * of the result, and the gradients of {@code (op(inputs) * w).sum()} in float64, from the inputs
 * and weights step 3's make_reference.py wrote into {@code autograd_reference.txt}.
 */
class OpReferenceGradientsTest {
    private static final Map<String, double[]> VALUES = new HashMap<>();
    private static final Map<String, int[]> SHAPES = new HashMap<>();
    private static final Map<String, String> GRAD_FNS = new HashMap<>();

    /**
     * Composites record the nodes of the ops they are made of, where PyTorch records one node of
     * its own (or, for matmul and einsum, other views around the same product). The gradients are
     * PyTorch's all the same; each entry is StepTorch's name.
     */
    private static final Map<String, String> COMPOSITE_NODES = Map.ofEntries(
            Map.entry("trace", "SumBackward0"),
            Map.entry("repeat 2 1 2", "UnsafeViewBackward0"),
            Map.entry("stack dim 1", "CatBackward0"),
            Map.entry("split 3 dim 1 second", "SliceBackward0"),
            Map.entry("chunk 2 dim 0 last", "SliceBackward0"),
            Map.entry("matmul broadcast batch", "ViewBackward0"),
            Map.entry("matmul 3d by 2d", "ViewBackward0"),
            Map.entry("matmul 1d by 3d", "SqueezeBackward1"),
            Map.entry("matmul 3d by 1d", "SqueezeBackward1"),
            Map.entry("einsum i,j->ij", "ViewBackward0"),
            Map.entry("einsum ii->i", "SliceBackward0"),
            Map.entry("einsum bij,bkj->bki", "PermuteBackward0"));

    static {
        load();
    }

    @TestFactory
    Stream<DynamicTest> unaryOps() {
        return Arrays.stream(UnaryOp.values()).map(op -> DynamicTest.dynamicTest(op.torchName(),
                () -> check("unary:" + op.torchName(), x -> Torch.unary(op, x[0], null), null)));
    }

    @TestFactory
    Stream<DynamicTest> otherOps() {
        return OpCatalog.OTHER.stream().map(row -> DynamicTest.dynamicTest(row.name(),
                () -> check("other:" + row.name().replace(' ', '_'), row.op(), COMPOSITE_NODES.get(row.name()))));
    }

    @Test
    void theFileHasACaseForEveryOp() {
        List<String> cases = new ArrayList<>();
        Arrays.stream(UnaryOp.values()).forEach(op -> cases.add("unary:" + op.torchName()));
        OpCatalog.OTHER.forEach(row -> cases.add("other:" + row.name().replace(' ', '_')));
        assertThat(GRAD_FNS.keySet().stream().filter(OpReferenceGradientsTest::isOpCase).toList())
                .as("rerun step3-autograd/scripts/make_reference.py").containsExactlyInAnyOrderElementsOf(cases);
    }

    private static void check(String key, Function<Tensor[], Tensor> op, String ourNode) {
        List<Tensor> inputs = new ArrayList<>();
        for (int k = 0; VALUES.containsKey(key + ":in" + k); k++) {
            inputs.add(tensor(key + ":in" + k).requiresGrad_(true));
        }
        assertThat(inputs).as("inputs of %s in the reference file", key).isNotEmpty();
        Tensor[] x = inputs.toArray(new Tensor[0]);
        Tensor result = op.apply(x);
        assertThat(result.gradFn().name()).as("grad_fn of %s", key).isEqualTo(ourNode != null ? ourNode : GRAD_FNS.get(key));
        assertThat(ourNode).as("%s: drop its entry of COMPOSITE_NODES", key).isNotEqualTo(GRAD_FNS.get(key));
        result.mul(tensor(key + ":w")).sum().backward();
        for (int k = 0; k < x.length; k++) {
            String name = key + ":grad" + k;
            assertThat(x[k].grad().shape()).as(name).containsExactly(SHAPES.get(name));
            double[] got = x[k].grad().toDoubleArray();
            double[] want = VALUES.get(name);
            for (int i = 0; i < want.length; i++) {
                assertThat(Math.abs(got[i] - want[i])).as("%s[%d]: %s, PyTorch %s", name, i, got[i], want[i])
                        .isLessThanOrEqualTo(1e-10 * Math.max(1, Math.abs(want[i])));
            }
        }
    }

    private static Tensor tensor(String name) {
        assertThat(VALUES).as("the reference file has %s", name).containsKey(name);
        return Torch.tensor(VALUES.get(name), Options.dtype(DType.FLOAT64)).view(SHAPES.get(name));
    }

    private static boolean isOpCase(String name) {
        return name.startsWith("unary:") || name.startsWith("other:");
    }

    private static void load() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                OpReferenceGradientsTest.class.getResourceAsStream("/autograd_reference.txt"), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                String[] f = line.split(" ");
                if (!isOpCase(f[0]) && !(f[0].equals("gradfn") && isOpCase(f[1]))) {
                    continue;
                }
                if (f[0].equals("gradfn")) {
                    GRAD_FNS.put(f[1], f[2]);
                    continue;
                }
                SHAPES.put(f[0], f[1].equals("scalar") ? new int[0] : Arrays.stream(f[1].split(",")).mapToInt(Integer::parseInt).toArray());
                VALUES.put(f[0], Arrays.stream(f, 2, f.length).mapToDouble(Double::parseDouble).toArray());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
