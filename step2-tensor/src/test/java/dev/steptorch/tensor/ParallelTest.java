package dev.steptorch.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ParallelTest {
    @Test
    void runsEveryIndexOnceInsideARegionThatEndsWithIt() {
        AtomicIntegerArray runs = new AtomicIntegerArray(37);
        AtomicIntegerArray inside = new AtomicIntegerArray(37);
        assertThat(Parallel.inParallelRegion()).isFalse();
        Parallel.forEach(37, i -> {
            runs.incrementAndGet(i);
            if (Parallel.inParallelRegion()) {
                inside.incrementAndGet(i);
            }
            // a nested region leaves the outer one as it found it
            Parallel.forEach(2, j -> { });
            assertThat(Parallel.inParallelRegion()).isTrue();
        });
        for (int i = 0; i < 37; i++) {
            assertThat(runs.get(i)).as("index %d", i).isEqualTo(1);
            assertThat(inside.get(i)).as("index %d", i).isEqualTo(1);
        }
        assertThat(Parallel.inParallelRegion()).isFalse();
    }

    @Test
    void anErrorInABodyReachesTheCallerAndEndsTheRegion() {
        assertThatThrownBy(() -> Parallel.forEach(4, i -> {
            if (i == 2) {
                throw new IllegalStateException("body 2");
            }
        })).isInstanceOf(IllegalStateException.class).hasMessage("body 2");
        assertThat(Parallel.inParallelRegion()).isFalse();
    }

    /** Products, copies and window ops big enough to be cut across threads outside a region run whole inside one. */
    @Test
    void kernelsInsideARegionComputeWhatTheyComputeOutside() {
        Torch.manualSeed(3);
        Tensor a = Torch.randn(70, 300), b = Torch.randn(300, 130), x = Torch.randn(4, 8, 40, 40);
        Tensor[] inside = new Tensor[4];
        Parallel.forEach(2, i -> {
            if (i == 0) {
                inside[0] = a.mm(b);
                inside[1] = a.t().contiguous();
            } else {
                inside[2] = Torch.unfold(x, 3, 3, 1, 1, 1, 1);
                inside[3] = Torch.maxPool2dWithIndices(x, 2, 2, 2, 2, 0, 0).values();
            }
        });
        // the product's sums may be cut along k outside a region, so they may round differently
        float[] product = a.mm(b).toFloatArray(), whole = inside[0].toFloatArray();
        for (int i = 0; i < product.length; i++) {
            assertThat(whole[i]).as("product entry %d", i).isCloseTo(product[i], within(1e-3f));
        }
        assertThat(inside[1].toFloatArray()).isEqualTo(a.t().contiguous().toFloatArray());
        assertThat(inside[2].toFloatArray()).isEqualTo(Torch.unfold(x, 3, 3, 1, 1, 1, 1).toFloatArray());
        assertThat(inside[3].toFloatArray()).isEqualTo(Torch.maxPool2dWithIndices(x, 2, 2, 2, 2, 0, 0).values().toFloatArray());
    }
}
