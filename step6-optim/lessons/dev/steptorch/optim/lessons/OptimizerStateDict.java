package dev.steptorch.optim.lessons;

import dev.steptorch.cli.Cli;
import dev.steptorch.ndarray.NumPy;
import dev.steptorch.nn.MSELoss;
import dev.steptorch.nn.lessons.StateDictTour;
import dev.steptorch.optim.SGD;
import dev.steptorch.optim.StateDict;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * An optimizer's state_dict: its param_groups and per-parameter state (SGD's momentum buffers), saved and restored.
 *
 * <p>The notes print it for {@code optim.SGD(model.parameters(), lr=0.001, momentum=0.9)} right
 * after making the optimizer, when {@code state} is still empty: momentum buffers appear only on
 * the first step. Parameters are named by their position (0, 1, ...) rather than by the tensors
 * themselves, so the dict can be loaded into a new optimizer over a new model's parameters; the
 * lesson does that, and checks that both optimizers then take the same next step.
 */
public final class OptimizerStateDict {
    private OptimizerStateDict() {
    }

    public static void main(String[] args) {
        Cli.lesson(args, "OptimizerStateDict",
                "An optimizer's state_dict: its param_groups and per-parameter state (SGD's momentum buffers), saved and restored.",
                "./lesson OptimizerStateDict");
        run(0, System.out);
    }

    /** Prints the tour; returns whether the original and the restored optimizer took the same step. */
    public static boolean run(long seed, PrintStream out) {
        Torch.manualSeed(seed);
        StateDictTour.TheModelClass model = new StateDictTour.TheModelClass();
        SGD optimizer = new SGD(model.parameters(), SGD.defaults().lr(0.001).momentum(0.9));

        out.println("Optimizer's state_dict:");
        print(optimizer.stateDict(), out);

        // One step creates a momentum buffer for each of the ten parameters.
        Tensor input = Torch.randn(2, 3, 32, 32);
        Tensor target = Torch.randn(2, 10);
        MSELoss criterion = new MSELoss();
        step(model, optimizer, criterion, input, target);
        StateDict saved = optimizer.stateDict();
        out.println("after one step:");
        out.println("state \t " + saved.state().size() + " entries, each with keys "
                + py(List.copyOf(saved.state().get(0).keySet())));
        out.println("param_groups \t " + py(saved.paramGroups()));

        // A copy of the model and a fresh optimizer over its parameters, restored from the two state_dicts.
        StateDictTour.TheModelClass copy = new StateDictTour.TheModelClass();
        copy.loadStateDict(model.stateDict(), true);
        SGD restored = new SGD(copy.parameters(), SGD.defaults().lr(0.5));
        restored.loadStateDict(saved);
        out.println("restored lr: " + py(restored.paramGroups().get(0).lr()));

        // The same next step from both: momentum carried over, so the weights stay equal.
        step(model, optimizer, criterion, input, target);
        step(copy, restored, criterion, input, target);
        boolean same = true;
        for (Map.Entry<String, Tensor> e : model.stateDict().entrySet()) {
            same &= e.getValue().equal(copy.stateDict().get(e.getKey()));
        }
        out.println("same weights after the next step: " + (same ? "True" : "False"));
        return same;
    }

    /** for var_name in optimizer.state_dict(): print(var_name, "\t", optimizer.state_dict()[var_name]) */
    private static void print(StateDict sd, PrintStream out) {
        out.println("state \t " + py(sd.state()));
        out.println("param_groups \t " + py(sd.paramGroups()));
    }

    /** Python's repr of the dicts, lists, numbers and booleans a state_dict holds, so it reads as the notes print it. */
    static String py(Object value) {
        if (value instanceof Map<?, ?> map) {
            StringBuilder s = new StringBuilder("{");
            map.forEach((k, v) -> s.append(s.length() > 1 ? ", " : "").append(py(k)).append(": ").append(py(v)));
            return s.append('}').toString();
        }
        if (value instanceof List<?> list) {
            return "[" + String.join(", ", list.stream().map(OptimizerStateDict::py).toList()) + "]";
        }
        if (value instanceof String str) {
            return "'" + str + "'";
        }
        if (value instanceof Double d) {
            return NumPy.scalar(d).str();
        }
        if (value instanceof Boolean b) {
            return b ? "True" : "False";
        }
        return String.valueOf(value); // ints, tensors, null
    }

    private static void step(StateDictTour.TheModelClass model, SGD optimizer, MSELoss criterion, Tensor input,
                             Tensor target) {
        optimizer.zeroGrad();
        criterion.call(model.call(input), target).backward();
        optimizer.step();
    }
}
