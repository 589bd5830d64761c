package dev.steptorch.optim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Ten steps of every optimizer and option set against PyTorch 1.13's parameters after each step. */
class OptimReferenceTest {
    static final int STEPS = 10;

    static Stream<OptimReference.Case> singleGroupCases() {
        return OptimReference.get().cases.values().stream().filter(c -> !c.name().endsWith("_groups"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("singleGroupCases")
    void matchesPyTorchAtEveryStep(OptimReference.Case c) {
        TinyProblem problem = TinyProblem.float64();
        List<double[][]> actual = problem.train(params -> Optimizers.make(c, params), STEPS);
        Trajectories.assertClose(actual, OptimReference.get().trajectories.get(c.name()), 1e-5, 1e-12);
    }

    @Test
    void everyOptimizerAndOptionListedInTheTaskHasAReferenceCase() {
        assertThat(OptimReference.get().cases.keySet()).contains(
                "sgd_plain", "sgd_momentum", "sgd_dampening", "sgd_nesterov", "sgd_weight_decay",
                "adam_default", "adam_weight_decay", "adam_amsgrad", "adam_maximize",
                "rmsprop_default", "rmsprop_momentum", "rmsprop_centered", "rmsprop_weight_decay", "rmsprop_maximize",
                "adagrad_default", "adagrad_lr_decay", "adagrad_weight_decay", "adagrad_initial_accumulator",
                "adagrad_maximize");
        OptimReference.get().trajectories.values().forEach(t -> assertThat(t).hasSize(STEPS));
    }

    @Test
    void referenceCasesAreNotTrivial() {
        // A wrong rule must show: every case moves the parameters, and no two cases coincide.
        var ref = OptimReference.get();
        double[] w0 = ref.data.get("W0");
        for (var c : ref.cases.values()) {
            double[] last = ref.trajectories.get(c.name()).get(STEPS - 1)[0];
            assertThat(maxAbsDiff(last, w0)).as(c.name()).isGreaterThan(1e-3);
        }
        for (var a : ref.cases.values()) {
            for (var b : ref.cases.values()) {
                if (a != b) {
                    double[] wa = ref.trajectories.get(a.name()).get(STEPS - 1)[0];
                    double[] wb = ref.trajectories.get(b.name()).get(STEPS - 1)[0];
                    assertThat(maxAbsDiff(wa, wb)).as(a.name() + " vs " + b.name()).isGreaterThan(1e-6);
                }
            }
        }
    }

    private static double maxAbsDiff(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
