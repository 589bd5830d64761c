package dev.steptorch.vision.train;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * The confusion matrix as a heat map, as scikit-learn's {@code ConfusionMatrixDisplay} draws it:
 * rows are the true classes, columns the predicted ones, each cell shaded by the share of its row
 * (so classes with fewer images compare fairly) and labelled with its count.
 */
final class ConfusionHeatMap {
    private static final int CELL = 48, LEFT = 90, TOP = 60, BOTTOM = 80, RIGHT = 20;

    private ConfusionHeatMap() {
    }

    static BufferedImage draw(List<String> classes, long[][] counts) {
        int k = classes.size();
        int w = LEFT + k * CELL + RIGHT;
        int h = TOP + k * CELL + BOTTOM;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        g.setColor(Color.BLACK);
        String title = "Confusion matrix (row share shaded)";
        g.drawString(title, LEFT + (k * CELL - fm.stringWidth(title)) / 2, 20);
        for (int t = 0; t < k; t++) {
            long row = 0;
            for (long c : counts[t]) {
                row += c;
            }
            for (int p = 0; p < k; p++) {
                double share = row == 0 ? 0 : (double) counts[t][p] / row;
                // white to dark blue, like matplotlib's "Blues"
                int r = (int) (247 - share * (247 - 8)), gr = (int) (251 - share * (251 - 48)), b = (int) (255 - share * (255 - 107));
                g.setColor(new Color(r, gr, b));
                int x = LEFT + p * CELL, y = TOP + t * CELL;
                g.fillRect(x, y, CELL, CELL);
                g.setColor(share > 0.5 ? Color.WHITE : Color.BLACK);
                String label = String.valueOf(counts[t][p]);
                g.drawString(label, x + (CELL - fm.stringWidth(label)) / 2, y + CELL / 2 + 5);
            }
            g.setColor(Color.BLACK);
            String name = classes.get(t);
            g.drawString(name, LEFT - 6 - fm.stringWidth(name), TOP + t * CELL + CELL / 2 + 5);
        }
        g.setColor(Color.GRAY);
        g.drawRect(LEFT, TOP, k * CELL, k * CELL);
        g.setColor(Color.BLACK);
        for (int p = 0; p < k; p++) {
            String name = classes.get(p);
            AffineTransform saved = g.getTransform();
            int x = LEFT + p * CELL + CELL / 2 + 4, y = TOP + k * CELL + 8;
            g.rotate(Math.PI / 4, x, y);
            g.drawString(name, x, y);
            g.setTransform(saved);
        }
        String xLabel = "predicted class";
        g.drawString(xLabel, LEFT + (k * CELL - fm.stringWidth(xLabel)) / 2, h - 8);
        AffineTransform saved = g.getTransform();
        g.rotate(-Math.PI / 2, 16, TOP + k * CELL / 2);
        g.drawString("true class", 16 - fm.stringWidth("true class") / 2, TOP + k * CELL / 2);
        g.setTransform(saved);
        g.dispose();
        return img;
    }
}
