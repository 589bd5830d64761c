package dev.steptorch.tensor.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steptorch.tensor.Torch;
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
    void aBigGridHasOneTaskPerCoreButACutAlongKHasMoreParts() {
        atTwoThreads(() -> {
            // every task of a grid packs its own blocks: more tasks than cores only pack more
            FloatGemm.Split square = FloatGemm.Split.choose(1024, 1024, 1024, false);
            assertThat(square.rowGroups() * square.colGroups()).isEqualTo(2);
            // parts of k pack nothing twice, and more of them even out a slower core
            assertThat(FloatGemm.Split.choose(576, 50176, 64, false).kParts()).isEqualTo(8);
        });
    }

    @Test
    void fewRowsAreStillSplitByColumns() {
        // one tile of rows: no grid that packs A has enough tasks, so the columns are cut finer
        FloatGemm.Split s = FloatGemm.Split.choose(6, 75, 50176, true);
        assertThat(s.rowGroups()).isEqualTo(1);
        assertThat(s.colGroups()).isGreaterThan(1);
    }

    @Test
    void twoCoresGetEvenTasksFromTheCoursesProducts() {
        atTwoThreads(() -> {
            // x.t() @ grad_h: 100 columns are panels of 48 + 48 + 4, so two column groups would be one panel against two
            FloatGemm.Split byRows = FloatGemm.Split.choose(1000, 64, 100, false);
            assertThat(byRows.colGroups()).isEqualTo(1);
            assertThat(byRows.rowGroups()).isEqualTo(2);
            // x @ w1: 64 rows and the same 100 columns, but a k of 1000 that halves evenly
            FloatGemm.Split byK = FloatGemm.Split.choose(64, 1000, 100, false);
            assertThat(byK.kParts()).isEqualTo(2);
            // two panels of 48 and 36: one each is even enough, and packs nothing twice
            FloatGemm.Split byColumns = FloatGemm.Split.choose(64, 120, 84, false);
            assertThat(byColumns.colGroups()).isEqualTo(2);
            assertThat(byColumns.rowGroups() * byColumns.kParts()).isEqualTo(1);
        });
    }

    /** Split.choose reads the pool's size: these cases are about two cores, whatever this machine has. */
    private static void atTwoThreads(Runnable check) {
        int before = Torch.getNumThreads();
        Torch.setNumThreads(2);
        try {
            check.run();
        } finally {
            Torch.setNumThreads(before);
        }
    }
}
