package dev.steptorch.vision.lessons;

import dev.steptorch.cli.Cli;
import dev.steptorch.data.Batch;
import dev.steptorch.data.DataLoader;
import dev.steptorch.data.Sample;
import dev.steptorch.nn.Checkpoints;
import dev.steptorch.nn.CrossEntropyLoss;
import dev.steptorch.optim.SGD;
import dev.steptorch.serialization.AtomicWrite;
import dev.steptorch.tensor.Device;
import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import dev.steptorch.vision.CIFAR10;
import dev.steptorch.vision.CifarNet;
import dev.steptorch.vision.VisionUtils;
import dev.steptorch.vision.train.Checkpoint;
import dev.steptorch.vision.train.Evaluation;
import dev.steptorch.vision.train.LossCurve;
import dev.steptorch.vision.train.Trainer;
import dev.steptorch.vision.transforms.Compose;
import dev.steptorch.vision.transforms.Normalize;
import dev.steptorch.vision.transforms.ToTensor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Training a classifier: the blitz's CNN learns CIFAR-10 (2 epochs, batch 4, SGD with momentum).
 *
 * <p>The course's program, step by step: load and normalise CIFAR-10, look at a few training
 * images, define the network and print it with the device it runs on, the loss (cross-entropy)
 * and the optimizer (SGD, lr 0.001, momentum 0.9), train while printing the running loss every
 * 2000 mini-batches, then test: the four-image "GroundTruth / Predicted" check, the overall
 * accuracy, the accuracy per class. Beyond the course
 * it writes pictures (a grid of images and the loss curve), a checkpoint after every epoch
 * ({@code --resume} continues exactly where a run stopped) and a confusion matrix.
 *
 * <pre>
 * ./lesson TrainCifar --data DIR       CIFAR-10's binary files in DIR (or DIR/cifar-10-batches-bin)
 * ./lesson TrainCifar --download       fetch them into ./data first
 * ./lesson TrainCifar --help           every option (device, epochs, batch size, lr, momentum, workers,
 *                                      seed, output folder, resume, limit) with its default
 * </pre>
 */
public final class TrainCifar {
    private TrainCifar() {
    }

    /**
     * The course's {@code classes = ('plane', 'car', ...)}: shorter than the dataset's own names
     * ({@code airplane, automobile}) so that every one fits the printout's {@code '%5s'} column.
     */
    public static final List<String> CLASSES = List.of("plane", "car", "bird", "cat", "deer", "dog", "frog", "horse",
            "ship", "truck");

    /** The run's settings, with the course's values as defaults; also the lesson's command line. */
    @Command(name = "TrainCifar", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 100,
            description = {"Training a classifier: the blitz's CNN learns CIFAR-10 (2 epochs, batch 4, SGD with momentum),",
                    "then is tested: overall and per-class accuracy, a confusion matrix (text, CSV, PNG), the loss curve.",
                    "A checkpoint is written after every epoch; --resume continues where a run stopped."},
            footerHeading = "%nExamples:%n",
            footer = {"  ./lesson TrainCifar --download                      fetch CIFAR-10 into ./data, then train",
                    "  ./lesson TrainCifar --data ~/cifar10 --epochs 4     CIFAR-10's binary files already there",
                    "  ./lesson TrainCifar --data ~/cifar10 --limit 2000 --epochs 1 --device cpu   a quick look"})
    public static final class Settings implements Cli.Validated {
        @Option(names = "--data", paramLabel = "DIR", description = "folder with CIFAR-10's binary files, or with "
                + "cifar-10-batches-bin/ in it (default: ${DEFAULT-VALUE})")
        public Path data = Path.of("data");
        @Option(names = "--download", description = "download CIFAR-10 into --data first if it is not there")
        public boolean download;
        /** The course's {@code torch.device("cuda:0" if torch.cuda.is_available() else "cpu")}. */
        @Option(names = "--device", paramLabel = "cpu|gpu", description = "where to train (default: the GPU when there is one)")
        public Device device; // chosen in validate(), so that --help does not wait for OpenCL to start
        @Option(names = "--epochs", paramLabel = "N", description = "passes over the training set (default: ${DEFAULT-VALUE})")
        public int epochs = 2;
        @Option(names = "--batch-size", paramLabel = "N", description = "images per mini-batch (default: ${DEFAULT-VALUE})")
        public int batchSize = 4;
        @Option(names = "--workers", paramLabel = "N", description = "DataLoader worker threads; 0 loads in the training "
                + "thread (default: ${DEFAULT-VALUE})")
        public int workers = 2;
        @Option(names = "--lr", paramLabel = "X", description = "SGD's learning rate (default: ${DEFAULT-VALUE})")
        public double lr = 0.001;
        @Option(names = "--momentum", paramLabel = "X", description = "SGD's momentum (default: ${DEFAULT-VALUE})")
        public double momentum = 0.9;
        @Option(names = "--out", paramLabel = "DIR", description = "where pictures, checkpoints and the confusion matrix go "
                + "(default: ${DEFAULT-VALUE})")
        public Path out = Path.of("runs", "cifar10");
        @Option(names = "--resume", description = "continue from DIR/checkpoint.safetensors of an earlier run")
        public boolean resume;
        @Option(names = "--seed", paramLabel = "N", description = "seed of the weights, the shuffling and the workers "
                + "(default: ${DEFAULT-VALUE})")
        public long seed = 0;
        @Option(names = "--limit", paramLabel = "N", description = "train on the first N images only, for a quick look; "
                + "0 means all (default: ${DEFAULT-VALUE})")
        public int limit = 0;
        @Option(names = "--print-every", paramLabel = "N", description = "print the running loss every N mini-batches "
                + "(default: ${DEFAULT-VALUE})")
        public int printEvery = 2000;

