package dev.steptorch.vision.train;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Draws the training loss as a PNG: the loss of every mini-batch is too noisy to read, so the
 * curve shows the mean over windows of {@code smoothing} mini-batches, as the course's printout
 * does every 2000.
 */
public final class LossCurve {
    private static final int W = 800, H = 400, MARGIN = 50;

    private LossCurve() {
    }

    public static void write(List<Double> losses, int smoothing, int batchesPerEpoch, Path file) throws IOException {
        int points = Math.max(1, losses.size() / Math.max(1, smoothing));
        double[] y = new double[points];
        for (int p = 0; p < points; p++) {
            double sum = 0;
            int from = p * smoothing;
            int to = Math.min(losses.size(), from + smoothing);
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

        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        g.setColor(Color.GRAY);
        g.drawRect(MARGIN, MARGIN / 2, W - 2 * MARGIN, H - MARGIN - MARGIN / 2);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(Color.BLACK);
        g.drawString(String.format("training loss (mean of %d mini-batches)", smoothing), MARGIN, MARGIN / 2 - 6);
        g.drawString(String.format("%.2f", max), 4, MARGIN / 2 + 10);
        g.drawString("0", MARGIN - 14, H - MARGIN);
        g.drawString(losses.size() + " mini-batches", W - MARGIN - 100, H - MARGIN + 16);
        if (batchesPerEpoch > 0) {
            g.setColor(new Color(200, 200, 200));
            for (int e = batchesPerEpoch; e < losses.size(); e += batchesPerEpoch) {
                int x = MARGIN + (int) ((long) (W - 2 * MARGIN) * e / Math.max(1, losses.size()));
                g.drawLine(x, MARGIN / 2, x, H - MARGIN);
            }
        }
        g.setColor(new Color(31, 119, 180));
        g.setStroke(new BasicStroke(2f));
        int plotW = W - 2 * MARGIN;
        int plotH = H - MARGIN - MARGIN / 2;
        for (int p = 1; p < points; p++) {
            int x0 = MARGIN + plotW * (p - 1) / Math.max(1, points - 1);
            int x1 = MARGIN + plotW * p / Math.max(1, points - 1);
            int y0 = MARGIN / 2 + (int) (plotH * (1 - y[p - 1] / max));
            int y1 = MARGIN / 2 + (int) (plotH * (1 - y[p] / max));
            g.drawLine(x0, y0, x1, y1);
        }
        g.dispose();
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".loss", ".png");
        try {
            ImageIO.write(img, "png", tmp.toFile());
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
