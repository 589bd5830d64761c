package dev.steptorch.vision.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.steptorch.autograd.GradMode;
import dev.steptorch.data.Batch;
import dev.steptorch.nn.Module;
import dev.steptorch.tensor.Device;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tallies of the test loop, on a model whose every prediction the test chooses. */
class EvaluationTest {
    private static final List<String> CLASSES = List.of("ant", "bee", "cicada");

    /**
     * Each "image" is one number, the class the model will predict for it; the scores put that
     * class highest (and the others at distinct lower values, so argmax has no ties to break).
     */
    static final class Oracle extends Module {
        final List<Boolean> trainingSeen = new ArrayList<>();
        final List<Boolean> gradSeen = new ArrayList<>();

        @Override
        public Tensor forward(Tensor x) {
            trainingSeen.add(isTraining());
            gradSeen.add(GradMode.isEnabled());
            float[] wanted = x.toFloatArray();
            float[][] scores = new float[wanted.length][CLASSES.size()];
            for (int i = 0; i < wanted.length; i++) {
                for (int c = 0; c < CLASSES.size(); c++) {
                    scores[i][c] = c == (int) wanted[i] ? 5f : -c;
                }
            }
            return Torch.tensor(scores);
        }
    }

    private static Batch batch(long[] truth, float[] predicted) {
        float[][] images = new float[predicted.length][1];
        for (int i = 0; i < predicted.length; i++) {
            images[i][0] = predicted[i];
        }
        return new Batch(Torch.tensor(images), Torch.tensor(truth));
    }

    // truth:     ant ant bee | cicada cicada cicada bee
    // predicted: ant bee bee | cicada ant    cicada bee
    private static final List<Batch> BATCHES = List.of(
            batch(new long[] {0, 0, 1}, new float[] {0, 1, 1}),
            batch(new long[] {2, 2, 2, 1}, new float[] {2, 0, 2, 1}));

    @Test
    void countsAccuracyAndConfusionMatrix() {
        Evaluation e = Evaluation.run(new Oracle(), BATCHES, CLASSES, Device.CPU);

        assertThat(e.total()).isEqualTo(7);
        assertThat(e.correct()).isEqualTo(5);
        assertThat(e.accuracy()).isCloseTo(5.0 / 7, within(1e-12));
        assertThat(e.accuracy(0)).isCloseTo(0.5, within(1e-12));
        assertThat(e.accuracy(1)).isCloseTo(1.0, within(1e-12));
        assertThat(e.accuracy(2)).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(e.confusionMatrix()).isDeepEqualTo(new long[][] {{1, 1, 0}, {0, 2, 0}, {1, 0, 2}});
    }

    @Test
    void confusionMatrixIsACopy() {
        Evaluation e = Evaluation.run(new Oracle(), BATCHES, CLASSES, Device.CPU);
        e.confusionMatrix()[0][0] = 99;
        assertThat(e.confusionMatrix()[0][0]).isEqualTo(1);
        assertThat(e.correct()).isEqualTo(5);
    }

    @Test
    void printsTheBlitzSentencesAndATable() {
        Evaluation e = Evaluation.run(new Oracle(), BATCHES, CLASSES, Device.CPU);

        assertThat(e.summary()).isEqualTo("Accuracy of the network on the 7 test images: 71 %");
        assertThat(e.perClass().lines()).containsExactly(
                "Accuracy of   ant : 50 %",
                "Accuracy of   bee : 100 %",
                "Accuracy of cicada : 66 %");
        List<String> rows = e.confusionTable().lines().toList();
        assertThat(rows).hasSize(4);
        assertThat(rows.get(0).split("\\s+")).containsExactly("truth", "\\", "pred", "ant", "bee", "cicad");
        assertThat(rows.get(1).trim().split("\\s+")).containsExactly("ant", "1", "1", "0");
        assertThat(rows.get(2).trim().split("\\s+")).containsExactly("bee", "0", "2", "0");
        assertThat(rows.get(3).trim().split("\\s+")).containsExactly("cicada", "1", "0", "2");
        // Columns line up: every row is as wide as the header.
        assertThat(rows).allSatisfy(r -> assertThat(r).hasSameSizeAs(rows.get(0)));
    }

    /** Python's '%d' truncates: 2 of 3 is 66 (rounding says 67), 999 of 1000 is 99, the blitz's 5400 of 10000 is 54. */
    @Test
    void percentagesAreTruncatedLikePythonsPercentD() {
        assertThat(Evaluation.percent(2, 3)).isEqualTo(66);
        assertThat(Evaluation.percent(999, 1000)).isEqualTo(99);
        assertThat(Evaluation.percent(5400, 10000)).isEqualTo(54);
        assertThat(Evaluation.percent(10, 10)).isEqualTo(100);
        assertThat(Evaluation.percent(0, 0)).isZero();
    }

    @Test
    void runsInEvalModeWithoutRecordingAndRestoresTheMode() {
        Oracle training = new Oracle();
        Evaluation.run(training, BATCHES, CLASSES, Device.CPU);
        assertThat(training.trainingSeen).containsExactly(false, false);
        assertThat(training.gradSeen).containsExactly(false, false);
        assertThat(training.isTraining()).isTrue();
        assertThat(GradMode.isEnabled()).isTrue();

        Oracle evaluating = new Oracle();
        evaluating.eval();
        Evaluation.run(evaluating, BATCHES, CLASSES, Device.CPU);
        assertThat(evaluating.isTraining()).isFalse();
    }

    @Test
    void predictIsTheArgmaxOfEachRow() {
        long[] predicted = Evaluation.predict(new Oracle(), Torch.tensor(new float[][] {{2}, {0}, {1}, {2}}));
        assertThat(predicted).containsExactly(2, 0, 1, 2);
    }

    @Test
    void emptyTestSetAndUnseenClassGiveZeroNotNaN() {
        Evaluation none = Evaluation.run(new Oracle(), List.of(), CLASSES, Device.CPU);
        assertThat(none.total()).isZero();
        assertThat(none.accuracy()).isZero();
        assertThat(none.accuracy(1)).isZero();
        assertThat(none.summary()).isEqualTo("Accuracy of the network on the 0 test images: 0 %");

        Evaluation noBees = Evaluation.run(new Oracle(), List.of(batch(new long[] {0, 2}, new float[] {0, 1})), CLASSES, Device.CPU);
        assertThat(noBees.accuracy(1)).isZero();
        assertThat(noBees.accuracy()).isEqualTo(0.5);
    }
}
