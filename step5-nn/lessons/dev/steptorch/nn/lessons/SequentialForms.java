package dev.steptorch.nn.lessons;

import dev.steptorch.cli.Cli;
import dev.steptorch.nn.Conv2d;
import dev.steptorch.nn.MaxPool2d;
import dev.steptorch.nn.Module;
import dev.steptorch.nn.ReLU;
import dev.steptorch.nn.Sequential;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.io.PrintStream;
import java.util.LinkedHashMap;

/**
 * The notes' three ways to fill an nn.Sequential: in the constructor, by add_module, from an ordered dict.
 *
 * <p>The notes build an encoder with {@code add_module('conv_pse1', nn.Conv2d(3, 32, 5, padding=2))},
 * {@code add_module('ac_pse1', nn.ReLU(True))}, {@code add_module('pool_pse1', nn.MaxPool2d(2, 2))}
 * and quote the docs: modules can also be passed as an ordered dict. The three forms build the
 * same network; only the names in the printout and in the state_dict differ ("0", "1", "2" when
 * passed positionally).
 */
public final class SequentialForms {
    private SequentialForms() {
    }

    public static void main(String[] args) {
        Cli.lesson(args, "SequentialForms",
                "The notes' three ways to fill an nn.Sequential: in the constructor, by add_module, from an ordered dict.",
                "./lesson SequentialForms");
        run(0, System.out);
    }

    /** Builds the encoder three ways, prints them and their outputs' sizes; returns the named one. */
    public static Sequential run(long seed, PrintStream out) {
        Torch.manualSeed(seed);
        Sequential positional = new Sequential(new Conv2d(3, 32, 5, 1, 2), new ReLU(true), new MaxPool2d(2, 2));

        Sequential added = new Sequential();
        added.addModule("conv_pse1", new Conv2d(3, 32, 5, 1, 2));
        added.addModule("ac_pse1", new ReLU(true));
        added.addModule("pool_pse1", new MaxPool2d(2, 2));

        LinkedHashMap<String, Module> layers = new LinkedHashMap<>();
        layers.put("conv_pse1", new Conv2d(3, 32, 5, 1, 2));
        layers.put("ac_pse1", new ReLU(true));
        layers.put("pool_pse1", new MaxPool2d(2, 2));
        Sequential ordered = new Sequential(layers);

        Tensor x = Torch.randn(4, 3, 32, 32);
        for (Sequential model : new Sequential[] {positional, added, ordered}) {
            out.println(model);
            out.println(model.call(x).size());
        }

        // Same names, so the add_module form's weights load into the ordered-dict form unchanged.
        ordered.loadStateDict(added.stateDict(), true);
        boolean same = ordered.call(x).sub(added.call(x)).abs().max().item() == 0;
        out.println("add_module and OrderedDict forms agree: " + same);

        // ReLU(inplace=True) overwrites its input and hands the same tensor back.
        Tensor h = Torch.tensor(new double[] {-1, 2});
        Tensor r = new ReLU(true).call(h);
        out.println("inplace ReLU returned its input: " + (r == h) + ", " + h);
        return added;
    }
}
