package dev.steptorch.vision.lessons;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steptorch.serialization.Safetensors;
import dev.steptorch.optim.SGD;
import dev.steptorch.tensor.Device;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.vision.CifarNet;
import dev.steptorch.vision.train.Checkpoint;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lesson end to end on 200 training and 50 test images that a CNN can tell apart: its
 * printout, its files, resuming, and the worker count not mattering.
 */
class TrainCifarTest {
    @TempDir
    static Path tmp;
    static Path data;

    /** What a run printed and returned. */
    record Run(TrainCifar.Result result, String output, Path out) {
        List<String> lines() {
            return output.lines().toList();
        }
    }

    static Run full;        // 2 epochs, no workers
    static Run withWorkers; // the same with 2 workers
    static Run firstHalf;   // 1 epoch ...
    static Run resumed;     // ... then --resume to 2 epochs in the same folder

    static Run run(String... args) throws IOException {
        // On the CPU unless a test says otherwise, so that a machine with a GPU runs the same numbers.
        List<String> all = new ArrayList<>(List.of("--device", "cpu", "--data", data.toString(), "--batch-size", "4", "--lr", "0.01",
                "--seed", "0", "--print-every", "10"));
        all.addAll(List.of(args));
        TrainCifar.Settings s = TrainCifar.Settings.parse(all.toArray(String[]::new));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TrainCifar.Result r = TrainCifar.run(s, new PrintStream(bytes, true, StandardCharsets.UTF_8), null);
        return new Run(r, bytes.toString(StandardCharsets.UTF_8), s.out);
    }

    @BeforeAll
    static void train() throws IOException {
        data = tmp.resolve("data");
        SyntheticCifar.write(data, 200, 50, 42);
        full = run("--epochs", "2", "--workers", "0", "--out", tmp.resolve("full").toString());
        withWorkers = run("--epochs", "2", "--workers", "2", "--out", tmp.resolve("workers").toString());
        String split = tmp.resolve("split").toString();
        firstHalf = run("--epochs", "1", "--workers", "2", "--out", split);
        resumed = run("--epochs", "2", "--workers", "2", "--out", split, "--resume");
    }

    private static List<String> matching(Run run, String regex) {
        return run.lines().stream().filter(l -> l.matches(regex)).toList();
    }

