package dev.steptorch.nn;

import dev.steptorch.autograd.GradMode;
import dev.steptorch.tensor.Device;
import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The table of {@link Module#summary(int...)}, laid out as torchinfo prints it:
 *
 * <pre>
 * ==========================================================================================
 * Layer (type:depth-idx)                   Output Shape              Param #
 * ==========================================================================================
 * CifarNet                                 [4, 10]                   --
 * ├─Conv2d: 1-1                            [4, 6, 28, 28]            456
 * ├─MaxPool2d: 1-2                         [4, 6, 14, 14]            --
 * ...
 * ==========================================================================================
 * Total params: 62,006
 * Trainable params: 62,006
 * Non-trainable params: 0
 * ==========================================================================================
 * </pre>
 *
 * A module that runs twice (the blitz's one pooling layer) gets a row each time; its parameters
 * count once, and a second call of a module with parameters says {@code (recursive)}.
 */
final class ModelSummary {
    /** Set while a summary's forward pass runs, so that {@link Module#call(Tensor)} reports to it. */
    static final ThreadLocal<Recorder> RECORDER = new ThreadLocal<>();
    private static final String RULE = "=".repeat(90);

    private ModelSummary() {
    }

    /** One called module: its depth below the model, its index among its parent's calls, its output. */
    private static final class Row {
        final Module module;
        final int depth;
        final String index;
        int[] shape;

        Row(Module module, int depth, String index) {
            this.module = module;
            this.depth = depth;
            this.index = index;
        }
    }

    static final class Recorder {
        private final List<Row> rows = new ArrayList<>();
        /** calls made so far under each open row; the outermost entry is the model's */
        private final List<int[]> counters = new ArrayList<>();

        int enter(Module module) {
            int depth = counters.size();
            String index = "";
            if (depth > 0) {
                int[] counter = counters.get(depth - 1);
                counter[0]++;
                index = depth + "-" + counter[0];
            }
            rows.add(new Row(module, depth, index));
            counters.add(new int[1]);
            return rows.size() - 1;
        }

        void exit(int row, Tensor out) {
            rows.get(row).shape = out == null ? null : out.shape();
            counters.remove(counters.size() - 1);
        }
    }

    static String of(Module model, int... inputShape) {
        if (inputShape == null || inputShape.length == 0) {
            throw new IllegalArgumentException("summary needs the input's shape, batch first: summary(4, 3, 32, 32)");
        }
        for (int d : inputShape) {
            if (d < 1) {
                throw new IllegalArgumentException("summary: every size of the input shape must be positive, got "
                        + Arrays.toString(inputShape));
            }
        }
        List<Tensor> params = model.parameters();
        Device device = params.isEmpty() ? Device.CPU : params.get(0).device();
        Tensor input = Torch.zeros(Options.device(device), inputShape);
        Recorder recorder = new Recorder();
        boolean training = model.isTraining();
        model.eval();
        RECORDER.set(recorder);
        try (var ignored = GradMode.noGrad()) {
            model.call(input);
        } finally {
            RECORDER.remove();
            model.train(training);
        }
        return table(model, recorder.rows);
    }

    private static String table(Module model, List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append(RULE).append('\n');
        sb.append(String.format(Locale.ROOT, "%-40s %-25s %s%n", "Layer (type:depth-idx)", "Output Shape", "Param #"));
        sb.append(RULE).append('\n');
        Set<Module> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Row row : rows) {
            String name = row.depth == 0 ? row.module.typeName()
                    : "│    ".repeat(row.depth - 1) + "├─" + row.module.typeName() + ": " + row.index;
            long own = ownParameters(row.module);
            String count = own == 0 ? "--" : seen.contains(row.module) ? "(recursive)" : String.format(Locale.ROOT, "%,d", own);
            seen.add(row.module);
            String shape = row.shape == null ? "--" : Arrays.toString(row.shape);
            sb.append(String.format(Locale.ROOT, "%-40s %-25s %s%n", name, shape, count));
        }
        long total = model.numParameters(false);
        long trainable = model.numParameters(true);
        sb.append(RULE).append('\n');
        sb.append(String.format(Locale.ROOT, "Total params: %,d%n", total));
        sb.append(String.format(Locale.ROOT, "Trainable params: %,d%n", trainable));
        sb.append(String.format(Locale.ROOT, "Non-trainable params: %,d%n", total - trainable));
        sb.append(RULE).append('\n');
        return sb.toString();
    }

    /** The parameters a module holds itself, not through its children. */
    private static long ownParameters(Module module) {
        long n = 0;
        for (var e : module.namedParameters().entrySet()) {
            if (!e.getKey().contains(".")) {
                n += e.getValue().numel();
            }
        }
        return n;
    }
}
