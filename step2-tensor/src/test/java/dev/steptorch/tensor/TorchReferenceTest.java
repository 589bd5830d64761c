package dev.steptorch.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Printing, dtype promotion and op results checked against PyTorch 1.13. The file is written by
 * {@code scripts/make_reference.py} and carries every input as exact values, so each case here
 * rebuilds its tensors from the file and only the op itself is spelled out in Java.
 */
class TorchReferenceTest {
    private static final String SUFFIX_GRAD = ", requires_grad=True";
    private static final List<String[]> LINES = load();

    // =====================================================================================
    // Printing
    // =====================================================================================

    @TestFactory
    Stream<DynamicTest> printing() {
        return rows("print").map(f -> DynamicTest.dynamicTest("str " + f[1], () -> {
            Tensor t = build(f[2], f[3], f[4]);
            String expected = f[6];
            if (!Boolean.parseBoolean(f[5])) {
                assertThat(t.toString()).isEqualTo(expected);
            } else if (hasAutograd()) {
                assertThat(t.requiresGrad_(true).toString()).isEqualTo(expected);
            } else {
                // step2 alone has no autograd (step3 brings it), so requires_grad_ must refuse;
                // the data part of the text is still PyTorch's.
                assertThatThrownBy(() -> t.requiresGrad_(true)).isInstanceOf(IllegalStateException.class);
                assertThat(expected).endsWith(SUFFIX_GRAD + ")");
                assertThat(t.toString()).isEqualTo(expected.replace(SUFFIX_GRAD + ")", ")"));
            }
        }));
    }

