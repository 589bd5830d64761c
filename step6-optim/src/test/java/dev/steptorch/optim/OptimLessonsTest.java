package dev.steptorch.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;
import static org.assertj.core.api.Assertions.within;

import dev.steptorch.nn.lessons.TwoLayerNn;
import dev.steptorch.optim.lessons.BlitzOptim;
import dev.steptorch.optim.lessons.OptimizerStateDict;
import dev.steptorch.optim.lessons.ParamGroups;
import dev.steptorch.optim.lessons.TwoLayerAdam;
import dev.steptorch.optim.lessons.TwoLayerNetModule;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Runs step 6's lessons as a learner would and checks what they print and compute. */
class OptimLessonsTest {

    static String printed(Consumer<PrintStream> body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            body.accept(out);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** What a lesson's main prints to System.out. */
    static String printedByMain(Runnable main) {
        PrintStream saved = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            System.setOut(out);
            main.run();
        } finally {
            System.setOut(saved);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** The losses of {@code t loss} lines, checking that t counts 0, 1, 2, ... */
    static double[] losses(String printed) {
        List<String> lines = printed.lines().toList();
        double[] losses = new double[lines.size()];
        for (int t = 0; t < lines.size(); t++) {
            String[] parts = lines.get(t).split(" ");
            assertThat(parts).hasSize(2);
            assertThat(parts[0]).isEqualTo(Integer.toString(t));
            losses[t] = Double.parseDouble(parts[1]);
        }
        return losses;
    }

    @Test
    void twoLayerAdamPrints500LossesThatFallByAFactorOfABillion() {
        double[] losses = losses(printedByMain(() -> TwoLayerAdam.main(new String[0])));
        assertThat(losses).hasSize(500);
        // Measured with seed 0: 654.8 at t = 0, 5.1e-10 at t = 499 (the course's run: 663 to about 1e-9).
        assertThat(losses[0]).isBetween(100.0, 5000.0);
        assertThat(losses[499]).isLessThan(losses[0] * 1e-9);
    }

    @Test
    void twoLayerAdamSameSeedSameLosses() {
        double[] a = TwoLayerAdam.train(5, 11, null);
        assertThat(TwoLayerAdam.train(5, 11, null)).containsExactly(a);
        assertThat(TwoLayerAdam.train(5, 12, null)[0]).isNotEqualTo(a[0]);
    }

    @Test
    void twoLayerNetModuleFallsByAFactorOfAMillionIn500Iterations() {
        double[] losses = TwoLayerNetModule.train(500, 0, null);
        // Measured with seed 0: 654.8 at t = 0, 6.4e-7 at t = 499.
        assertThat(losses[499]).isLessThan(losses[0] * 1e-6);
    }

    @Test
    void sgdOnTheCustomModuleIsStep5sHandWrittenUpdate() {
        // Same data, same initial weights in the same order, the same update up to rounding: SGD adds
        // -lr * grad in one fused multiply-add (p.add_(grad, alpha=-lr), as PyTorch's SGD does), where
        // the hand-written update rounds lr * grad first, so a few weights differ in their last bit.
        double[] sgd = TwoLayerNetModule.train(30, 4, null);
        double[] byHand = TwoLayerNn.train(30, 4, null);
        for (int t = 0; t < sgd.length; t++) {
            assertThat(sgd[t]).as("loss at t = %d", t).isCloseTo(byHand[t], withinPercentage(0.01));
        }
    }

    @Test
    void twoLayerNetModulePrintsTLoss() {
        String out = printed(o -> TwoLayerNetModule.train(3, 0, o));
        assertThat(losses(out)).hasSize(3);
    }

    @Test
    void paramGroupsMoveEachGroupByItsOwnLearningRate() {
        AtomicReference<List<Double>> ratios = new AtomicReference<>();
        String out = printed(o -> ratios.set(ParamGroups.run(0, o)));
        assertThat(ratios.get()).hasSize(2);
        assertThat(ratios.get().get(0)).isCloseTo(1e-5, within(1e-8));
        assertThat(ratios.get().get(1)).isCloseTo(1e-2, within(1e-5));
        assertThat(out).contains(
                "  (features): Sequential(\n    (0): Conv2d(1, 4, kernel_size=(3, 3), stride=(1, 1))",
                "Parameter Group 0", "Parameter Group 1",
                "2 params, lr 1e-05\n2 params, lr 0.01\n",
                "after epoch 0: lr [1.0000000000000002e-06, 0.001]",
                "after epoch 1: lr [1.0000000000000002e-07, 0.0001]");
        assertThat(printedByMain(() -> ParamGroups.main(new String[0]))).isEqualTo(out);
    }

    @Test
    void blitzOptimLowersTheLossOfItsOneSample() {
        double[] losses = losses(printedByMain(() -> BlitzOptim.main(new String[0])));
        assertThat(losses).hasSize(20);
        // Measured with seed 0: 1.65 at t = 0, 0.113 at t = 19.
        assertThat(losses[19]).isLessThan(losses[0] / 5);
    }

    @Test
    void blitzOptimSameSeedSameLosses() {
        double[] a = BlitzOptim.train(3, 2, null);
        assertThat(BlitzOptim.train(3, 2, null)).containsExactly(a);
    }

    @Test
    void optimizerStateDictPrintsGroupsAndMomentumAndRestores() {
        boolean[] same = new boolean[1];
        String out = printed(o -> same[0] = OptimizerStateDict.run(0, o));
        assertThat(same[0]).isTrue();
        assertThat(out).startsWith("Optimizer's state_dict:\nstate \t {}\nparam_groups \t [{");
        assertThat(out).contains("'lr': 0.001", "'momentum': 0.9", "'nesterov': False",
                "'params': [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]}]",
                "state \t 10 entries, each with keys ['momentum_buffer']",
                "restored lr: 0.001",
                "same weights after the next step: True");
        assertThat(printedByMain(() -> OptimizerStateDict.main(new String[0]))).isEqualTo(out);
    }
}
