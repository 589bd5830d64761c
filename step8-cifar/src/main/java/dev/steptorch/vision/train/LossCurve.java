package dev.steptorch.vision.train;

import dev.steptorch.vision.VisionUtils;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Draws the training loss as a PNG: the loss of every mini-batch is too noisy to read, so the
 * curve shows the mean over windows of {@code smoothing} mini-batches, as the course's printout
 * does every 2000. The x axis counts mini-batches (a dashed line ends each epoch), the left y axis
 * is the loss; given the test accuracy after each epoch, it is drawn as points on a right axis in
 * percent.
 */
public final class LossCurve {
    private static final int W = 900, H = 450, LEFT = 70, RIGHT = 70, TOP = 40, BOTTOM = 55;
    private static final Color LOSS = new Color(31, 119, 180), ACCURACY = new Color(255, 127, 14);

    private LossCurve() {
    }

    public static void write(List<Double> losses, int smoothing, int batchesPerEpoch, Path file) throws IOException {
        write(losses, smoothing, batchesPerEpoch, List.of(), file);
    }

    /** {@code accuracy.get(e)} is the test accuracy in [0, 1] after epoch {@code e + 1}. */
    public static void write(List<Double> losses, int smoothing, int batchesPerEpoch, List<Double> accuracy, Path file)
            throws IOException {
        VisionUtils.savePng(draw(losses, smoothing, batchesPerEpoch, accuracy), file);
    }

    static BufferedImage draw(List<Double> losses, int smoothing, int batchesPerEpoch, List<Double> accuracy) {
        int window = Math.max(1, smoothing);
        int points = Math.max(1, losses.size() / window);
        double[] y = new double[points];
        for (int p = 0; p < points; p++) {
            double sum = 0;
            int from = p * window;
            int to = Math.min(losses.size(), from + window);
            for (int i = from; i < to; i++) {
                sum += losses.get(i);
            }
            y[p] = to > from ? sum / (to - from) : 0;
        }
        double max = 0;
        for (double v : y) {
            max = Math.max(max, v);
        }
        max = max == 0 ? 1 : max * 1.05;
        int n = Math.max(1, losses.size());
        int plotW = W - LEFT - RIGHT;
        int plotH = H - TOP - BOTTOM;

        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();

        // Title, frame, ticks.
        g.setColor(Color.BLACK);
        String title = String.format(Locale.ROOT, "Training loss (mean of %d mini-batches)%s", window,
                accuracy.isEmpty() ? "" : " and test accuracy after each epoch");
        g.drawString(title, LEFT + (plotW - fm.stringWidth(title)) / 2, TOP - 15);
        g.setColor(Color.GRAY);
        g.drawRect(LEFT, TOP, plotW, plotH);
        for (int k = 0; k <= 4; k++) {
            int py = TOP + plotH - plotH * k / 4;
            g.setColor(new Color(235, 235, 235));
            g.drawLine(LEFT + 1, py, LEFT + plotW - 1, py);
            g.setColor(Color.BLACK);
            String label = String.format(Locale.ROOT, "%.2f", max * k / 4);
            g.drawString(label, LEFT - 6 - fm.stringWidth(label), py + 4);
            if (!accuracy.isEmpty()) {
                g.setColor(ACCURACY.darker());
                g.drawString((25 * k) + "%", LEFT + plotW + 6, py + 4);
            }
        }
        g.setColor(Color.BLACK);
        for (int k = 0; k <= 5; k++) {
            int px = LEFT + plotW * k / 5;
            String label = String.valueOf((long) n * k / 5);
            g.drawLine(px, TOP + plotH, px, TOP + plotH + 4);
            g.drawString(label, px - fm.stringWidth(label) / 2, TOP + plotH + 17);
        }
        String xLabel = "mini-batch" + (batchesPerEpoch > 0 ? " (" + batchesPerEpoch + " per epoch; dashed lines end an epoch)" : "");
        g.drawString(xLabel, LEFT + (plotW - fm.stringWidth(xLabel)) / 2, H - 12);
        drawVertical(g, "loss", 18, TOP + plotH / 2, LOSS.darker());
        if (!accuracy.isEmpty()) {
            drawVertical(g, "test accuracy", W - 14, TOP + plotH / 2, ACCURACY.darker());
        }

        // Epoch boundaries.
        if (batchesPerEpoch > 0) {
            g.setColor(new Color(190, 190, 190));
            g.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 4f}, 0f));
            for (int e = batchesPerEpoch; e < losses.size(); e += batchesPerEpoch) {
                int x = LEFT + (int) ((long) plotW * e / n);
                g.drawLine(x, TOP, x, TOP + plotH);
            }
        }

        // The loss: each smoothed point sits at the middle of its window.
        g.setColor(LOSS);
        g.setStroke(new BasicStroke(2f));
        int[] xs = new int[points];
        int[] ys = new int[points];
        for (int p = 0; p < points; p++) {
            xs[p] = LEFT + (int) (plotW * ((p + 0.5) * window) / n);
            ys[p] = TOP + (int) (plotH * (1 - y[p] / max));
        }
        if (points == 1) {
            g.fillOval(xs[0] - 3, ys[0] - 3, 6, 6);
        } else {
            g.drawPolyline(xs, ys, points);
        }

        // The test accuracy at the end of each epoch.
        if (!accuracy.isEmpty() && batchesPerEpoch > 0) {
            g.setColor(ACCURACY);
            int prevX = -1, prevY = -1;
            for (int e = 0; e < accuracy.size(); e++) {
                int px = LEFT + (int) ((long) plotW * Math.min(n, (long) (e + 1) * batchesPerEpoch) / n);
                int py = TOP + (int) (plotH * (1 - accuracy.get(e)));
                if (prevX >= 0) {
                    g.drawLine(prevX, prevY, px, py);
                }
                g.fillOval(px - 4, py - 4, 8, 8);
                String label = String.format(Locale.ROOT, "%.0f%%", 100 * accuracy.get(e));
                g.drawString(label, px - fm.stringWidth(label) - 6, py - 6);
                prevX = px;
                prevY = py;
            }
        }
        g.dispose();
        return img;
    }

    private static void drawVertical(Graphics2D g, String text, int x, int centerY, Color color) {
        AffineTransform saved = g.getTransform();
        g.setColor(color);
        g.rotate(-Math.PI / 2, x, centerY);
        g.drawString(text, x - g.getFontMetrics().stringWidth(text) / 2, centerY);
        g.setTransform(saved);
    }
}
