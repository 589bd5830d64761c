package dev.steptorch.tensor.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * How FloatGemm cuts a product between tasks: the choices that keep packing from being done
 * several times over on the shapes of a convolution. (That every cut gives the right product is
 * ReductionMatmulProperties' job.)
 */
class FloatGemmSplitTest {
    @Test
    void aWeightGradientIsCutAlongK() {
        // ResNet's layer1 weight gradient: cols [576, 16*56*56] times grad^T [16*56*56, 64]
        FloatGemm.Split s = FloatGemm.Split.choose(576, 50176, 64, false);
        assertThat(s.kParts()).isGreaterThan(1);
        assertThat(s.rowGroups() * s.colGroups()).isEqualTo(1);
    }

    @Test
    void aWideBIsPackedOnce() {
        // forward (weight [64, 576] times cols) and input gradient (weight^T [576, 64] times grad)
        for (int[] mkn : new int[][] {{64, 576, 50176}, {576, 64, 50176}}) {
            FloatGemm.Split s = FloatGemm.Split.choose(mkn[0], mkn[1], mkn[2], false);
            assertThat(s.rowGroups()).as("row groups for %dx%dx%d", mkn[0], mkn[1], mkn[2]).isEqualTo(1);
            assertThat(s.colGroups()).isGreaterThan(1);
            assertThat(s.kParts()).isEqualTo(1);
        }
    }

    @Test
    void aSquareProductKeepsPackingA() {
        FloatGemm.Split s = FloatGemm.Split.choose(1024, 1024, 1024, false);
        int panels = 1024 / FloatGemm.NR;
        assertThat(s.kParts()).isEqualTo(1);
        assertThat(s.rowGroups() * s.colGroups()).isGreaterThan(1);
        assertThat(panels / s.colGroups()).as("column panels per task").isGreaterThanOrEqualTo(4);
    }

    @Test
    void fewRowsAreStillSplitByColumns() {
        // one tile of rows: no grid that packs A has enough tasks, so the columns are cut finer
        FloatGemm.Split s = FloatGemm.Split.choose(6, 75, 50176, true);
        assertThat(s.rowGroups()).isEqualTo(1);
        assertThat(s.colGroups()).isGreaterThan(1);
    }
}
