package dev.steptorch.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.steptorch.data.Dataset;
import dev.steptorch.data.Sample;
import dev.steptorch.nn.Checkpoints;
import dev.steptorch.serialization.Safetensors;
import dev.steptorch.optim.SGD;
import dev.steptorch.optim.StepLR;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import dev.steptorch.vision.lessons.TransferLearning;
import dev.steptorch.vision.lessons.TransferLearning.Mode;
import dev.steptorch.vision.lessons.TransferLearning.ModeResult;
import dev.steptorch.vision.lessons.TransferLearning.Settings;
import dev.steptorch.vision.transforms.ToTensor;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The transfer-learning lesson on a tiny synthetic cat/dog folder and a random "pretrained" network. */
class TransferLearningTest {
    /** Parameter counts of the blitz's network, from its layer sizes. */
    private static final long HEAD = 84 * 2 + 2;
    private static final long WHOLE = (3 * 6 * 25 + 6) + (6 * 16 * 25 + 16) + (400 * 120 + 120) + (120 * 84 + 84) + HEAD;

    @TempDir
    static Path dir;
    static Path folder;
    static Path weights;

    @BeforeAll
    static void syntheticTaskAndBase() throws IOException {
        folder = dir.resolve("catdog");
        Random random = new Random(7);
        for (String split : List.of("train", "val")) {
            int n = split.equals("train") ? 8 : 4;
            for (int k = 0; k < n; k++) {
                // cats reddish, dogs bluish, plus noise: learnable, but not trivially constant
                png(folder.resolve(split).resolve("cat").resolve(k + ".png"), random, 200, 60);
                png(folder.resolve(split).resolve("dog").resolve(k + ".png"), random, 60, 200);
            }
        }
        Torch.manualSeed(123);
        weights = dir.resolve("base.safetensors");
        Checkpoints.saveStateDict(new CifarNet(), weights);
    }

    private static void png(Path file, Random random, int red, int blue) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                int r = clamp(red + random.nextInt(81) - 40), g = random.nextInt(256), b = clamp(blue + random.nextInt(81) - 40);
                img.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        assertThat(ImageIO.write(img, "png", file.toFile())).isTrue();
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    private static Settings settings(int epochs) {
        Settings s = new Settings();
        s.epochs = epochs;
        s.perClass = 0;
        s.valPerClass = 0;
        s.workers = 0;
        s.out = dir.resolve("out");
        return s;
    }

    private static Map<String, Tensor> snapshot(CifarNet net) {
        Map<String, Tensor> copy = new LinkedHashMap<>();
        net.namedParameters().forEach((k, v) -> copy.put(k, v.detach().clone()));
        return copy;
    }

    private static ModeResult train(Mode mode, CifarNet net, Settings s, PrintStream out) throws IOException {
        ImageFolder train = new ImageFolder(folder.resolve("train"), new ToTensor());
        ImageFolder val = new ImageFolder(folder.resolve("val"), new ToTensor());
        SGD sgd = new SGD(TransferLearning.trainableParameters(mode, net), SGD.defaults().lr(s.lr).momentum(s.momentum));
        StepLR scheduler = new StepLR(sgd, s.stepSize, s.gamma);
        return TransferLearning.trainModel(mode, net, sgd, scheduler, train, val, s, out);
    }

