package dev.steptorch.nn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steptorch.nn.lessons.BlitzNet;
import dev.steptorch.nn.lessons.DistanceAndKernel;
import dev.steptorch.nn.lessons.LossTour;
import dev.steptorch.nn.lessons.SequentialForms;
import dev.steptorch.nn.lessons.StateDictTour;
import dev.steptorch.nn.lessons.TwoLayerNn;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs step 5's lessons as a learner would and checks what they print and compute. */
class NnLessonsTest {
    @TempDir
    Path dir;

    /** What {@code body} prints to the stream it is given. */
    static String printed(Consumer<PrintStream> body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            body.accept(out);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    interface Main {
        void run() throws Exception;
    }

    /** What a lesson's main prints to System.out. */
    static String printedByMain(Main main) throws Exception {
        PrintStream saved = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            System.setOut(out);
            main.run();
        } finally {
            System.setOut(saved);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** The losses of {@code t loss} lines, checking that t counts 0, 1, 2, ... */
    static double[] losses(String printed) {
        List<String> lines = printed.lines().toList();
        double[] losses = new double[lines.size()];
        for (int t = 0; t < lines.size(); t++) {
            String[] parts = lines.get(t).split(" ");
            assertThat(parts).hasSize(2);
            assertThat(parts[0]).isEqualTo(Integer.toString(t));
            losses[t] = Double.parseDouble(parts[1]);
        }
        return losses;
    }

    @Test
    void twoLayerNnPrints500LossesThatFallByAFactorOfAMillion() throws Exception {
        double[] losses = losses(printedByMain(() -> TwoLayerNn.main(new String[0])));
        assertThat(losses).hasSize(500);
        // Measured with seed 0: 654.8 at t = 0, 6.4e-7 at t = 499 (the course's run: 697 to about 1e-5).
        assertThat(losses[0]).isBetween(100.0, 5000.0);
        assertThat(losses[499]).isLessThan(losses[0] * 1e-6);
        for (int t = 1; t < 50; t++) {
            assertThat(losses[t]).as("loss at %d", t).isLessThan(losses[t - 1]);
        }
    }

    @Test
    void twoLayerNnSameSeedSameLosses() {
        double[] a = TwoLayerNn.train(5, 7, null);
        assertThat(TwoLayerNn.train(5, 7, null)).containsExactly(a);
        assertThat(TwoLayerNn.train(5, 8, null)[0]).isNotEqualTo(a[0]);
    }

    @Test
    void blitzNetPrintsTheNetItsParametersAndTheGraph() throws Exception {
        String out = printedByMain(() -> BlitzNet.main(new String[0]));
        assertThat(out).contains(
                "Net(\n  (conv1): Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1))\n"
                        + "  (conv2): Conv2d(6, 16, kernel_size=(5, 5), stride=(1, 1))\n"
                        + "  (fc1): Linear(in_features=400, out_features=120, bias=True)\n"
                        + "  (fc2): Linear(in_features=120, out_features=84, bias=True)\n"
                        + "  (fc3): Linear(in_features=84, out_features=10, bias=True)\n)\n10\ntorch.Size([6, 1, 5, 5])\n",
                "grad_fn=<AddmmBackward0>)",
                "<MseLossBackward0>\n<AddmmBackward0>\n<AccumulateGrad>\n",
                "conv1.bias.grad before backward\ntensor([0., 0., 0., 0., 0., 0.])\nconv1.bias.grad after backward\n");
    }

    @Test
    void blitzNetBackwardFillsConv1BiasGradAndTheManualUpdateLowersTheLoss() {
        String out = printed(o -> BlitzNet.run(3, o));
        String after = out.substring(out.indexOf("conv1.bias.grad after backward"));
        assertThat(after.lines().skip(1).findFirst().orElseThrow()).doesNotContain("[0., 0., 0., 0., 0., 0.]");
        double before = Double.parseDouble(out.replaceAll("(?s).*\ntensor\\(([-0-9.e]+), grad_fn=<MseLossBackward0>\\).*", "$1"));
        double afterUpdate = Double.parseDouble(out.replaceAll("(?s).*loss after one update: ([-0-9.e]+).*", "$1"));
        assertThat(afterUpdate).isLessThan(before);
    }

    @Test
    void blitzNetRejectsAnImageWithoutABatchDimension() {
        Torch.manualSeed(0);
        BlitzNet.Net net = new BlitzNet.Net();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> net.call(Torch.randn(1, 32, 32)))
                .hasMessageContaining("unsqueeze(0)");
    }

    @Test
    void stateDictTourPrintsTheKeysAndRestoresTheModel() throws Exception {
        Path file = dir.resolve("model.safetensors");
        String out = printed(o -> {
            try {
                assertThat(StateDictTour.run(0, file, o)).isTrue();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertThat(out).startsWith("Model's state_dict:\n"
                + "conv1.weight \t torch.Size([6, 3, 5, 5])\n"
                + "conv1.bias \t torch.Size([6])\n"
                + "conv2.weight \t torch.Size([16, 6, 5, 5])\n"
                + "conv2.bias \t torch.Size([16])\n"
                + "fc1.weight \t torch.Size([120, 400])\n"
                + "fc1.bias \t torch.Size([120])\n"
                + "fc2.weight \t torch.Size([84, 120])\n"
                + "fc2.bias \t torch.Size([84])\n"
                + "fc3.weight \t torch.Size([10, 84])\n"
                + "fc3.bias \t torch.Size([10])\n");
        assertThat(out).doesNotContain("pool.").contains(
                "\"conv1.weight\":{\"dtype\":\"F32\",\"shape\":[6,3,5,5],\"data_offsets\":[0,1800]}",
                "fresh model, same output: False",
                "missing keys: [], unexpected keys: []",
                "loaded model, same output: True");
        // 62006 float32 parameters, 4 bytes each, after the 8-byte length and the header
        long parameters = 6 * 3 * 5 * 5 + 6 + 16 * 6 * 5 * 5 + 16 + 120 * 400 + 120 + 84 * 120 + 84 + 10 * 84 + 10;
        long headerLength = java.nio.ByteBuffer.wrap(Files.readAllBytes(file), 0, 8)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(Files.size(file)).isEqualTo(8 + headerLength + 4 * parameters);
        assertThat((8 + headerLength) % 8).isZero();
    }

    @Test
    void stateDictTourMainCleansUpItsFile() throws Exception {
        String out = printedByMain(() -> StateDictTour.main(new String[0]));
        assertThat(out).contains("loaded model, same output: True");
    }

    @Test
    void lossTourShowsCrossEntropyIsLogSoftmaxThenNll() throws Exception {
        double[] difference = new double[1];
        String out = printed(o -> difference[0] = LossTour.run(0, o));
        assertThat(difference[0]).isLessThan(1e-6);
        assertThat(out).contains(
                "Softmax(dim=1)\ntensor([[",
                "row sums: tensor([1., 1., 1.]",
                "LogSoftmax(dim=1)\ntensor([[",
                "grad_fn=<NllLossBackward0>",
                "grad_fn=<BinaryCrossEntropyBackward0>",
                "LeakyReLU(negative_slope=0.01)\ntensor([-0.0200, -0.0050,  0.0000,  1.5000])");
        assertThat(printedByMain(() -> LossTour.main(new String[0]))).isEqualTo(out);
    }

    @Test
    void lossTourCrossEntropyLinesAgree() {
        String out = printed(o -> LossTour.run(5, o));
        String ce = out.replaceAll("(?s).*\nCrossEntropyLoss: +(tensor\\([-0-9.]+),.*", "$1");
        String nll = out.replaceAll("(?s).*\nNLLLoss\\(LogSoftmax\\(x\\)\\): +(tensor\\([-0-9.]+),.*", "$1");
        assertThat(ce).startsWith("tensor(").isEqualTo(nll);
        String perSample = out.replaceAll("(?s).*\nper sample: +(tensor\\(\\[[-0-9., ]+\\]),.*", "$1");
        String byHand = out.replaceAll("(?s).*\n-x\\[class\\] \\+ log\\(sum exp\\): (tensor\\(\\[[-0-9., ]+\\]),.*", "$1");
        assertThat(perSample).startsWith("tensor([").isEqualTo(byHand);
    }

    @Test
    void sequentialFormsBuildTheSameEncoderUnderTheirNames() {
        String out = printed(o -> SequentialForms.run(0, o));
        assertThat(out).contains("""
                Sequential(
                  (0): Conv2d(3, 32, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2))
                  (1): ReLU(inplace=True)
                  (2): MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)
                )
                torch.Size([4, 32, 16, 16])
                """, """
                Sequential(
                  (conv_pse1): Conv2d(3, 32, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2))
                  (ac_pse1): ReLU(inplace=True)
                  (pool_pse1): MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)
                )
                torch.Size([4, 32, 16, 16])
                """, "add_module and OrderedDict forms agree: true",
                "inplace ReLU returned its input: true, tensor([0., 2.])");
        assertThat(out.split("\\(conv_pse1\\)", -1)).hasSize(3);
    }

    @Test
    void distanceMatricesAgreeOnKnownPoints() {
        Tensor source = Torch.tensor(new double[][] {{0, 0}, {1, 0}});
        Tensor target = Torch.tensor(new double[][] {{3, 4}});
        // |(0,0)-(1,0)|^2 = 1, |(0,0)-(3,4)|^2 = 25, |(1,0)-(3,4)|^2 = 20
        assertThat(DistanceAndKernel.pairwiseSquaredDistances(source, target).toDoubleArray())
                .containsExactly(0, 1, 25, 1, 0, 20, 25, 20, 0);
        assertThat(DistanceAndKernel.distance(source, target).toDoubleArray()).containsExactly(25, 20);
        assertThat(DistanceAndKernel.distance(source.numpy(), target.numpy()).toDoubleArray()).containsExactly(25, 20);
        // exp(0) once per bandwidth on the diagonal
        Tensor kernel = DistanceAndKernel.gaussianKernel(source, target, 2.0, 5);
        assertThat(kernel.toDoubleArray()[0]).isEqualTo(5.0);
        // the mean off-diagonal distance is 2 (1 + 25 + 20) / 6; the bandwidths are that times 1/4, 1/2, 1, 2, 4
        double mean = 92.0 / 6;
        double expected = 0;
        for (double f : new double[] {0.25, 0.5, 1, 2, 4}) {
            expected += Math.exp(-25 / (mean * f));
        }
        assertThat(kernel.toDoubleArray()[2]).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-5));
    }

    @Test
    void distanceAndKernelLessonPrintsBothMatrices() throws Exception {
        double[] difference = new double[1];
        String out = printed(o -> difference[0] = DistanceAndKernel.run(0, o));
        assertThat(difference[0]).isLessThan(1e-5);
        assertThat(out).contains("L2_distance, torch.Size([7, 7]):", "distance(source, target), torch.Size([4, 3]):",
                "gaussian kernel, torch.Size([7, 7]):");
        assertThat(printedByMain(() -> DistanceAndKernel.main(new String[0]))).isEqualTo(out);
    }
}
