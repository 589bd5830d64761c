package dev.steptorch.vision.train;

import java.io.PrintStream;

/**
 * A one-line progress bar on a terminal stream ({@code [=====>     ] 1234/12500  310 img/s}),
 * redrawn in place with a carriage return and at most ten times a second.
 */
public final class ProgressBar {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final String label;
    private final int total;
    private final long start = System.nanoTime();
    private long lastDraw;

    public ProgressBar(PrintStream out, String label, int total) {
        this.out = out;
        this.label = label;
        this.total = total;
    }

    /** Erases the bar, so that a line printed next starts at the left edge; the next update redraws it. */
    public void clear() {
        if (out != null && lastDraw != 0) {
            out.print("\r" + " ".repeat(label.length() + WIDTH + 30) + "\r");
            out.flush();
            lastDraw = 0;
        }
    }

    /** Shows that {@code done} of the total steps, covering {@code items} items, are finished. */
    public void update(int done, long items) {
        long now = System.nanoTime();
        if (out == null || (now - lastDraw < 100_000_000L && done < total)) {
            return;
        }
        lastDraw = now;
        int filled = total == 0 ? WIDTH : (int) ((long) WIDTH * done / total);
        StringBuilder bar = new StringBuilder("\r").append(label).append(" [");
        for (int i = 0; i < WIDTH; i++) {
            bar.append(i < filled ? '=' : i == filled ? '>' : ' ');
        }
        double seconds = Math.max(1e-9, (now - start) / 1e9);
        bar.append(String.format("] %d/%d  %.0f img/s", done, total, items / seconds));
        out.print(bar);
        if (done >= total) {
            out.println();
        }
        out.flush();
    }
}