    private static PrintStream sink() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }

    @Test
    void featureExtractorTrainsOnlyTheNewLastLayer() throws IOException {
        CifarNet net = TransferLearning.build(Mode.FEATURE_EXTRACTOR, weights, 2, 0);
        Map<String, Tensor> before = snapshot(net);
        Map<String, Tensor> base = Safetensors.load(weights);
        net.namedParameters().forEach((name, p) -> assertThat(p.requiresGrad()).as(name).isEqualTo(name.startsWith("fc3.")));
        assertThat(net.fc3().weight().shape()).containsExactly(2, 84);
        assertThat(TransferLearning.countTrainable(net)).isEqualTo(HEAD);

        train(Mode.FEATURE_EXTRACTOR, net, settings(2), sink());

        net.namedParameters().forEach((name, p) -> {
            if (name.startsWith("fc3.")) {
                assertThat(p.equal(before.get(name))).as(name + " should have learnt").isFalse();
            } else {
                assertThat(p.equal(before.get(name))).as(name + " is frozen").isTrue();
                assertThat(p.equal(base.get(name))).as(name + " keeps the base weights").isTrue();
                assertThat(p.grad()).as(name + " gets no gradient").isNull();
            }
        });
    }

    @Test
    void finetuningChangesEveryLayer() throws IOException {
        CifarNet net = TransferLearning.build(Mode.FINETUNE, weights, 2, 0);
        Map<String, Tensor> before = snapshot(net);
        Map<String, Tensor> base = Safetensors.load(weights);
        for (String name : List.of("conv1.weight", "conv2.bias", "fc1.weight", "fc2.weight")) {
            assertThat(before.get(name).equal(base.get(name))).as(name + " starts from the base weights").isTrue();
        }
        assertThat(TransferLearning.countTrainable(net)).isEqualTo(WHOLE);

        train(Mode.FINETUNE, net, settings(2), sink());

        assertThat(net.namedParameters()).hasSize(10);
        net.namedParameters().forEach((name, p) -> assertThat(p.equal(before.get(name))).as(name + " should have learnt").isFalse());
    }

    @Test
    void featureExtractorAndFinetuneStartFromTheSameHead() throws IOException {
        CifarNet a = TransferLearning.build(Mode.FEATURE_EXTRACTOR, weights, 2, 5);
        CifarNet b = TransferLearning.build(Mode.FINETUNE, weights, 2, 5);
        assertThat(a.fc3().weight().equal(b.fc3().weight())).isTrue();
        assertThat(a.fc3().bias().equal(b.fc3().bias())).isTrue();
    }

    @Test
    void stepLrDecaysTenfoldEverySevenEpochs() throws IOException {
        Settings s = settings(9);
        assertThat(s.lr).isEqualTo(0.001);
        assertThat(s.stepSize).isEqualTo(7);
        assertThat(s.gamma).isEqualTo(0.1);
        ModeResult r = train(Mode.FEATURE_EXTRACTOR, TransferLearning.build(Mode.FEATURE_EXTRACTOR, weights, 2, 0), s, sink());
        List<Double> lrs = r.epochs().stream().map(TransferLearning.EpochStats::lr).toList();
        assertThat(lrs).hasSize(9);
        for (int e = 0; e < 9; e++) {
            assertThat(lrs.get(e)).as("epoch " + e).isCloseTo(e < 7 ? 1e-3 : 1e-4, within(1e-12));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        train(Mode.SCRATCH, TransferLearning.build(Mode.SCRATCH, weights, 2, 0), s,
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        List<String> printed = bytes.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("train Loss")).toList();
        assertThat(printed).hasSize(9);
        assertThat(printed.get(6)).endsWith("(lr 0.001)");
        assertThat(printed.get(7)).endsWith("(lr 0.0001)");
    }

    @Test
    void compareRunsAllThreeWaysAndPrintsTheNotesLines() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Settings s = settings(2);
        List<ModeResult> results = TransferLearning.compare(folder, weights, s, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String text = bytes.toString(StandardCharsets.UTF_8);

        assertThat(results).extracting(ModeResult::mode).containsExactly(Mode.FEATURE_EXTRACTOR, Mode.FINETUNE, Mode.SCRATCH);
        assertThat(results).extracting(ModeResult::trainableParams).containsExactly(HEAD, WHOLE, WHOLE);
        for (ModeResult r : results) {
            assertThat(r.epochs()).hasSize(2);
            double best = r.epochs().stream().mapToDouble(TransferLearning.EpochStats::valAcc).max().orElseThrow();
            assertThat(r.bestValAcc()).isEqualTo(best);
            // 4 + 4 validation images: accuracies are multiples of 1/8
            assertThat(r.bestValAcc() * 8).isCloseTo(Math.rint(r.bestValAcc() * 8), within(1e-9));
        }
        assertThat(text).contains("classes [cat, dog]: 16 training and 8 validation images");
        for (Mode m : Mode.values()) {
            assertThat(text).contains("== " + m.title + " ==");
        }
        List<String> lines = text.lines().toList();
        assertThat(lines.stream().filter(l -> l.equals("Epoch 0/1"))).hasSize(3);
        assertThat(lines.stream().filter(l -> l.equals("Epoch 1/1"))).hasSize(3);
        assertThat(lines.stream().filter(l -> l.equals("----------"))).hasSize(6);
        assertThat(lines.stream().filter(l -> l.matches("train Loss: \\d+\\.\\d{4} Acc: [01]\\.\\d{4} {2}\\(lr 0\\.001\\)"))).hasSize(6);
        assertThat(lines.stream().filter(l -> l.matches("val Loss: \\d+\\.\\d{4} Acc: [01]\\.\\d{4}"))).hasSize(6);
        assertThat(lines.stream().filter(l -> l.matches("Training complete in \\d+m \\d+s"))).hasSize(3);
        assertThat(lines.stream().filter(l -> l.matches("Best val Acc: [01]\\.\\d{6}"))).hasSize(3);
        int header = lines.indexOf(lines.stream().filter(l -> l.startsWith("mode ")).findFirst().orElseThrow());
        assertThat(lines.get(header)).contains("best val acc", "trainable params", "time");
        assertThat(lines.get(header + 1)).startsWith("fixed feature extractor").contains(" " + HEAD + " ");
        assertThat(lines.get(header + 2)).startsWith("finetune all layers").contains(" " + WHOLE + " ");
        assertThat(lines.get(header + 3)).startsWith("from scratch").contains(" " + WHOLE + " ");
    }

    @Test
    void perClassKeepsTheFirstImagesOfEachClass() throws IOException {
        ImageFolder train = new ImageFolder(folder.resolve("train"), null);
        Dataset<Sample> three = TransferLearning.firstPerClass(train, 3);
        List<Integer> labels = new ArrayList<>();
        for (int i = 0; i < three.size(); i++) {
            labels.add(three.get(i).label());
        }
        assertThat(labels).containsExactly(0, 0, 0, 1, 1, 1);
        assertThat(three.get(3).image().equal(train.get(8).image())).isTrue();
    }

    @Test
    void catDogFolderHoldsCifarsCatsAndDogsPixelForPixel() throws IOException {
        Path cifar = dir.resolve("cifar-synthetic");
        // batch k holds ids 10(k-1) .. 10(k-1)+9 with label id % 10 (cat = 3, dog = 5); the test batch ids 100 .. 119
        CifarFiles.write(cifar, 10, 20);
        Path target = dir.resolve("written").resolve("catdog");
        TransferLearning.writeCatDogFolder(cifar, target);

        try (Stream<Path> top = Files.list(target.getParent())) {
            assertThat(top.map(p -> p.getFileName().toString()).toList()).as("no temporary tree left behind")
                    .containsExactly("catdog");
        }
        assertThat(names(target.resolve("train/cat"))).containsExactly("00003.png", "00013.png", "00023.png", "00033.png",
                "00043.png");
        assertThat(names(target.resolve("train/dog"))).containsExactly("00005.png", "00015.png", "00025.png", "00035.png",
                "00045.png");
        assertThat(names(target.resolve("val/cat"))).containsExactly("00003.png", "00013.png");
        assertThat(names(target.resolve("val/dog"))).containsExactly("00005.png", "00015.png");
        assertThat(names(target.resolve("train"))).containsExactly("cat", "dog");

        BufferedImage img = ImageIO.read(target.resolve("val/dog/00015.png").toFile());
        int id = 115;
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                int rgb = img.getRGB(x, y);
                assertThat(new int[] {(rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF}).as("(%d, %d)", x, y).containsExactly(
                        CifarFiles.pixel(id, 0, y, x), CifarFiles.pixel(id, 1, y, x), CifarFiles.pixel(id, 2, y, x));
            }
        }

        // An existing tree is taken as it is, not rewritten.
        Files.delete(target.resolve("val/dog/00015.png"));
        TransferLearning.writeCatDogFolder(cifar, target);
        assertThat(names(target.resolve("val/dog"))).containsExactly("00005.png");
    }

    private static List<String> names(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void baseEpochsTrainABaseNetworkOnceWhenTheWeightsAreMissing() throws IOException {
        Path cifar = dir.resolve("cifar-for-base");
        CifarFiles.write(cifar, 8, 8);
        Settings s = settings(1);
        s.data = cifar;
        s.weights = dir.resolve("missing.safetensors");
        s.baseEpochs = 1;
        s.out = dir.resolve("out-base");
        Path trained = TransferLearning.baseWeights(s, sink());
        assertThat(trained).isEqualTo(s.out.resolve("base").resolve("cifar_net.safetensors")).isRegularFile();
        CifarNet net = new CifarNet();
        assertThat(Checkpoints.loadStateDict(net, trained, true).missingKeys()).isEmpty();

        var written = Files.getLastModifiedTime(trained);
        s.baseEpochs = 0;
        assertThat(TransferLearning.baseWeights(s, sink())).isEqualTo(trained);
        assertThat(Files.getLastModifiedTime(trained)).isEqualTo(written);
    }

    @Test
    void missingWeightsSayHowToGetThem() {
        Settings s = settings(1);
        s.weights = dir.resolve("nowhere.safetensors");
        assertThatThrownBy(() -> TransferLearning.baseWeights(s, sink())).isInstanceOf(FileNotFoundException.class)
                .hasMessageContaining("TrainCifar").hasMessageContaining("--base-epochs");
    }
}
