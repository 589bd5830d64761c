package dev.steptorch.vision.lessons;

import dev.steptorch.autograd.GradMode;
import dev.steptorch.cli.Cli;
import dev.steptorch.data.Batch;
import dev.steptorch.data.DataLoader;
import dev.steptorch.data.Dataset;
import dev.steptorch.data.Sample;
import dev.steptorch.nn.Checkpoints;
import dev.steptorch.nn.CrossEntropyLoss;
import dev.steptorch.nn.Linear;
import dev.steptorch.nn.Module;
import dev.steptorch.optim.SGD;
import dev.steptorch.optim.StepLR;
import dev.steptorch.serialization.AtomicWrite;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import dev.steptorch.vision.CIFAR10;
import dev.steptorch.vision.CifarNet;
import dev.steptorch.vision.ImageFolder;
import dev.steptorch.vision.train.ProgressBar;
import dev.steptorch.vision.transforms.Compose;
import dev.steptorch.vision.transforms.Image;
import dev.steptorch.vision.transforms.Normalize;
import dev.steptorch.vision.transforms.RandomHorizontalFlip;
import dev.steptorch.vision.transforms.ToTensor;
import java.awt.image.BufferedImage;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Transfer learning: the tutorial's ResNet-18 on ants and bees, or a CIFAR-10 network reused for cat vs dog.
 *
 * <p>When {@code --data} holds {@code train/} and {@code val/} (the tutorial's hymenoptera_data),
 * this runs the course's tutorial itself: see {@link TransferTutorial}. Otherwise {@code --data}
 * is CIFAR-10 (binary or torchvision's pickled folder), and the lesson plays the same game at CIFAR
 * scale, with nothing to download: the "pretrained"
 * network is the CifarNet that {@code TrainCifar} saved, and the new task is a two-class
 * {@code ImageFolder} ({@code catdog/train/cat/00003.png ...}) written from CIFAR-10's cat and dog
 * pictures. Then, as in the notes, with SGD (lr 0.001, momentum 0.9) and StepLR (step 7, gamma 0.1):
 * <ul>
 * <li>ConvNet as fixed feature extractor: freeze every parameter, replace the last layer (fc3) by a
 *     fresh {@code Linear(84, 2)}, and optimise only that layer;</li>
 * <li>finetuning: the same start, but every layer trains;</li>
 * <li>and for contrast the same network from random weights.</li>
 * </ul>
 * Caveat: the base network has already seen these very training images (with their 10-class
 * labels), so transfer here is easier than from ImageNet to ants and bees; the comparison between
 * the three ways still shows what freezing costs and saves.
 *
 * <pre>
 * ./lesson TransferLearning --data DIR   CIFAR-10's binary files (as for TrainCifar)
 * ./lesson TransferLearning --help       every option with its default
 * </pre>
 */
public final class TransferLearning {
    private TransferLearning() {
    }

    /** The run's settings; the optimiser and schedule are the notes'. Also the lesson's command line. */
    @Command(name = "TransferLearning", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 100,
            description = {"Transfer learning: a CIFAR-10 network reused for cat vs dog, as a fixed feature extractor,",
                    "finetuned, and from scratch. With --data holding train/ and val/ (the tutorial's ants and bees)",
                    "it runs the course's tutorial itself on ResNet-18 instead: TransferLearning --data DIR --help."},
            footerHeading = "%nExamples:%n",
            footer = {"  ./lesson TransferLearning --data ~/cifar10            after ./lesson TrainCifar --data ~/cifar10",
                    "  ./lesson TransferLearning --data ~/cifar10 --base-epochs 2 --epochs 3   trains the base here",
                    "  ./lesson TransferLearning --data hymenoptera_data   the tutorial (train/ and val/)"})
    public static final class Settings implements Cli.Validated {
        @Option(names = "--data", paramLabel = "DIR", description = "CIFAR-10's binary files, as for TrainCifar (default: ${DEFAULT-VALUE})")
        public Path data = Path.of("data");
        @Option(names = "--weights", paramLabel = "FILE", description = "the CIFAR-10 network TrainCifar saved (default: ${DEFAULT-VALUE})")
        public Path weights = Path.of("runs", "cifar10", "cifar_net.safetensors");
        @Option(names = "--base-epochs", paramLabel = "N", description = "if --weights is missing, train that base here for N "
                + "epochs; 0: refuse instead (default: ${DEFAULT-VALUE})")
        public int baseEpochs = 0;
        @Option(names = "--out", paramLabel = "DIR", description = "where the cat/dog folder, pictures and models go "
                + "(default: ${DEFAULT-VALUE})")
        public Path out = Path.of("runs", "transfer");
        @Option(names = "--epochs", paramLabel = "N", description = "epochs of each of the three trainings (default: ${DEFAULT-VALUE})")
        public int epochs = 10;
        @Option(names = "--per-class", paramLabel = "N", description = "training images per class (default: ${DEFAULT-VALUE})")
        public int perClass = 500;
        @Option(names = "--val-per-class", paramLabel = "N", description = "validation images per class (default: ${DEFAULT-VALUE})")
        public int valPerClass = 500;
        @Option(names = "--batch-size", paramLabel = "N", description = "images per mini-batch (default: ${DEFAULT-VALUE})")
        public int batchSize = 4;
        @Option(names = "--workers", paramLabel = "N", description = "DataLoader worker threads (default: ${DEFAULT-VALUE})")
        public int workers = 2;
        @Option(names = "--seed", paramLabel = "N", description = "seed of everything random (default: ${DEFAULT-VALUE})")
        public long seed = 0;
        @Option(names = "--lr", paramLabel = "X", description = "SGD's learning rate (default: ${DEFAULT-VALUE})")
        public double lr = 0.001;
        @Option(names = "--momentum", paramLabel = "X", description = "SGD's momentum (default: ${DEFAULT-VALUE})")
        public double momentum = 0.9;
        @Option(names = "--step-size", paramLabel = "N", description = "StepLR: epochs between decays (default: ${DEFAULT-VALUE})")
        public int stepSize = 7;
        @Option(names = "--gamma", paramLabel = "X", description = "StepLR: the decay factor (default: ${DEFAULT-VALUE})")
        public double gamma = 0.1;

        /**
         * Parses a command line as {@code main} does, but throws IllegalArgumentException with the
         * one-line message instead of exiting; for tests.
         */
        static Settings parse(String[] args) {
            return Cli.parseOrThrow(new Settings(), args);
        }

        @Override
        public void validate() {
            TrainCifar.Settings.positive("--epochs", epochs);
            TrainCifar.Settings.positive("--per-class", perClass);
            TrainCifar.Settings.positive("--val-per-class", valPerClass);
            TrainCifar.Settings.positive("--batch-size", batchSize);
            TrainCifar.Settings.positive("--step-size", stepSize);
            if (baseEpochs < 0 || workers < 0) {
                throw new IllegalArgumentException("--base-epochs and --workers must be 0 or more, not " + baseEpochs + " and " + workers);
            }
            if (!(lr > 0) || !(momentum >= 0) || !(gamma > 0)) {
                throw new IllegalArgumentException("--lr and --gamma must be positive and --momentum 0 or more, not " + lr + ", "
                        + gamma + " and " + momentum);
            }
        }
    }

    /** The three ways of training compared. */
    public enum Mode {
        FEATURE_EXTRACTOR("fixed feature extractor"),
        FINETUNE("finetune all layers"),
        SCRATCH("from scratch");

        public final String title;

        Mode(String title) {
            this.title = title;
        }
    }

    /** One epoch's numbers; {@code lr} is the one its training phase used. */
    public record EpochStats(int epoch, double lr, double trainLoss, double trainAcc, double valLoss, double valAcc) {
    }

    /** One way's outcome; {@code model} holds the weights of its best validation epoch, as in the notes. */
    public record ModeResult(Mode mode, CifarNet model, List<EpochStats> epochs, double bestValAcc, long trainableParams,
                             double seconds) {
    }

    public static void main(String[] args) {
        if (tutorialFolder(args)) {
            TransferTutorial.Settings t = Cli.parse(new TransferTutorial.Settings(), args);
            Cli.run("TransferLearning", () -> TransferTutorial.run(t, System.out));
            return;
        }
        Settings s = Cli.parse(new Settings(), args);
        Cli.run("TransferLearning", () -> run(s, System.out));
    }

    /** Whether {@code --data} names an ImageFolder pair {@code train/}, {@code val/}: the tutorial's own layout. */
    static boolean tutorialFolder(String[] args) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--data")) {
                Path d = Path.of(args[i + 1]);
                return Files.isDirectory(d.resolve("train")) && Files.isDirectory(d.resolve("val"));
            }
        }
        return false;
    }

    /** The whole lesson: base weights, the cat/dog folder, the three trainings and the table. */
    public static List<ModeResult> run(Settings s, PrintStream out) throws IOException {
        Path weights = baseWeights(s, out);
        out.println("CIFAR-10 weights: " + weights);
        Path folder = s.out.resolve("catdog");
        if (!Files.isDirectory(folder)) {
            out.println("writing the cat/dog ImageFolder to " + folder + " ...");
        }
        writeCatDogFolder(s.data, folder);
        return compare(folder, weights, s, out);
    }

    /** The CIFAR-10 weights to start from: the given file, or a base network trained here when asked to. */
    public static Path baseWeights(Settings s, PrintStream out) throws IOException {
        if (Files.isRegularFile(s.weights)) {
            return s.weights;
        }
        TrainCifar.Settings base = new TrainCifar.Settings();
        base.out = s.out.resolve("base");
        Path trained = base.out.resolve("cifar_net.safetensors");
        if (Files.isRegularFile(trained)) {
            return trained;
        }
        if (s.baseEpochs <= 0) {
            throw new FileNotFoundException("no CIFAR-10 weights at " + s.weights + ". Run `./lesson TrainCifar --data DIR` first "
                    + "(it saves runs/cifar10/cifar_net.safetensors), point --weights at such a file, or add --base-epochs N "
                    + "to train a base network here first.");
        }
        base.data = s.data;
        base.epochs = s.baseEpochs;
        base.seed = s.seed;
        base.workers = s.workers;
        out.println("no weights at " + s.weights + "; training a base network on CIFAR-10 for " + s.baseEpochs + " epoch(s)");
        TrainCifar.run(base, out, null);
        return trained;
    }

    /** Trains and compares the three ways on the ImageFolder tree {@code folder/{train,val}/CLASS/*}. */
    public static List<ModeResult> compare(Path folder, Path weights, Settings s, PrintStream out) throws IOException {
        // The base network learnt on images normalised to [-1, 1]; its features only mean something on the same input.
        Normalize normalize = new Normalize(new double[] {0.5, 0.5, 0.5}, new double[] {0.5, 0.5, 0.5});
        ImageFolder trainFolder = new ImageFolder(folder.resolve("train"),
                new Compose(new RandomHorizontalFlip(), new ToTensor(), normalize));
        ImageFolder valFolder = new ImageFolder(folder.resolve("val"), new Compose(new ToTensor(), normalize));
        if (!trainFolder.classes().equals(valFolder.classes())) {
            throw new IOException("train and val hold different classes: " + trainFolder.classes() + " vs " + valFolder.classes());
        }
        Dataset<Sample> train = firstPerClass(trainFolder, s.perClass);
        Dataset<Sample> val = firstPerClass(valFolder, s.valPerClass);
        int classes = trainFolder.classes().size();
        out.printf("classes %s: %d training and %d validation images%n%n", trainFolder.classes(), train.size(), val.size());

        List<ModeResult> results = new ArrayList<>();
        for (Mode mode : Mode.values()) {
            out.println("== " + mode.title + " ==");
            CifarNet model = build(mode, weights, classes, s.seed);
            SGD optimizer = new SGD(trainableParameters(mode, model), SGD.defaults().lr(s.lr).momentum(s.momentum));
            StepLR scheduler = new StepLR(optimizer, s.stepSize, s.gamma);
            results.add(trainModel(mode, model, optimizer, scheduler, train, val, s, out));
            out.println();
        }
        out.print(table(results));
        return results;
    }

    /**
     * The network each way starts from. The new last layer is drawn after seeding, so the
     * feature extractor and the finetuned network start from the very same weights.
     */
    public static CifarNet build(Mode mode, Path weights, int classes, long seed) throws IOException {
        if (mode == Mode.SCRATCH) {
            Torch.manualSeed(seed);
            return new CifarNet(classes);
        }
        CifarNet net = new CifarNet();
        Checkpoints.loadStateDict(net, weights, true);
        if (mode == Mode.FEATURE_EXTRACTOR) {
            net.requiresGrad_(false);
        }
        int numFtrs = net.fc3().weight().size(1);
        Torch.manualSeed(seed);
        // A new module's parameters require grad, so in the frozen network only this layer learns.
        return net.withFc3(new Linear(numFtrs, classes));
    }

    /** What the optimiser sees: only the new layer for the feature extractor, everything otherwise. */
    public static List<Tensor> trainableParameters(Mode mode, CifarNet model) {
        return mode == Mode.FEATURE_EXTRACTOR ? model.fc3().parameters() : model.parameters();
    }

    /** The notes' {@code train_model}: a training and a validation phase per epoch, keeping the best weights. */
    public static ModeResult trainModel(Mode mode, CifarNet model, SGD optimizer, StepLR scheduler, Dataset<Sample> train,
                                        Dataset<Sample> val, Settings s, PrintStream out) {
        CrossEntropyLoss criterion = new CrossEntropyLoss();
        long start = System.nanoTime();
        List<EpochStats> stats = new ArrayList<>();
        Map<String, Tensor> best = copyOf(model.stateDict());
        double bestAcc = -1;
        for (int epoch = 0; epoch < s.epochs; epoch++) {
            out.printf("Epoch %d/%d%n%s%n", epoch, s.epochs - 1, "-".repeat(10));
            double lr = optimizer.paramGroups().get(0).lr();
            // Seeded by the epoch alone, so all three ways see the same batches and the same flips.
            DataLoader<Sample, Batch> trainLoader = DataLoader.builder(train).batchSize(s.batchSize).shuffle(true)
                    .numWorkers(s.workers).seed(s.seed * 1000 + epoch).build();
            double[] t = phase(model, criterion, optimizer, trainLoader, true, bar(out, "train " + epoch, trainLoader));
            out.printf("train Loss: %.4f Acc: %.4f  (lr %s)%n", t[0], t[1], plain(lr));
            // After the epoch's optimizer steps: PyTorch's order since 1.1 (the notes' older code stepped first).
            scheduler.step();
            // Evaluation does not depend on the batch size, so larger batches just make it faster.
            DataLoader<Sample, Batch> valLoader = DataLoader.builder(val).batchSize(Math.max(s.batchSize, 50))
                    .numWorkers(s.workers).build();
            double[] v = phase(model, criterion, null, valLoader, false, bar(out, "val   " + epoch, valLoader));
            out.printf("val Loss: %.4f Acc: %.4f%n%n", v[0], v[1]);
            stats.add(new EpochStats(epoch, lr, t[0], t[1], v[0], v[1]));
            if (v[1] > bestAcc) {
                bestAcc = v[1];
                best = copyOf(model.stateDict());
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf("Training complete in %.0fm %.0fs%n", Math.floor(seconds / 60), seconds % 60);
        out.printf("Best val Acc: %4f%n", Math.max(bestAcc, 0)); // the tutorial's {:4f}: width 4, six decimals
        model.loadStateDict(best, true);
        return new ModeResult(mode, model, stats, Math.max(bestAcc, 0), countTrainable(model), seconds);
    }

    /** One pass; returns {mean loss per image, accuracy}. Without an optimizer it only measures. */
    /** TrainCifar's progress bar (elapsed time, ETA, the phase's time) on stderr when the lesson prints to stdout; none in tests. */
    private static ProgressBar bar(PrintStream out, String label, DataLoader<Sample, Batch> loader) {
        return new ProgressBar(out == System.out ? System.err : null, label, loader.size());
    }

    private static double[] phase(Module model, CrossEntropyLoss criterion, SGD optimizer, DataLoader<Sample, Batch> loader,
                                  boolean training, ProgressBar bar) {
        model.train(training);
        double runningLoss = 0;
        long correct = 0;
        long seen = 0;
        int batches = 0;
        for (Batch batch : loader) {
            Tensor loss;
            Tensor outputs;
            if (training) {
                optimizer.zeroGrad();
                outputs = model.call(batch.images());
                loss = criterion.call(outputs, batch.labels());
                loss.backward();
                optimizer.step();
            } else {
                try (var ignored = GradMode.noGrad()) {
                    outputs = model.call(batch.images());
                    loss = criterion.call(outputs, batch.labels());
                }
            }
            long[] preds = outputs.argmax(1, false).toLongArray();
            long[] labels = batch.labels().toLongArray();
            for (int i = 0; i < labels.length; i++) {
                if (preds[i] == labels[i]) {
                    correct++;
                }
            }
            runningLoss += loss.item() * labels.length;
            seen += labels.length;
            bar.update(++batches, seen);
        }
        bar.finish(batches);
        return new double[] {seen == 0 ? 0 : runningLoss / seen, seen == 0 ? 0 : (double) correct / seen};
    }

    /** 0.001 and 0.0001 rather than Java's 1.0E-4: four significant digits, no exponent. */
    private static String plain(double x) {
        return new BigDecimal(x).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }

    /** {@code copy.deepcopy(model.state_dict())}: state_dict tensors share storage with the model, so clone them. */
    private static Map<String, Tensor> copyOf(Map<String, Tensor> state) {
        Map<String, Tensor> copy = new LinkedHashMap<>();
        state.forEach((k, v) -> copy.put(k, v.clone()));
        return copy;
    }

    /** Parameters that will receive gradients: what training can change. */
    public static long countTrainable(Module model) {
        return model.numParameters(true);
    }

    public static String table(List<ModeResult> results) {
        StringBuilder sb = new StringBuilder(String.format("%-24s %12s %16s %8s%n", "mode", "best val acc", "trainable params",
                "time"));
        for (ModeResult r : results) {
            sb.append(String.format("%-24s %12.4f %16d %7.1fs%n", r.mode().title, r.bestValAcc(), r.trainableParams(),
                    r.seconds()));
        }
        return sb.append("(times include the JVM's warm-up, which the first row pays most)\n").toString();
    }

    /** The first {@code perClass} images of each class (all when perClass <= 0), in the folder's order. */
    public static Dataset<Sample> firstPerClass(ImageFolder folder, int perClass) {
        if (perClass <= 0) {
            return folder;
        }
        int[] taken = new int[folder.classes().size()];
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < folder.size(); i++) {
            int label = folder.label(i);
            if (taken[label] < perClass) {
                taken[label]++;
                keep.add(i);
            }
        }
        return new Subset(folder, keep.stream().mapToInt(Integer::intValue).toArray());
    }

    /** {@code torch.utils.data.Subset}: the listed indices of a dataset. */
    record Subset(Dataset<Sample> data, int[] indices) implements Dataset<Sample> {
        @Override
        public int size() {
            return indices.length;
        }

        @Override
        public Sample get(int index) {
            return data.get(indices[checkIndex(index)]);
        }

        @Override
        public Sample get(int index, Random random) {
            return data.get(indices[checkIndex(index)], random);
        }
    }

    // =====================================================================================
    // The cat/dog ImageFolder
    // =====================================================================================

    public static final List<String> CAT_DOG = List.of("cat", "dog");

    /**
     * Writes {@code target/train/{cat,dog}/NNNNN.png} from CIFAR-10's training batches and
     * {@code target/val/...} from its test batch (NNNNN = the image's index in its split), unless
     * {@code target} exists. The tree is built beside {@code target} and renamed into place, so it
     * is there whole or not at all, and its presence alone says it is complete.
     */
    public static void writeCatDogFolder(Path cifarDir, Path target) throws IOException {
        if (Files.isDirectory(target)) {
            return;
        }
        CIFAR10 train = new CIFAR10(cifarDir, true, null);
        CIFAR10 test = new CIFAR10(cifarDir, false, null);
        // If another run finishes the same tree first, theirs is as good as ours.
        AtomicWrite.directory(target, tmp -> {
            writeSplit(train, tmp.resolve("train"));
            writeSplit(test, tmp.resolve("val"));
        });
    }

    private static void writeSplit(CIFAR10 split, Path dir) throws IOException {
        List<String> names = split.classes();
        for (String c : CAT_DOG) {
            if (!names.contains(c)) {
                throw new IOException("CIFAR-10's class list " + names + " has no '" + c + "'");
            }
            Files.createDirectories(dir.resolve(c));
        }
        int[] targets = split.targets();
        for (int i = 0; i < targets.length; i++) {
            String name = names.get(targets[i]);
            if (CAT_DOG.contains(name)) {
                writePng(split.image(i), dir.resolve(name).resolve(String.format("%05d.png", i)));
            }
        }
    }

    /** A pixel image (values 0..255) as an RGB PNG, losslessly. */
    public static void writePng(Image image, Path file) throws IOException {
        int h = image.height(), w = image.width(), plane = h * w;
        float[] d = image.data();
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int p = 0; p < plane; p++) {
            int rgb = ((int) d[p] << 16) | ((int) d[plane + p] << 8) | (int) d[2 * plane + p];
            img.setRGB(p % w, p / w, rgb);
        }
        if (!ImageIO.write(img, "png", file.toFile())) {
            throw new IOException("no PNG writer available");
        }
    }

}