        /**
         * Parses a command line, as {@code main} does but throwing IllegalArgumentException with
         * the one-line message instead of exiting; for tests and for lessons that build on this one.
         */
        static Settings parse(String[] args) {
            return Cli.parseOrThrow(new Settings(), args);
        }

        @Override
        public void validate() {
            positive("--epochs", epochs);
            positive("--batch-size", batchSize);
            positive("--print-every", printEvery);
            if (workers < 0) {
                throw new IllegalArgumentException("--workers must be 0 or more, not " + workers);
            }
            if (limit < 0) {
                throw new IllegalArgumentException("--limit must be a positive number of images (or 0 for all), not " + limit);
            }
            if (!(lr > 0) || Double.isInfinite(lr)) {
                throw new IllegalArgumentException("--lr must be a positive number, not " + lr);
            }
            if (!(momentum >= 0) || Double.isInfinite(momentum)) {
                throw new IllegalArgumentException("--momentum must be 0 or more, not " + momentum);
            }
            if (device == null) {
                device = Device.isGpuAvailable() ? Device.GPU : Device.CPU;
            }
        }

        static void positive(String option, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(option + " must be 1 or more, not " + value);
            }
        }
    }

    /** What a run produced, for tests and the benchmark. */
    public record Result(Evaluation evaluation, List<Double> losses, double trainSeconds, long trainImages) {
    }

    public static void main(String[] args) {
        Settings s = Cli.parse(new Settings(), args);
        // Progress (bars, per-epoch times) goes to stderr, so stdout stays the course's printout.
        Cli.run("TrainCifar", () -> run(s, System.out, System.err));
    }

    public static Result run(Settings s, PrintStream out, PrintStream progress) throws IOException {
        if (s.device == null) {
            s.device = Device.isGpuAvailable() ? Device.GPU : Device.CPU;
        }
        requireDevice(s.device);
        Torch.manualSeed(s.seed);
        // ToTensor gives [0, 1]; Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5)) maps that to [-1, 1].
        Compose transform = new Compose(new ToTensor(),
                new Normalize(new double[] {0.5, 0.5, 0.5}, new double[] {0.5, 0.5, 0.5}));
        CIFAR10 trainset = new CIFAR10(s.data, true, transform, s.download);
        // The course downloads (or finds) both splits: the second says "Files already downloaded and verified".
        CIFAR10 testset = new CIFAR10(s.data, false, transform, s.download);
        List<String> classes = CLASSES;
        var train = s.limit > 0 ? new Limited(trainset, s.limit) : trainset;
        Files.createDirectories(s.out);
        // A run killed while writing leaves temporary files behind; they are of no use to anyone.
        AtomicWrite.removeOrphans(s.out);

        // Show some training images: a grid of the first batch, and their labels.
        DataLoader<Sample, Batch> peek = loader(train, s, true, s.seed);
        Batch first = firstBatch(peek);
        VisionUtils.saveImage(unnormalize(VisionUtils.makeGrid(first.images(), 8)), s.out.resolve("train_batch.png"));
        out.println(labels(first.labels(), classes));

        CifarNet net = new CifarNet();
        net.to(s.device);
        // The course's print(device) and print(net), so a run says where it trains and what.
        out.println(s.device);
        out.println(net);
        // torchinfo's summary(net, input_size=(4, 3, 32, 32)): each layer's output shape and parameters.
        out.print(net.summary(s.batchSize, 3, 32, 32));
        CrossEntropyLoss criterion = new CrossEntropyLoss();
        SGD optimizer = new SGD(net.parameters(), SGD.defaults().lr(s.lr).momentum(s.momentum));

        Path checkpoint = s.out.resolve("checkpoint.safetensors");
        List<Double> losses = new ArrayList<>();
        List<Double> accuracy = new ArrayList<>();
        int startEpoch = 0;
        if (s.resume && Files.exists(checkpoint)) {
            Checkpoint.Progress p = Checkpoint.load(checkpoint, net, optimizer);
            startEpoch = p.epochsDone();
            losses.addAll(p.losses());
            accuracy.addAll(p.testAccuracy());
            out.println("resumed from " + checkpoint + " after epoch " + startEpoch);
            if (startEpoch >= s.epochs) {
                out.println("that run already finished its " + startEpoch + " epoch" + (startEpoch == 1 ? "" : "s")
                        + ": nothing left to train (ask for more with --epochs N); testing the saved network");
            }
        } else if (s.resume) {
            out.println("no checkpoint at " + checkpoint + " to resume from; starting from scratch");
        }

        Trainer trainer = new Trainer(net, criterion, optimizer, s.device, s.printEvery);
        long start = System.nanoTime();
        long images = 0;
        int batchesPerEpoch = 0;
        DataLoader<Sample, Batch> testLoader = loader(testset, s, false, s.seed);
        Evaluation evaluation = null;
        for (int epoch = startEpoch; epoch < s.epochs; epoch++) {
            // One loader per epoch, seeded by the epoch, so a resumed run sees the same batches.
            DataLoader<Sample, Batch> loader = loader(train, s, true, s.seed * 1000 + epoch);
            batchesPerEpoch = loader.size();
            losses.addAll(trainer.epoch(epoch + 1, loader, loader.size(), out, progress));
            images += train.size();
            // The test accuracy after every epoch, for the loss curve; the last one is the final test's.
            evaluation = Evaluation.run(net, testLoader, classes, s.device);
            accuracy.add(evaluation.accuracy());
            if (progress != null) {
                progress.printf(Locale.ROOT, "epoch %d: test accuracy %.1f %%%n", epoch + 1, 100 * evaluation.accuracy());
            }
            Checkpoint.save(checkpoint, net, optimizer, new Checkpoint.Progress(epoch + 1, losses, accuracy));
            LossCurve.write(losses, Math.max(1, s.printEvery / 10), batchesPerEpoch, accuracy, s.out.resolve("loss.png"));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        out.println("Finished Training");
        if (images > 0 && progress != null) {
            progress.printf("trained on %d images in %.1f s: %.0f images/s%n", images, seconds, images / seconds);
        }
        Checkpoints.saveStateDict(net, s.out.resolve("cifar_net.safetensors"));

        // Test: four images first, then the whole test set.
        Batch firstTest = firstBatch(testLoader);
        VisionUtils.saveImage(unnormalize(VisionUtils.makeGrid(firstTest.images(), 8)), s.out.resolve("test_batch.png"));
        // print('GroundTruth: ', ...) puts print's own separator after the label's space.
        out.println("GroundTruth:  " + labels(firstTest.labels(), classes));
        long[] predicted = Evaluation.predict(net, firstTest.images().to(s.device));
        out.println("Predicted:  " + labels(Torch.tensor(predicted), classes));

        if (evaluation == null) {
            evaluation = Evaluation.run(net, testLoader, classes, s.device);
        }
        out.println(evaluation.summary());
        out.print(evaluation.perClass());
        out.println("Confusion matrix (rows: true class, columns: predicted):");
        out.print(evaluation.confusionTable());
        evaluation.writeConfusion(s.out);
        out.println("pictures and checkpoints are in " + s.out);
        return new Result(evaluation, losses, seconds, images);
    }

    /** {@code --device gpu} on a machine without OpenCL: say why, instead of failing in the first kernel. */
    static void requireDevice(Device device) {
        if (device == Device.GPU && !Device.isGpuAvailable()) {
            try {
                Torch.zeros(Options.device(Device.GPU), 1); // fails, saying why and how to get a device
            } catch (IllegalStateException e) {
                throw new IllegalStateException("--device gpu: " + e.getMessage() + " Or use --device cpu.", e);
            }
        }
    }

    static DataLoader<Sample, Batch> loader(dev.steptorch.data.Dataset<Sample> data, Settings s, boolean shuffle, long seed) {
        return DataLoader.builder(data).batchSize(s.batchSize).shuffle(shuffle).numWorkers(s.workers).seed(seed).build();
    }

    private static Batch firstBatch(DataLoader<Sample, Batch> loader) {
        try (DataLoader<Sample, Batch>.Epoch it = loader.iterator()) {
            return it.next();
        }
    }

    /** The normalisation undone, {@code img / 2 + 0.5}, so the picture shows the original colours. */
    private static Tensor unnormalize(Tensor img) {
        return img.div(2.0).add(0.5);
    }

    /** The blitz's {@code ' '.join('%5s' % classes[labels[j]] ...)}: names right-aligned in five columns. */
    static String labels(Tensor labels, List<String> classes) {
        List<String> names = new ArrayList<>();
        for (long l : labels.toLongArray()) {
            names.add(String.format("%5s", classes.get((int) l)));
        }
        return String.join(" ", names);
    }

    /** The first {@code n} samples of a dataset, for quick runs. */
    record Limited(dev.steptorch.data.Dataset<Sample> data, int n) implements dev.steptorch.data.Dataset<Sample> {
        @Override
        public int size() {
            return Math.min(n, data.size());
        }

        @Override
        public Sample get(int index) {
            return data.get(index);
        }

        @Override
        public Sample get(int index, java.util.Random random) {
            return data.get(index, random);
        }
    }
}