    private static boolean hasAutograd() {
        try {
            Torch.zeros(1).requiresGrad_(true);
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    // =====================================================================================
    // Promotion
    // =====================================================================================

    @TestFactory
    Stream<DynamicTest> promotion() {
        return rows("promote").map(f -> DynamicTest.dynamicTest(f[1] + "(" + f[2] + ", " + f[3] + ") -> " + f[4],
                () -> assertThat(promoted(f[1], f[2], f[3]).dtype()).hasToString("torch." + f[4])));
    }

    private static Tensor promoted(String op, String left, String right) {
        Tensor a = Torch.ones(Options.dtype(dtype(left)), 2);
        if (right.equals("int") || right.equals("float")) {
            // the script's Python numbers: 3 and 0.5
            boolean isInt = right.equals("int");
            switch (op) {
                case "add": return isInt ? a.add(3L) : a.add(0.5);
                case "mul": return isInt ? a.mul(3L) : a.mul(0.5);
                // Tensor has no div(long) or eq(long): the Java int is passed as a double. True
                // division always gives a float and eq always bool, so the dtype can't tell them apart.
                case "div": return a.div(isInt ? 3.0 : 0.5);
                case "eq": return a.eq(isInt ? 3.0 : 0.5);
                default: throw new IllegalArgumentException("no scalar form of " + op);
            }
        }
        Tensor b = right.startsWith("0d:")
                ? Torch.ones(Options.dtype(dtype(right.substring(3))))
                : Torch.ones(Options.dtype(dtype(right)), 2);
        switch (op) {
            case "add": return a.add(b);
            case "mul": return a.mul(b);
            case "div": return a.div(b);
            case "maximum": return a.maximum(b);
            case "eq": return a.eq(b);
            default: throw new IllegalArgumentException("unknown op " + op);
        }
    }

    // =====================================================================================
    // Op values
    // =====================================================================================

    private static Map<String, Function<Tensor[], Tensor>> ops() {
        Map<String, Function<Tensor[], Tensor>> m = new LinkedHashMap<>();
        m.put("pow square", x -> x[0].pow(2L));
        m.put("pow cube", x -> x[0].pow(3L));
        m.put("pow minus one", x -> x[0].pow(-1L));
        m.put("pow minus two", x -> x[0].pow(-2L));
        m.put("pow half", x -> x[0].pow(0.5));
        m.put("pow minus half", x -> x[0].pow(-0.5));
        m.put("pow 1.5", x -> x[0].pow(1.5));
        m.put("pow tensor exponent", x -> x[0].pow(x[1]));
        m.put("pow int64 square", x -> x[0].pow(2L));
        m.put("pow int64 half", x -> x[0].pow(0.5));
        m.put("clamp min", x -> x[0].clamp(0));
        m.put("clamp min max", x -> x[0].clamp(-1, 1));
        m.put("clamp fractional bounds", x -> x[0].clamp(-0.25, 0.75));
        m.put("clamp max", x -> x[0].clampMax(0.5));
        m.put("clamp nan", x -> x[0].clamp(-1, 1));
        m.put("clamp int64 whole bounds", x -> x[0].clamp(0, 3));
        m.put("clamp float64", x -> x[0].clamp(0, 0.5));
        m.put("sum all", x -> x[0].sum());
        m.put("sum dim 0", x -> x[0].sum(0));
        m.put("sum dim 1", x -> x[0].sum(1));
        m.put("sum dim 2 keepdim", x -> x[0].sum(2, true));
        m.put("sum dims 0 2 keepdim", x -> x[0].sum(new int[] {0, 2}, true));
        m.put("sum dims 0 2", x -> x[0].sum(new int[] {0, 2}, false));
        m.put("sum int64", x -> x[0].sum(1));
        m.put("sum bool", x -> x[0].sum(0));
        m.put("sum float64", x -> x[0].sum());
        m.put("mean all", x -> x[0].mean());
        m.put("mean dim 1", x -> x[0].mean(1, false));
        m.put("mean dim 2 keepdim", x -> x[0].mean(2, true));
        m.put("mean dim 0 keepdim", x -> x[0].mean(0, true));
        m.put("mean float64", x -> x[0].mean(0, false));
        m.put("max all", x -> x[0].max());
        m.put("max dim 1 values", x -> x[0].max(1, false).values());
        m.put("max dim 1 indices", x -> x[0].max(1, false).indices());
        m.put("max dim 0 keepdim values", x -> x[0].max(0, true).values());
        m.put("max dim 0 keepdim indices", x -> x[0].max(0, true).indices());
        m.put("max int64 dim 1 indices", x -> x[0].max(1, false).indices());
        m.put("max int64 dim 1 values", x -> x[0].max(1, false).values());
        m.put("argmax all", x -> x[0].argmax());
        m.put("argmax dim 1", x -> x[0].argmax(1, false));
        m.put("argmax dim 0 keepdim", x -> x[0].argmax(0, true));
        m.put("norm float32", x -> x[0].norm());
        m.put("norm float64", x -> x[0].norm());
        m.put("div int64 by int64", x -> x[0].div(x[1]));
        m.put("div int64 by zero", x -> x[0].div(x[1]));
        m.put("div int64 by int", x -> x[0].div(2.0));
        m.put("div int64 by float", x -> x[0].div(0.5));
        m.put("div float32 by int64", x -> x[0].div(x[1]));
        m.put("exp", x -> x[0].exp());
        m.put("exp large", x -> x[0].exp());
        m.put("log", x -> x[0].log());
        m.put("log negative", x -> x[0].log());
        m.put("sqrt", x -> x[0].sqrt());
        m.put("sqrt negative", x -> x[0].sqrt());
        m.put("exp float64", x -> x[0].exp());
        m.put("log float64", x -> x[0].log());
        m.put("exp int64", x -> x[0].exp());
        m.put("mm float32", x -> x[0].mm(x[1]));
        m.put("prod all", x -> x[0].prod());
        m.put("prod int64", x -> x[0].prod(1, false));
        m.put("prod bool", x -> x[0].prod());
        m.put("prod empty dim", x -> x[0].prod(1, false));
        m.put("amax dims 0 2", x -> x[0].amax(new int[] {0, 2}, false));
        m.put("amin dim 1 keepdim", x -> x[0].amin(new int[] {1}, true));
        m.put("min dim 1 indices", x -> x[0].min(1, false).indices());
        m.put("min dim 0 keepdim values", x -> x[0].min(0, true).values());
        m.put("var unbiased one element", x -> x[0].var());
        m.put("logsumexp large", x -> x[0].logsumexp(new int[] {0}, false));
        m.put("logsumexp minus inf", x -> x[0].logsumexp(new int[] {0}, false));
        m.put("logsumexp int64", x -> x[0].logsumexp(new int[] {0}, false));
        m.put("cumsum int64", x -> x[0].cumsum(0));
        m.put("cumsum bool", x -> x[0].cumsum(0));
        m.put("round half to even", x -> x[0].round());
        m.put("erf float64 wide", x -> x[0].erf());
        m.put("sign bool", x -> x[0].sign());
        m.put("floor int64", x -> x[0].floor());
        m.put("matmul int64 batched", x -> x[0].matmul(x[1]));
        m.put("tril int64", x -> x[0].tril());
        m.put("triu bool", x -> x[0].triu());
        m.put("flip int64", x -> x[0].flip(0));
        m.put("diag int64", x -> x[0].diag());
        m.put("dot int64", x -> x[0].dot(x[1]));
        return m;
    }

    @TestFactory
    Stream<DynamicTest> opValues() {
        Map<String, Function<Tensor[], Tensor>> ops = ops();
        return rows("op").map(f -> DynamicTest.dynamicTest(f[1], () -> {
            Function<Tensor[], Tensor> op = ops.get(f[1]);
            if (op == null) {
                fail("no Java form of the reference case '" + f[1] + "'");
            }
            assertMatches(op.apply(inputs(f[2])), f[3], f[4], f[5]);
        }));
    }

    private static Tensor[] inputs(String field) {
        String[] specs = field.split("; ");
        Tensor[] inputs = new Tensor[specs.length];
        for (int i = 0; i < specs.length; i++) {
            String[] s = specs[i].split(" ", -1);
            inputs[i] = build(s[0], s[1], s[2]);
        }
        return inputs;
    }

    /** The ops of OpCatalog.OTHER, each run on the inputs PyTorch was given. */
    @TestFactory
    Stream<DynamicTest> otherOpValues() {
        return rows("other").map(f -> DynamicTest.dynamicTest(f[1], () -> {
            OpCatalog.Other row = OpCatalog.OTHER.stream().filter(o -> o.name().equals(f[1])).findFirst()
                    .orElseThrow(() -> new AssertionError("no OpCatalog.OTHER row named '" + f[1] + "'"));
            assertMatches(row.op().apply(inputs(f[2])), f[3], f[4], f[5]);
        }));
    }

    @Test
    void everyCatalogOtherOpHasReferenceValues() {
        assertThat(rows("other").map(f -> f[1]).toList()).as("rerun scripts/make_reference.py after adding an OTHER row")
                .containsExactlyInAnyOrderElementsOf(OpCatalog.OTHER.stream().map(OpCatalog.Other::name).toList());
    }

    /** The rows of the op catalog, each run on the inputs PyTorch was given. */
    @TestFactory
    Stream<DynamicTest> unaryOpValues() {
        return rows("unary").map(f -> DynamicTest.dynamicTest(f[1] + " of " + f[2], () -> {
            String[] s = f[2].split(" ", -1);
            Tensor x = build(s[0], s[1], s[2]);
            assertMatches(Torch.unary(unaryOp(f[1]), x, null), f[3], f[4], f[5]);
        }));
    }

    private static UnaryOp unaryOp(String torchName) {
        return Arrays.stream(UnaryOp.values()).filter(op -> op.torchName().equals(torchName)).findFirst()
                .orElseThrow(() -> new AssertionError("no UnaryOp named " + torchName));
    }

    @Test
    void everyCatalogUnaryOpHasReferenceValues() {
        List<String> names = rows("unary").map(f -> f[1]).distinct().toList();
        assertThat(names).as("rerun scripts/make_reference.py after adding a UnaryOp")
                .containsExactlyInAnyOrderElementsOf(OpCatalog.UNARY.stream().map(u -> u.op().torchName()).toList());
    }

    @Test
    void everyJavaOpHasAReferenceCase() {
        List<String> names = rows("op").map(f -> f[1]).toList();
        assertThat(names).containsExactlyInAnyOrderElementsOf(ops().keySet());
        // an empty or cut-off file would otherwise pass by producing no dynamic tests
        assertThat(rows("print").count()).isGreaterThanOrEqualTo(40);
        assertThat(rows("promote").count()).isGreaterThanOrEqualTo(5 * 16);
    }

    private static void assertMatches(Tensor actual, String dtype, String shape, String values) {
        assertThat(actual.dtype()).hasToString("torch." + dtype);
        assertThat(actual.shape()).containsExactly(shape(shape));
        double[] expected = values(values, Shapes.numel(shape(shape)));
        double[] got = actual.toDoubleArray();
        assertThat(got).hasSize(expected.length);
        double rtol = dtype.equals("float32") ? 1e-6 : dtype.equals("float64") ? 1e-12 : 0;
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double g = got[i];
            boolean same = Double.isNaN(e) ? Double.isNaN(g)
                    : Double.isInfinite(e) ? g == e
                    : Math.abs(g - e) <= rtol * Math.abs(e);
            assertThat(same).as("element %d: got %s, PyTorch %s (all: %s)", i, g, e, values).isTrue();
        }
    }

    // =====================================================================================
    // The file
    // =====================================================================================

    /** The tensor a `dtype shape values` spec describes, made as the script makes it. */
    private static Tensor build(String dtype, String shape, String values) {
        int[] dims = shape(shape);
        return Torch.tensor(values(values, Shapes.numel(dims)), Options.dtype(dtype(dtype))).reshape(dims);
    }

    private static DType dtype(String name) {
        for (DType d : DType.values()) {
            if (d.toString().equals("torch." + name)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown dtype " + name);
    }

    private static int[] shape(String text) {
        if (text.isEmpty()) {
            return new int[0];
        }
        String[] parts = text.split(",");
        int[] dims = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            dims[i] = Integer.parseInt(parts[i]);
        }
        return dims;
    }

    private static double[] values(String text, int n) {
        double[] v = new double[n];
        if (text.startsWith("arange:")) {
            String[] p = text.split(":");
            double start = number(p[1]);
            double step = number(p[2]);
            for (int i = 0; i < n; i++) {
                v[i] = start + i * step;
            }
            return v;
        }
        String[] parts = text.isEmpty() ? new String[0] : text.split(",");
        if (parts.length != n) {
            throw new IllegalArgumentException("expected " + n + " values, the file has " + parts.length);
        }
        for (int i = 0; i < n; i++) {
            v[i] = number(parts[i]);
        }
        return v;
    }

    /** Python's float repr, which spells the non-finite values its own way. */
    private static double number(String text) {
        switch (text) {
            case "nan": return Double.NaN;
            case "inf": return Double.POSITIVE_INFINITY;
            case "-inf": return Double.NEGATIVE_INFINITY;
            default: return Double.parseDouble(text);
        }
    }

    private static Stream<String[]> rows(String kind) {
        return LINES.stream().filter(f -> f[0].equals(kind));
    }

    private static List<String[]> load() {
        List<String[]> rows = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                TorchReferenceTest.class.getResourceAsStream("/torch_reference.txt"), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("#") || line.isEmpty()) {
                    continue;
                }
                String[] fields = line.split("\t", -1);
                for (int i = 0; i < fields.length; i++) {
                    fields[i] = unescape(fields[i]);
                }
                rows.add(fields);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return rows;
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
