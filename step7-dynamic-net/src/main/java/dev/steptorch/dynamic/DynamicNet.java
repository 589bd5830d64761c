package dev.steptorch.dynamic;

import dev.steptorch.nn.Linear;
import dev.steptorch.nn.Module;
import dev.steptorch.tensor.Tensor;
import java.util.Random;

/**
 * The course's strange model: on every forward pass it draws a number from 0 to 3 and applies
 * the same {@code middle_linear} layer that many times. Because the graph is recorded while the
 * code runs, a plain loop is all it takes, and the one weight used several times receives the sum
 * of the gradients of all its uses.
 */
public class DynamicNet extends Module {
    private final Linear inputLinear;
    private final Linear middleLinear;
    private final Linear outputLinear;
    private final Random random;
    private int lastDepth;

    /** {@code random} decides the depth of each pass (Python's {@code random.randint(0, 3)}). */
    public DynamicNet(int dIn, int h, int dOut, Random random) {
        this.inputLinear = registerModule("input_linear", new Linear(dIn, h));
        this.middleLinear = registerModule("middle_linear", new Linear(h, h));
        this.outputLinear = registerModule("output_linear", new Linear(h, dOut));
        this.random = random;
    }

    @Override
    public Tensor forward(Tensor x) {
        return forward(x, random.nextInt(4));
    }

    /** The forward pass with the middle layer applied exactly {@code repeats} times. */
    public Tensor forward(Tensor x, int repeats) {
        lastDepth = repeats;
        // BEGIN SOLUTION step7.dynamic-forward
        Tensor hRelu = inputLinear.call(x).clamp(0);
        for (int i = 0; i < repeats; i++) {
            hRelu = middleLinear.call(hRelu).clamp(0);
        }
        return outputLinear.call(hRelu);
        // END SOLUTION
    }

    /** How many times the last forward pass used middle_linear. */
    public int lastDepth() {
        return lastDepth;
    }

    public Linear middleLinear() {
        return middleLinear;
    }
}
