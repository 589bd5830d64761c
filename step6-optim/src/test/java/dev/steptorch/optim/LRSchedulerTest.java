package dev.steptorch.optim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** StepLR and MultiStepLR: each group's lr per epoch against PyTorch 1.13. */
class LRSchedulerTest {

    /** As the script: two groups (lr 0.1 and the default 0.02), twelve epochs. */
    private static SGD twoGroupSgd() {
        Tensor p = Torch.zeros(1).requiresGrad_(true);
        Tensor q = Torch.zeros(1).requiresGrad_(true);
        return new SGD(List.of(ParamGroup.of(p).lr(0.1), ParamGroup.of(q)), SGD.defaults().lr(0.02));
    }

    private static void assertSchedule(String name, Function<Optimizer, LRScheduler> make) {
        List<double[]> expected = OptimReference.get().schedules.get(name);
        SGD sgd = twoGroupSgd();
        LRScheduler scheduler = make.apply(sgd);
        for (int epoch = 0; epoch < expected.size(); epoch++) {
            if (epoch > 0) {
                sgd.step();
                scheduler.step();
            }
            assertThat(scheduler.lastEpoch()).isEqualTo(epoch);
            List<Double> lrs = scheduler.getLastLr();
            for (int g = 0; g < 2; g++) {
                assertThat(lrs.get(g)).as("%s epoch %d group %d", name, epoch, g)
                        .isCloseTo(expected.get(epoch)[g], org.assertj.core.data.Percentage.withPercentage(1e-10));
                assertThat(sgd.paramGroups().get(g).lr()).isEqualTo(lrs.get(g));
            }
        }
    }

    @Test
    void stepLrHalvesEveryThreeEpochsAsPyTorch() {
        assertSchedule("steplr", o -> new StepLR(o, 3, 0.5));
    }

    @Test
    void multiStepLrDropsAtMilestonesAndTwiceAtARepeatedOneAsPyTorch() {
        assertSchedule("multisteplr", o -> new MultiStepLR(o, List.of(2, 5, 5, 9), 0.1));
    }

    @Test
    void theReferenceSchedulesActuallyChange() {
        for (String name : List.of("steplr", "multisteplr")) {
            List<double[]> s = OptimReference.get().schedules.get(name);
            assertThat(s.get(s.size() - 1)[0]).as(name).isLessThan(s.get(0)[0] / 10);
        }
    }

    @Test
    void aSchedulerRecordsInitialLrInEachGroupAndKeepsAnEarlierOne() {
        SGD sgd = twoGroupSgd();
        StepLR first = new StepLR(sgd, 1, 0.5);
        assertThat(first.baseLrs()).containsExactly(0.1, 0.02);
        assertThat(sgd.paramGroups().get(0).getDouble("initial_lr")).isEqualTo(0.1);
        sgd.step();
        first.step();
        MultiStepLR second = new MultiStepLR(sgd, List.of(3));
        assertThat(second.baseLrs()).containsExactly(0.1, 0.02);
        assertThat(sgd.stateDict().paramGroups().get(1)).containsEntry("initial_lr", 0.02);
    }

    @Test
    void twoSchedulersChainTheirFactors() {
        SGD sgd = twoGroupSgd();
        StepLR halve = new StepLR(sgd, 1, 0.5);
        MultiStepLR tenth = new MultiStepLR(sgd, List.of(1), 0.1);
        sgd.step();
        halve.step();
        tenth.step();
        assertThat(sgd.paramGroups().get(0).lr()).isCloseTo(0.1 * 0.5 * 0.1, org.assertj.core.data.Offset.offset(1e-15));
    }

    /** What the schedulers logged while {@code body} ran (System.Logger's default backend is java.util.logging). */
    private static String warnings(Runnable body) {
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(LRScheduler.class.getName());
        StringBuilder captured = new StringBuilder();
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                captured.append(r.getLevel()).append(": ").append(r.getMessage()).append('\n');
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(handler);
        try {
            body.run();
        } finally {
            log.removeHandler(handler);
        }
        return captured.toString();
    }

    @Test
    void steppingTheSchedulerBeforeTheOptimizerWarnsOnce() {
        String err = warnings(() -> {
            StepLR scheduler = new StepLR(twoGroupSgd(), 2);
            scheduler.step();
            scheduler.step();
        });
        assertThat(err).startsWith("WARNING: ");
        assertThat(err).contains("Detected call of `lr_scheduler.step()` before `optimizer.step()`");
        assertThat(err.indexOf("Detected")).isEqualTo(err.lastIndexOf("Detected"));
    }

    @Test
    void steppingInTheRightOrderDoesNotWarn() {
        String err = warnings(() -> {
            SGD sgd = twoGroupSgd();
            StepLR scheduler = new StepLR(sgd, 2);
            sgd.step();
            scheduler.step();
        });
        assertThat(err).isEmpty();
    }
}
