package dev.steptorch.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.steptorch.autograd.GradMode;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class LayerWarmupTest {
    private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

    @Test
    void trainsItsOwnNetworkForTheGivenSteps() {
        List<Double> losses = LayerWarmup.train(40, MINUTE, () -> false);
        assertThat(losses).hasSize(40);
        // real training, not just calls: eight samples and a learning rate of 0.1 are soon memorised
        assertThat(losses.get(39)).isLessThan(losses.get(0));
    }

    @Test
    void aSeededRunDrawsTheSameNumbersWithTheWarmupBetween() {
        Torch.manualSeed(7);
        Tensor expected = Torch.randn(5);
        Torch.manualSeed(7);
        LayerWarmup.train(2, MINUTE, () -> false);
        assertThat(Torch.randn(5).toDoubleArray()).isEqualTo(expected.toDoubleArray());
    }

    @Test
    void runsBesideAThreadWithoutGrad() throws Exception {
        try (var ignored = GradMode.noGrad()) {
            List<Double> losses = CompletableFuture.supplyAsync(() -> LayerWarmup.train(3, MINUTE, () -> false)).get(1, TimeUnit.MINUTES);
            assertThat(losses).hasSize(3);
            assertThat(GradMode.isEnabled()).isFalse();
        }
        assertThat(GradMode.isEnabled()).isTrue();
    }

    @Test
    void endsWhenTheProgramsOwnNetworkRuns() {
        new Conv2d(3, 6, 5).call(Torch.zeros(1, 3, 8, 8));
        assertThat(LayerWarmup.stopped()).isTrue();
        AtomicInteger asked = new AtomicInteger();
        // asked before each step: stopping after the second leaves two losses
        assertThat(LayerWarmup.train(300, MINUTE, () -> asked.incrementAndGet() > 2)).hasSize(2);
    }

    @Test
    void failsWithoutAWord() {
        // an exercise's unwritten layer throws in the warm-up thread too; the program reports it
        assertThatCode(() -> LayerWarmup.warmQuietly(() -> {
            throw new UnsupportedOperationException("not written yet");
        })).doesNotThrowAnyException();
    }

    @Test
    @Timeout(60)
    void givesUpAfterItsTime() {
        assertThat(LayerWarmup.train(Integer.MAX_VALUE, TimeUnit.MILLISECONDS.toNanos(300), () -> false)).isNotEmpty();
    }
}
