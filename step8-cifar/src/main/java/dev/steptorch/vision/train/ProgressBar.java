package dev.steptorch.vision.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress bar with elapsed time and ETA:
 * {@code epoch 1 [=====>      ] 1234/12500  310 img/s  elapsed 0:16  ETA 2:26}.
 *
 * <p>On a terminal it is one line, redrawn in place with a carriage return at most ten times a
 * second. When the stream goes to a file or a pipe ({@code ./lesson TrainCifar | tee log}) a
 * carriage return would pile up, so it prints a plain line at every tenth of the way instead.
 * Either way {@link #finish} prints how long the whole took.
 */
public final class ProgressBar {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final String label;
    private final int total;
    private final boolean redraw;
    private final long start = System.nanoTime();
    private long lastDraw;
    private int lastTenth;
    private long items;
    private boolean drawn;

    /** A bar that redraws itself when {@link #onTerminal()} says the stream is a terminal. */
    public ProgressBar(PrintStream out, String label, int total) {
        this(out, label, total, onTerminal());
    }

    public ProgressBar(PrintStream out, String label, int total, boolean redraw) {
        this.out = out;
        this.label = label;
        this.total = total;
        this.redraw = redraw;
    }

    /**
     * Whether progress goes to a terminal: the launcher ({@code ./lesson}) tells with the system
     * property {@code steptorch.progress} ({@code tty} or {@code lines}); otherwise a JVM with a
     * console is taken to be on one.
     */
    public static boolean onTerminal() {
        String mode = System.getProperty("steptorch.progress", "");
        if (!mode.isEmpty()) {
            return mode.equals("tty");
        }
        return System.console() != null;
    }

    /** Erases the bar, so that a line printed next starts at the left edge; the next update redraws it. */
    public void clear() {
        if (out != null && redraw && drawn) {
            out.print("\r" + " ".repeat(label.length() + WIDTH + 60) + "\r");
            out.flush();
            drawn = false;
            lastDraw = 0;
        }
    }

    /** Shows that {@code done} of the total steps, covering {@code items} items, are finished. */
    public void update(int done, long items) {
        this.items = items;
        if (out == null) {
            return;
        }
        long now = System.nanoTime();
        if (redraw) {
            if (now - lastDraw < 100_000_000L && done < total) {
                return;
            }
            lastDraw = now;
            out.print("\r" + line(done, items, now));
            drawn = true;
        } else {
            int tenth = total == 0 ? 10 : (int) (10L * done / total);
            if (tenth <= lastTenth || done >= total) {
                return; // the last line is finish()'s
            }
            lastTenth = tenth;
            out.println(line(done, items, now));
        }
        out.flush();
    }

    /** Ends the bar with a line saying how long the whole took, e.g. {@code epoch 1: 12500 steps in 2:31 (331 img/s)}. */
    public void finish(int done) {
        if (out == null) {
            return;
        }
        long now = System.nanoTime();
        if (redraw) {
            out.print("\r" + line(done, items, now));
            out.println();
        }
        double seconds = seconds(now);
        out.printf(Locale.ROOT, "%s: %d/%d in %s (%.1f s, %.0f img/s)%n", label, done, total, clock(seconds), seconds,
                items / Math.max(1e-9, seconds));
        out.flush();
    }

    /** Seconds since the bar was made. */
    public double seconds() {
        return seconds(System.nanoTime());
    }

    private double seconds(long now) {
        return Math.max(1e-9, (now - start) / 1e9);
    }

    String line(int done, long items, long now) {
        int filled = total == 0 ? WIDTH : (int) ((long) WIDTH * Math.min(done, total) / total);
        StringBuilder bar = new StringBuilder(label).append(" [");
        for (int i = 0; i < WIDTH; i++) {
            bar.append(i < filled ? '=' : i == filled ? '>' : ' ');
        }
        double seconds = seconds(now);
        bar.append(String.format(Locale.ROOT, "] %d/%d  %.0f img/s  elapsed %s", done, total, items / seconds, clock(seconds)));
        if (done > 0 && done < total) {
            bar.append("  ETA ").append(clock(seconds * (total - done) / done));
        }
        return bar.toString();
    }

    /** 75.2 seconds as {@code 1:15}, an hour and more as {@code 1:02:03}. */
    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
