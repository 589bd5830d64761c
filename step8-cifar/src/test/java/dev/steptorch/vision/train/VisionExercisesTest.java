package dev.steptorch.vision.train;

import static dev.steptorch.tensor.ExerciseAssert.check;
import static dev.steptorch.tensor.ExerciseAssert.close;

import dev.steptorch.data.Batch;
import dev.steptorch.nn.CrossEntropyLoss;
import dev.steptorch.nn.F;
import dev.steptorch.nn.Linear;
import dev.steptorch.nn.Losses;
import dev.steptorch.optim.SGD;
import dev.steptorch.tensor.Device;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import dev.steptorch.vision.transforms.Image;
import dev.steptorch.vision.transforms.Normalize;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The graded tests of step 8's classroom exercises (exercises.txt, docs/teaching.md), one per exercise. */
class VisionExercisesTest {
    private static final List<String> CLASSES = List.of("ant", "bee", "cicada");

    @Test
    void normalize() {
        Image two = new Image(2, 1, 2, new float[] {0f, 0.5f, 1f, 0.25f}, false);
        Image out = new Normalize(new double[] {0.5, 0.25}, new double[] {0.5, 0.125}).apply(two, null);
        float[] expected = {-1f, 0f, 6f, 0f};
        for (int i = 0; i < expected.length; i++) {
            check(out.data()[i] == expected[i], "Normalize(mean=[0.5, 0.25], std=[0.5, 0.125]) of a 2-channel 1x2 image "
                    + Arrays.toString(two.data()) + ": channel " + (i / 2) + ", pixel " + (i % 2) + " should be (x - mean) / std = "
                    + expected[i] + ", got " + out.data()[i]);
        }
        Image three = new Image(3, 1, 1, new float[] {0f, 0.5f, 1f}, false);
        float[] got = new Normalize(new double[] {0.5}, new double[] {0.5}).apply(three, null).data();
        check(Arrays.equals(got, new float[] {-1f, 0f, 1f}),
                "Normalize(mean=[0.5], std=[0.5]) applies its one value to every channel: [0, 0.5, 1] should give [-1, 0, 1], got "
                        + Arrays.toString(got));
    }

    @Test
    void trainingStep() {
        Torch.manualSeed(4);
        Linear model = new Linear(2, 3);
        Tensor w = model.weight().detach().clone();
        Tensor b = model.bias().detach().clone();
        Tensor inputs = Torch.tensor(new float[][] {{1, 2}, {-1, 0.5f}, {0, -2}});
        Tensor labels = Torch.tensor(new long[] {2, 0, 1});
        Trainer trainer = new Trainer(model, new CrossEntropyLoss(), new SGD(model.parameters(), SGD.defaults().lr(0.5)), Device.CPU, 1);
        for (int step = 1; step <= 2; step++) {
            Tensor wl = w.clone().requiresGrad_(true);
            Tensor bl = b.clone().requiresGrad_(true);
            Tensor expectedLoss = Losses.crossEntropy(F.linear(inputs, wl, bl), labels);
            expectedLoss.backward();
            Tensor loss = trainer.step(inputs, labels);
            check(loss != null, "step should return the mini-batch's loss");
            close("the loss returned by training step " + step + " (computed before the update)", loss.detach(), expectedLoss.detach(), 1e-6);
            w = w.sub(wl.grad().mul(0.5));
            b = b.sub(bl.grad().mul(0.5));
            close("the weight after training step " + step + " (zero_grad, forward, loss, backward, step: gradients of earlier "
                    + "steps must not pile up)", model.weight().detach(), w, 1e-5);
            close("the bias after training step " + step, model.bias().detach(), b, 1e-5);
        }
    }

    // truth:     ant ant bee | cicada cicada cicada bee
    // predicted: ant bee bee | cicada ant    cicada bee
    private static List<Batch> batches() {
        return List.of(batch(new long[] {0, 0, 1}, new float[] {0, 1, 1}), batch(new long[] {2, 2, 2, 1}, new float[] {2, 0, 2, 1}));
    }

    private static Batch batch(long[] truth, float[] predicted) {
        float[][] images = new float[predicted.length][1];
        for (int i = 0; i < predicted.length; i++) {
            images[i][0] = predicted[i];
        }
        return new Batch(Torch.tensor(images), Torch.tensor(truth));
    }

    @Test
    void confusionCounts() {
        Evaluation e = Evaluation.run(new EvaluationTest.Oracle(), batches(), CLASSES, Device.CPU);
        long[][] expected = {{1, 1, 0}, {0, 2, 0}, {1, 0, 2}};
        long[][] got = e.confusionMatrix();
        for (int t = 0; t < 3; t++) {
            for (int p = 0; p < 3; p++) {
                check(got[t][p] == expected[t][p], "confusion matrix [truth " + CLASSES.get(t) + "][predicted " + CLASSES.get(p)
                        + "] should count " + expected[t][p] + " image(s), got " + got[t][p] + "; whole matrix: "
                        + Arrays.deepToString(got));
            }
        }
        check(e.total() == 7 && e.correct() == 5, "7 test images, 5 correct; got " + e.total() + " and " + e.correct());
    }

    @Test
    void perClassAccuracy() {
        Evaluation e = Evaluation.run(new EvaluationTest.Oracle(), batches(), CLASSES, Device.CPU);
        double[] expected = {0.5, 1.0, 2.0 / 3};
        for (int c = 0; c < 3; c++) {
            check(Math.abs(e.accuracy(c) - expected[c]) < 1e-12, "accuracy of class " + CLASSES.get(c) + " should be "
                    + expected[c] + " (correct / images of that class), got " + e.accuracy(c));
        }
        Evaluation none = Evaluation.run(new EvaluationTest.Oracle(), List.of(batch(new long[] {0}, new float[] {0})), CLASSES, Device.CPU);
        check(none.accuracy(1) == 0, "a class with no test images has accuracy 0, not NaN; got " + none.accuracy(1));
    }
}
