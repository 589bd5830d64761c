package dev.steptorch.vision.transforms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Resize against torchvision 0.14's F.resize(bilinear, antialias=False); see scripts/resize_reference.py. */
class ResizeReferenceTest {
    @Test
    void bilinearMatchesTorchvision() throws IOException {
        List<String> lines;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                getClass().getResourceAsStream("/resize_bilinear.txt"), StandardCharsets.UTF_8))) {
            lines = r.lines().filter(l -> !l.isBlank()).toList();
        }
        assertThat(lines).hasSize(7);
        for (String line : lines) {
            String[] parts = line.split("\\|");
            int[] head = ints(parts[0]);
            int[] outShape = ints(parts[1]);
            double[] expected = Arrays.stream(parts[2].trim().split(" ")).mapToDouble(Double::parseDouble).toArray();
            int c = head[0], h = head[1], w = head[2];
            Resize resize = head.length == 4 ? new Resize(head[3]) : new Resize(head[3], head[4]);
            Image out = resize.apply(formula(c, h, w), null);
            assertThat(new int[] {out.height(), out.width()}).as(line.substring(0, 20)).containsExactly(outShape);
            for (int i = 0; i < expected.length; i++) {
                assertThat((double) out.data()[i]).as("case %s, element %d", parts[0].trim(), i).isCloseTo(expected[i], within(1e-6));
            }
        }
    }

    private static Image formula(int c, int h, int w) {
        float[] d = new float[c * h * w];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    d[(ch * h + y) * w + x] = ((ch * 31 + y * 7 + x * 3) % 17) / 16f;
                }
            }
        }
        return new Image(c, h, w, d, false);
    }

    private static int[] ints(String s) {
        return Arrays.stream(s.trim().split(" ")).mapToInt(Integer::parseInt).toArray();
    }
}
