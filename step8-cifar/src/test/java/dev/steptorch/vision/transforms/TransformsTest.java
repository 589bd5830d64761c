package dev.steptorch.vision.transforms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TransformsTest {
    /** A pixel image whose value at (c, y, x) is 100c + 10y + x: every pixel tells where it came from. */
    private static Image coded(int c, int h, int w) {
        float[] d = new float[c * h * w];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    d[(ch * h + y) * w + x] = 100 * ch + 10 * y + x;
                }
            }
        }
        return new Image(c, h, w, d, true);
    }

    private static Image tensorImage(int c, int h, int w, float... values) {
        return new Image(c, h, w, values, false);
    }

    @Test
    void toTensorTurnsHwcBytesIntoChwFractions() {
        // 1x2 image, RGB: pixel (0,0) = (0, 51, 255), pixel (0,1) = (102, 204, 1)
        byte[] hwc = {0, 51, (byte) 255, 102, (byte) 204, 1};
        Image out = new ToTensor().apply(Image.fromHwcBytes(hwc, 1, 2, 3), new Random(0));
        assertThat(out.pixels()).isFalse();
        assertThat(out.data()).containsExactly(0f, 102 / 255f, 51 / 255f, 204 / 255f, 1f, 1 / 255f);
        assertThat(out.toTensor().shape()).containsExactly(3, 1, 2);
    }

    @Test
    void toTensorRefusesATensorImage() {
        assertThatThrownBy(() -> new ToTensor().apply(tensorImage(1, 1, 1, 0.5f), null))
                .hasMessageContaining("ToTensor expects a pixel image");
    }

    @Test
    void normalizeSubtractsMeanAndDividesByStdPerChannel() {
        Image in = tensorImage(2, 1, 2, 0f, 1f, 0.5f, 0.25f);
        Image out = new Normalize(new double[] {0.5, 0.25}, new double[] {0.5, 0.125}).apply(in, null);
        assertThat(out.data()).containsExactly(-1f, 1f, 2f, 0f);
    }

    @Test
    void normalizeChecksItsInput() {
        assertThatThrownBy(() -> new Normalize(new double[] {0.5}, new double[] {0.0}))
                .hasMessageContaining("division by zero");
        assertThatThrownBy(() -> new Normalize(new double[] {0.5, 0.5}, new double[] {1, 1}).apply(tensorImage(3, 1, 1, 0, 0, 0), null))
                .hasMessageContaining("3 channels");
        assertThatThrownBy(() -> new Normalize(new double[] {0.5}, new double[] {1}).apply(coded(1, 1, 1), null))
                .hasMessageContaining("ToTensor()");
    }

    @Test
    void horizontalFlipMirrorsEveryRow() {
        Image out = new RandomHorizontalFlip(1.0).apply(coded(2, 2, 3), new Random(1));
        assertThat(out.data()).containsExactly(2, 1, 0, 12, 11, 10, 102, 101, 100, 112, 111, 110);
        Image same = new RandomHorizontalFlip(0.0).apply(coded(2, 2, 3), new Random(1));
        assertThat(same).isEqualTo(coded(2, 2, 3));
    }

    @Test
    void horizontalFlipFollowsTheDrawAgainstP() {
        RandomHorizontalFlip flip = new RandomHorizontalFlip(0.3);
        assertThat(flip.apply(coded(1, 1, 2), new ScriptedRandom().withDoubles(0.29)).data()).containsExactly(1, 0);
        assertThat(flip.apply(coded(1, 1, 2), new ScriptedRandom().withDoubles(0.3)).data()).containsExactly(0, 1);
    }

    @Test
    void horizontalFlipFlipsAboutHalfTheTime() {
        Random random = new Random(42);
        int flipped = 0;
        for (int i = 0; i < 2000; i++) {
            flipped += new RandomHorizontalFlip().apply(coded(1, 1, 2), random).data()[0] == 1 ? 1 : 0;
        }
        assertThat(flipped).isBetween(900, 1100);
    }

    @Test
    void randomCropPadsWithZerosThenCutsAtTheDrawnCorner() {
        // 3x3 image padded by 2 is 7x7; a 3x3 window at (top 1, left 3) covers padded rows 1..3, cols 3..5,
        // i.e. original rows -1..1 and cols 1..3, where row -1 and col 3 are padding.
        ScriptedRandom random = new ScriptedRandom().withInts(1, 3);
        Image out = new RandomCrop(3, 2).apply(coded(1, 3, 3), random);
        assertThat(out.data()).containsExactly(
                0, 0, 0,
                1, 2, 0,
                11, 12, 0);
        assertThat(random.exhausted()).isTrue();
    }

    @Test
    void randomCropWithoutPaddingStaysInsideAndCoversAllCorners() {
        Random random = new Random(7);
        boolean[] seen = new boolean[9];
        for (int i = 0; i < 500; i++) {
            Image out = new RandomCrop(2).apply(coded(1, 4, 4), random);
            int top = (int) out.data()[0] / 10, left = (int) out.data()[0] % 10;
            assertThat(out.data()).containsExactly(10 * top + left, 10 * top + left + 1, 10 * (top + 1) + left, 10 * (top + 1) + left + 1);
            seen[top * 3 + left] = true;
        }
        assertThat(seen).containsOnly(true);
    }

    @Test
    void randomCropOfTheWholeImageDrawsNothing() {
        ScriptedRandom random = new ScriptedRandom();
        assertThat(new RandomCrop(4, 0).apply(coded(1, 4, 4), random)).isEqualTo(coded(1, 4, 4));
        assertThatThrownBy(() -> new RandomCrop(5).apply(coded(1, 4, 4), random))
                .hasMessageContaining("Required crop size (5, 5) is larger than input image size (4, 4)");
    }

    @Test
    void centerCropRoundsHalfToEvenLikePython() {
        // (5 - 2) / 2 = 1.5 -> 2; (6 - 3) / 2 = 1.5 -> 2; (7 - 2) / 2 = 2.5 -> 2
        assertThat(new CenterCrop(2, 3).apply(coded(1, 5, 6), null).data()).containsExactly(22, 23, 24, 32, 33, 34);
        assertThat(new CenterCrop(1, 2).apply(coded(1, 1, 7), null).data()).containsExactly(2, 3);
        assertThat(new CenterCrop(2).apply(coded(1, 4, 4), null).data()).containsExactly(11, 12, 21, 22);
    }

    @Test
    void centerCropPadsASmallerImage() {
        // 2x2 to 3x5: left (5-2)//2 = 1, right 2; top (3-2)//2 = 0, bottom 1
        assertThat(new CenterCrop(3, 5).apply(coded(1, 2, 2), null).data()).containsExactly(
                0, 0, 1, 0, 0,
                0, 10, 11, 0, 0,
                0, 0, 0, 0, 0);
    }

    @Test
    void resizeOfPixelsRoundsAndKeepsTheRange() {
        // 1x2 -> 1x4: sources -0.25 (clamped 0), 0.25, 0.75, 1.25 (right neighbour clamped)
        Image in = new Image(1, 1, 2, new float[] {0, 255}, true);
        Image out = new Resize(1, 4).apply(in, null);
        assertThat(out.data()).containsExactly(0, 64, 191, 255);
        assertThat(out.pixels()).isTrue();
    }

    @Test
    void resizeBySizeMatchesTheShorterEdge() {
        assertThat(new Resize(4).apply(coded(1, 8, 12), null).width()).isEqualTo(6);
        assertThat(new Resize(4).apply(coded(1, 8, 12), null).height()).isEqualTo(4);
        assertThat(new Resize(3).apply(coded(1, 7, 5), null)).satisfies(o -> {
            assertThat(o.width()).isEqualTo(3);
            assertThat(o.height()).isEqualTo(4); // int(3 * 7 / 5) = int(4.2)
        });
    }

    @Test
    void randomResizedCropUsesTheFirstWindowThatFits() {
        // 10x10, area 100. Attempt 1: scale draw 1.0 -> target 100 * (0.08 + 0.92) = 100, ratio draw 1.0 ->
        // exp(log 4/3) = 4/3: w = round(sqrt(133.3)) = 12 > 10, rejected. Attempt 2: scale 0 -> 8,
        // ratio 0.5 -> exp(0) = 1: w = h = round(sqrt 8) = 3; corner drawn (4, 6).
        ScriptedRandom random = new ScriptedRandom().withDoubles(1.0, 1.0, 0.0, 0.5).withInts(4, 6);
        RandomResizedCrop crop = new RandomResizedCrop(3);
        assertThat(crop.params(10, 10, random)).containsExactly(4, 6, 3, 3);
        ScriptedRandom again = new ScriptedRandom().withDoubles(1.0, 1.0, 0.0, 0.5).withInts(4, 6);
        assertThat(crop.apply(coded(1, 10, 10), again).data()).containsExactly(46, 47, 48, 56, 57, 58, 66, 67, 68);
    }

    @Test
    void randomResizedCropFallsBackToACentralWindowAfterTenMisses() {
        // Every attempt asks for the full area at ratio 4/3, which never fits a square image.
        double[] draws = new double[20];
        java.util.Arrays.fill(draws, 1.0);
        ScriptedRandom square = new ScriptedRandom().withDoubles(draws);
        assertThat(new RandomResizedCrop(4).params(10, 10, square)).containsExactly(0, 0, 10, 10);
        // A wide 4x20 image (ratio 5 > 4/3): h = 4, w = round(4 * 4/3) = 5, centred: left (20 - 5) // 2 = 7.
        ScriptedRandom wide = new ScriptedRandom().withDoubles(draws);
        assertThat(new RandomResizedCrop(4).params(4, 20, wide)).containsExactly(0, 7, 4, 5);
        // A tall 20x4 image (ratio 0.2 < 3/4): w = 4, h = round(4 / 0.75) = 5, top (20 - 5) // 2 = 7.
        ScriptedRandom tall = new ScriptedRandom().withDoubles(draws);
        assertThat(new RandomResizedCrop(4).params(20, 4, tall)).containsExactly(7, 0, 5, 4);
    }

    @Test
    void randomResizedCropAlwaysGivesTheRequestedSize() {
        Random random = new Random(3);
        for (int i = 0; i < 200; i++) {
            Image out = new RandomResizedCrop(8).apply(coded(3, 13, 29), random);
            assertThat(new int[] {out.channels(), out.height(), out.width()}).containsExactly(3, 8, 8);
        }
    }

    @Test
    void composeAppliesInOrderAndSharesTheGenerator() {
        Transform pipeline = new Compose(new RandomCrop(2, 1), new ToTensor(), new Normalize(new double[] {0.0}, new double[] {0.5}));
        Image a = pipeline.apply(coded(1, 3, 3), new Random(11));
        Image b = pipeline.apply(coded(1, 3, 3), new Random(11));
        assertThat(a).isEqualTo(b);
        // Hand-computed: padded 5x5, corner (2, 2) -> original rows 1..2, cols 1..2 = 11 12 21 22; /255; /0.5.
        Image fixed = pipeline.apply(coded(1, 3, 3), new ScriptedRandom().withInts(2, 2));
        assertThat(fixed.data()).containsExactly(11 / 255f / 0.5f, 12 / 255f / 0.5f, 21 / 255f / 0.5f, 22 / 255f / 0.5f);
        assertThat(pipeline.toString()).contains("RandomCrop", "ToTensor()", "Normalize");
    }
}
