package dev.steptorch.vision.train;

import dev.steptorch.autograd.GradMode;
import dev.steptorch.data.Batch;
import dev.steptorch.nn.Module;
import dev.steptorch.tensor.Device;
import dev.steptorch.tensor.Tensor;
import java.util.List;

/**
 * The blitz's test loop: predictions are the argmax of the outputs, computed without recording
 * a graph, and tallied in a confusion matrix from which overall and per-class accuracy follow.
 */
public final class Evaluation {
    private final List<String> classes;
    /** counts[truth][predicted]. */
    private final long[][] counts;

    private Evaluation(List<String> classes) {
        this.classes = classes;
        this.counts = new long[classes.size()][classes.size()];
    }

    /** Runs {@code model} in eval mode over every batch on {@code device}. */
    public static Evaluation run(Module model, Iterable<Batch> batches, List<String> classes, Device device) {
        Evaluation e = new Evaluation(classes);
        boolean wasTraining = model.isTraining();
        model.eval();
        try (var ignored = GradMode.noGrad()) {
            for (Batch b : batches) {
                long[] predicted = predict(model, b.images().to(device));
                // BEGIN SOLUTION step8.confusion-counts
                long[] truth = b.labels().toLongArray();
                for (int i = 0; i < truth.length; i++) {
                    e.counts[(int) truth[i]][(int) predicted[i]]++;
                }
                // END SOLUTION
            }
        } finally {
            model.train(wasTraining);
        }
        return e;
    }

    /** {@code torch.max(outputs, 1)[1]}: the class with the highest score for each image. */
    public static long[] predict(Module model, Tensor images) {
        try (var ignored = GradMode.noGrad()) {
            return model.call(images).argmax(1, false).cpu().toLongArray();
        }
    }

    public long total() {
        long n = 0;
        for (long[] row : counts) {
            for (long c : row) {
                n += c;
            }
        }
        return n;
    }

    public long correct() {
        long n = 0;
        for (int i = 0; i < counts.length; i++) {
            n += counts[i][i];
        }
        return n;
    }

    public double accuracy() {
        return total() == 0 ? 0 : (double) correct() / total();
    }

    /** The share of images of class {@code c} that were classified as {@code c}. */
    public double accuracy(int c) {
        // BEGIN SOLUTION step8.per-class-accuracy
        long n = 0;
        for (long x : counts[c]) {
            n += x;
        }
        return n == 0 ? 0 : (double) counts[c][c] / n;
        // END SOLUTION
    }

    public long[][] confusionMatrix() {
        long[][] copy = new long[counts.length][];
        for (int i = 0; i < counts.length; i++) {
            copy[i] = counts[i].clone();
        }
        return copy;
    }

    /** The blitz's sentence for the whole test set. */
    public String summary() {
        return String.format("Accuracy of the network on the %d test images: %d %%", total(), percent(correct(), total()));
    }

    /** One line per class, as the blitz prints them. */
    public String perClass() {
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < classes.size(); c++) {
            long n = 0;
            for (long x : counts[c]) {
                n += x;
            }
            sb.append(String.format("Accuracy of %5s : %2d %%%n", classes.get(c), percent(counts[c][c], n)));
        }
        return sb.toString();
    }

    /**
     * Python's {@code '%d' % (100 * part / whole)}: the float is truncated, not rounded, so 2 of 3
     * prints 66 as in the course. The product comes first, as there, so 54 of 100 stays 54.
     */
    static long percent(long part, long whole) {
        return whole == 0 ? 0 : (long) (100.0 * part / whole);
    }

    /** Rows are the true classes, columns the predicted ones. */
    public String confusionTable() {
        StringBuilder sb = new StringBuilder(String.format("%12s", "truth \\ pred"));
        for (String name : classes) {
            sb.append(String.format(" %5.5s", name));
        }
        sb.append('\n');
        for (int t = 0; t < classes.size(); t++) {
            sb.append(String.format("%12s", classes.get(t)));
            for (int p = 0; p < classes.size(); p++) {
                sb.append(String.format(" %5d", counts[t][p]));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** The confusion matrix as CSV: a header {@code truth,plane,car,...}, then one row per true class. */
    public String confusionCsv() {
        StringBuilder sb = new StringBuilder("truth");
        for (String name : classes) {
            sb.append(',').append(name);
        }
        sb.append('\n');
        for (int t = 0; t < classes.size(); t++) {
            sb.append(classes.get(t));
            for (int p = 0; p < classes.size(); p++) {
                sb.append(',').append(counts[t][p]);
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Writes {@code confusion_matrix.csv} and the heat map {@code confusion_matrix.png} into {@code dir}. */
    public void writeConfusion(java.nio.file.Path dir) throws java.io.IOException {
        byte[] csv = confusionCsv().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        dev.steptorch.serialization.AtomicWrite.file(dir.resolve("confusion_matrix.csv"),
                tmp -> java.nio.file.Files.write(tmp, csv));
        dev.steptorch.vision.VisionUtils.savePng(ConfusionHeatMap.draw(classes, counts), dir.resolve("confusion_matrix.png"));
    }
}