    private static String lineStarting(Run run, String prefix) {
        return run.lines().stream().filter(l -> l.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no line starting with " + prefix + " in\n" + run.output()));
    }

    /** The four names of a {@code ' '.join('%5s' % ...)} line: each right-aligned in its own five columns. */
    private static List<String> names(String line) {
        assertThat(line).as("four fields of five, one space apart").hasSize(4 * 5 + 3);
        List<String> names = new ArrayList<>();
        for (int j = 0; j < 4; j++) {
            String field = line.substring(6 * j, 6 * j + 5);
            assertThat(field).as("right-aligned like '%%5s'").isEqualTo(String.format("%5s", field.trim()));
            names.add(field.trim());
        }
        return names;
    }

    @Test
    void printsTheCoursesTrainingAndTestOutput() {
        // 200 images / batch 4 = 50 mini-batches per epoch, a loss line every 10.
        assertThat(matching(full, "\\[1, +\\d+\\] loss: \\d+\\.\\d{3}")).hasSize(5);
        assertThat(matching(full, "\\[2, +\\d+\\] loss: \\d+\\.\\d{3}")).hasSize(5);
        assertThat(full.output()).contains("[1,    10] loss: ", "[2,    50] loss: ", "Finished Training");
        // The first line names the four images of the first (shuffled) training batch, in the course's words.
        assertThat(names(full.lines().get(0))).allSatisfy(n -> assertThat(TrainCifar.CLASSES).contains(n));
        // The test set is not shuffled: its first four labels are 0, 1, 2, 3.
        assertThat(lineStarting(full, "GroundTruth:")).isEqualTo("GroundTruth:  plane   car  bird   cat");
        String predicted = lineStarting(full, "Predicted:");
        assertThat(predicted).startsWith("Predicted:  ");
        assertThat(names(predicted.substring("Predicted:  ".length()))).allSatisfy(n -> assertThat(TrainCifar.CLASSES).contains(n));
        // '%d' truncates: the printed percentages are the floors of the exact ones.
        var evaluation = full.result().evaluation();
        long percent = (long) Math.floor(100.0 * evaluation.correct() / evaluation.total());
        assertThat(full.output()).contains("Accuracy of the network on the 50 test images: " + percent + " %");
        for (int c = 0; c < 10; c++) {
            long classPercent = (long) Math.floor(100.0 * evaluation.confusionMatrix()[c][c] / 5);
            assertThat(full.lines()).contains(String.format("Accuracy of %5s : %2d %%", TrainCifar.CLASSES.get(c), classPercent));
        }
        assertThat(full.output()).contains("Confusion matrix (rows: true class, columns: predicted):\n"
                + full.result().evaluation().confusionTable());
    }

    @Test
    void printsTheDeviceAndTheNetworkAsTheCourseDoes() {
        // print(device), then print(net): after the first batch's labels, before the first loss line.
        assertThat(full.lines().get(1)).isEqualTo("cpu");
        assertThat(full.output()).contains("""
                cpu
                Net(
                  (conv1): Conv2d(3, 6, kernel_size=(5, 5), stride=(1, 1))
                  (pool): MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)
                  (conv2): Conv2d(6, 16, kernel_size=(5, 5), stride=(1, 1))
                  (fc1): Linear(in_features=400, out_features=120, bias=True)
                  (fc2): Linear(in_features=120, out_features=84, bias=True)
                  (fc3): Linear(in_features=84, out_features=10, bias=True)
                )
                ==========""");
        // then torchinfo's summary of it, before the first loss line
        String output = full.output();
        assertThat(output.indexOf("Layer (type:depth-idx)")).isLessThan(output.indexOf("Total params: 62,006"));
        assertThat(output).contains("Non-trainable params: 0\n" + "=".repeat(90) + "\n[1,    10] loss: ");
    }

    /** The course's {@code "cuda:0" if torch.cuda.is_available() else "cpu"}; --device overrides it. */
    @Test
    void picksTheGpuByItselfWhenThereIsOneAndObeysDevice() {
        Device picked = TrainCifar.Settings.parse(new String[0]).device;
        assertThat(picked).isEqualTo(Device.isGpuAvailable() ? Device.GPU : Device.CPU);
        assertThat(TrainCifar.Settings.parse(new String[] {"--device", "cpu"}).device).isEqualTo(Device.CPU);
        assertThat(TrainCifar.Settings.parse(new String[] {"--device", "GPU"}).device).isEqualTo(Device.GPU);
    }

    @Test
    void evaluatesEveryTestImageOnce() {
        long[][] m = full.result().evaluation().confusionMatrix();
        assertThat(full.result().evaluation().total()).isEqualTo(50);
        for (long[] row : m) {
            assertThat(Arrays.stream(row).sum()).isEqualTo(5);
        }
        assertThat(full.result().losses()).hasSize(100);
        assertThat(full.result().trainImages()).isEqualTo(400);
    }

    @Test
    void learnsTheSyntheticClassesFarAboveChance() {
        assertThat(full.result().evaluation().accuracy()).isGreaterThan(0.5);
        List<Double> losses = full.result().losses();
        double first = losses.subList(0, 10).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double last = losses.subList(90, 100).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertThat(last).isLessThan(first / 2);
    }

    private static void assertPng(Path file, int width, int height) throws IOException {
        byte[] head = Arrays.copyOf(Files.readAllBytes(file), 8);
        assertThat(head).containsExactly(0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n');
        BufferedImage img = ImageIO.read(file.toFile());
        assertThat(img).as(file.toString()).isNotNull();
        assertThat(img.getWidth()).isEqualTo(width);
        assertThat(img.getHeight()).isEqualTo(height);
    }

    @Test
    void writesPicturesCheckpointAndModel() throws IOException {
        Path out = full.out();
        // Four 32x32 images in one row of make_grid, 2 pixels of padding around each.
        assertPng(out.resolve("train_batch.png"), 4 * 34 + 2, 36);
        assertPng(out.resolve("test_batch.png"), 4 * 34 + 2, 36);
        assertPng(out.resolve("loss.png"), 900, 450);
        assertPng(out.resolve("confusion_matrix.png"), 90 + 10 * 48 + 20, 60 + 10 * 48 + 80);
        assertThat(Files.readAllLines(out.resolve("confusion_matrix.csv")))
                .hasSize(11)
                .first().isEqualTo("truth,plane,car,bird,cat,deer,dog,frog,horse,ship,truck");

        Map<String, Tensor> model = Safetensors.load(out.resolve("cifar_net.safetensors"));
        assertThat(model.keySet()).containsExactlyInAnyOrderElementsOf(new CifarNet().stateDict().keySet());

        CifarNet net = new CifarNet();
        SGD sgd = new SGD(net.parameters(), SGD.defaults().lr(0.5));
        Checkpoint.Progress p = Checkpoint.load(out.resolve("checkpoint.safetensors"), net, sgd);
        assertThat(p.epochsDone()).isEqualTo(2);
        assertThat(p.losses()).isEqualTo(full.result().losses());
        assertThat(sgd.paramGroups().get(0).options()).containsEntry("lr", 0.01).containsEntry("momentum", 0.9);
        net.stateDict().forEach((k, v) -> assertThat(v.toFloatArray()).as(k).containsExactly(model.get(k).toFloatArray()));
    }

    private static void assertSameModelFiles(Path a, Path b) throws IOException {
        Map<String, Tensor> x = Safetensors.load(a.resolve("cifar_net.safetensors"));
        Map<String, Tensor> y = Safetensors.load(b.resolve("cifar_net.safetensors"));
        assertThat(y.keySet()).containsExactlyElementsOf(x.keySet());
        x.forEach((k, v) -> assertThat(y.get(k).toFloatArray()).as(k).containsExactly(v.toFloatArray()));
    }

    @Test
    void resumingAfterOneEpochGivesExactlyTheUninterruptedRun() throws IOException {
        assertThat(firstHalf.result().losses()).isEqualTo(full.result().losses().subList(0, 50));
        assertThat(resumed.output()).contains("resumed from").contains("after epoch 1");
        assertThat(matching(resumed, "\\[1, .*")).isEmpty();
        assertThat(matching(resumed, "\\[2, +\\d+\\] loss: .*")).hasSize(5);
        assertThat(resumed.result().trainImages()).isEqualTo(200);
        assertThat(resumed.result().losses()).isEqualTo(full.result().losses());
        assertSameModelFiles(full.out(), resumed.out());
        assertThat(resumed.result().evaluation().confusionMatrix()).isDeepEqualTo(full.result().evaluation().confusionMatrix());
    }

    @Test
    void resumingAFinishedRunSaysSoAndOnlyTests() throws IOException {
        Path out = tmp.resolve("finished");
        run("--epochs", "1", "--workers", "0", "--out", out.toString(), "--limit", "40");
        // a killed checkpoint write left a temporary file; the next run removes it
        Files.writeString(out.resolve(".checkpoint.safetensors.999.tmp"), "half");
        Run again = run("--epochs", "1", "--workers", "0", "--out", out.toString(), "--limit", "40", "--resume");
        assertThat(again.output()).contains("that run already finished its 1 epoch: nothing left to train");
        assertThat(matching(again, "\\[\\d+, +\\d+\\] loss: .*")).isEmpty();
        assertThat(again.result().trainImages()).isZero();
        assertThat(again.output()).contains("Accuracy of the network on the 50 test images");
        assertThat(Files.exists(out.resolve(".checkpoint.safetensors.999.tmp"))).isFalse();
    }

    @Test
    void workerThreadsDoNotChangeTheRun() throws IOException {
        assertThat(withWorkers.result().losses()).isEqualTo(full.result().losses());
        assertSameModelFiles(full.out(), withWorkers.out());
        assertThat(withWorkers.output()).contains("Finished Training", "Accuracy of the network on the 50 test images:");
    }

    /** --device gpu takes the same code path: the same first losses as on the CPU, within float32 rounding. */
    @Test
    void trainsOnTheGpuDeviceLikeOnTheCpu() throws IOException {
        if (!Device.isGpuAvailable()) {
            assertThat(System.getenv("CI")).as("CI installs PoCL, so the GPU device must be there").isNotEqualTo("true");
            Assumptions.abort("no usable OpenCL device (install pocl-opencl-icd to run this test on the CPU)");
        }
        Run gpu = run("--epochs", "1", "--workers", "0", "--device", "gpu", "--out", tmp.resolve("gpu").toString());
        List<Double> cpuLosses = full.result().losses().subList(0, 10);
        List<Double> gpuLosses = gpu.result().losses().subList(0, 10);
        for (int i = 0; i < 10; i++) {
            assertThat(gpuLosses.get(i)).as("loss %d", i).isCloseTo(cpuLosses.get(i), Percentage.withPercentage(0.1));
        }
        assertThat(gpu.result().evaluation().total()).isEqualTo(50);
        assertThat(gpu.output()).contains("Finished Training");
        assertThat(gpu.lines().get(1)).isEqualTo("gpu");
    }

    @Test
    void missingDataSaysWhatIsExpectedAndHowToGetIt() {
        Path missing = tmp.resolve("no-cifar-here");
        TrainCifar.Settings s = TrainCifar.Settings.parse(new String[] {"--data", missing.toString(), "--out",
                tmp.resolve("unused").toString()});
        assertThatThrownBy(() -> TrainCifar.run(s, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), null))
                .isInstanceOf(FileNotFoundException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("data_batch_1.bin")
                .hasMessageContaining("test_batch.bin")
                .hasMessageContaining("--download")
                .hasMessageContaining("ImagesToCifarBinary");
    }

    @Test
    void unknownOptionsAndMissingValuesAreRefused() {
        assertThatThrownBy(() -> TrainCifar.Settings.parse(new String[] {"--epoch", "2"}))
                .hasMessageContaining("Unknown option").hasMessageContaining("'--epoch'");
        assertThatThrownBy(() -> TrainCifar.Settings.parse(new String[] {"--data"}))
                .hasMessageContaining("Missing required parameter for option '--data'");
    }
}
