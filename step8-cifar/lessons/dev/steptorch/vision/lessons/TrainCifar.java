package dev.steptorch.vision.lessons;

import dev.steptorch.data.Batch;
import dev.steptorch.data.DataLoader;
import dev.steptorch.data.Sample;
import dev.steptorch.nn.Checkpoints;
import dev.steptorch.nn.CrossEntropyLoss;
import dev.steptorch.optim.SGD;
import dev.steptorch.tensor.Device;
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
 * options: --device cpu|gpu (default: the GPU when there is one)  --epochs 2  --batch-size 4  --workers 2
 *          --out runs/cifar10  --resume  --seed 0
 *          --limit N (train on the first N images only, for a quick look)
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

    /** The run's settings, with the course's values as defaults. */
    public static final class Settings {
        public Path data = Path.of("data");
        public boolean download;
        /** The course's {@code torch.device("cuda:0" if torch.cuda.is_available() else "cpu")}. */
        public Device device = Device.isGpuAvailable() ? Device.GPU : Device.CPU;
        public int epochs = 2;
        public int batchSize = 4;
        public int workers = 2;
        public double lr = 0.001;
        public double momentum = 0.9;
        public Path out = Path.of("runs", "cifar10");
        public boolean resume;
        public long seed = 0;
        public int limit = 0;
        public int printEvery = 2000;

        static Settings parse(String[] args) {
            Settings s = new Settings();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--data" -> s.data = Path.of(value(args, ++i, a));
                    case "--download" -> s.download = true;
                    case "--device" -> s.device = Device.valueOf(value(args, ++i, a).toUpperCase(Locale.ROOT));
                    case "--epochs" -> s.epochs = Integer.parseInt(value(args, ++i, a));
                    case "--batch-size" -> s.batchSize = Integer.parseInt(value(args, ++i, a));
                    case "--workers" -> s.workers = Integer.parseInt(value(args, ++i, a));
                    case "--lr" -> s.lr = Double.parseDouble(value(args, ++i, a));
                    case "--out" -> s.out = Path.of(value(args, ++i, a));
                    case "--resume" -> s.resume = true;
                    case "--seed" -> s.seed = Long.parseLong(value(args, ++i, a));
                    case "--limit" -> s.limit = Integer.parseInt(value(args, ++i, a));
                    case "--print-every" -> s.printEvery = Integer.parseInt(value(args, ++i, a));
                    default -> throw new IllegalArgumentException("unknown option " + a + " (see the lesson's class comment)");
                }
            }
            return s;
        }

        /** The value after option {@code args[i - 1]}; TransferLearning parses its options with it too. */
        static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }
    }

    /** What a run produced, for tests and the benchmark. */
    public record Result(Evaluation evaluation, List<Double> losses, double trainSeconds, long trainImages) {
    }

    public static void main(String[] args) throws IOException {
        Settings s;
        try {
            s = Settings.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        try {
            // The progress bar redraws one line, which only makes sense on a terminal.
            run(s, System.out, System.console() != null ? System.err : null);
        } catch (java.io.FileNotFoundException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
    }

    public static Result run(Settings s, PrintStream out, PrintStream progress) throws IOException {
        Torch.manualSeed(s.seed);
        // ToTensor gives [0, 1]; Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5)) maps that to [-1, 1].
        Compose transform = new Compose(new ToTensor(),
                new Normalize(new double[] {0.5, 0.5, 0.5}, new double[] {0.5, 0.5, 0.5}));
        CIFAR10 trainset = new CIFAR10(s.data, true, transform, s.download);
        CIFAR10 testset = new CIFAR10(s.data, false, transform, false);
        List<String> classes = CLASSES;
        var train = s.limit > 0 ? new Limited(trainset, s.limit) : trainset;
        Files.createDirectories(s.out);

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
        CrossEntropyLoss criterion = new CrossEntropyLoss();
        SGD optimizer = new SGD(net.parameters(), SGD.defaults().lr(s.lr).momentum(s.momentum));

        Path checkpoint = s.out.resolve("checkpoint.safetensors");
        List<Double> losses = new ArrayList<>();
        int startEpoch = 0;
        if (s.resume && Files.exists(checkpoint)) {
            Checkpoint.Progress p = Checkpoint.load(checkpoint, net, optimizer);
            startEpoch = p.epochsDone();
            losses.addAll(p.losses());
            out.println("resumed from " + checkpoint + " after epoch " + startEpoch);
        }

        Trainer trainer = new Trainer(net, criterion, optimizer, s.device, s.printEvery);
        long start = System.nanoTime();
        long images = 0;
        int batchesPerEpoch = 0;
        for (int epoch = startEpoch; epoch < s.epochs; epoch++) {
            // One loader per epoch, seeded by the epoch, so a resumed run sees the same batches.
            DataLoader<Sample, Batch> loader = loader(train, s, true, s.seed * 1000 + epoch);
            batchesPerEpoch = loader.size();
            losses.addAll(trainer.epoch(epoch + 1, loader, loader.size(), out, progress));
            images += train.size();
            Checkpoint.save(checkpoint, net, optimizer, new Checkpoint.Progress(epoch + 1, losses));
            LossCurve.write(losses, Math.max(1, s.printEvery / 10), batchesPerEpoch, s.out.resolve("loss.png"));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        out.println("Finished Training");
        if (images > 0) {
            System.err.printf("trained on %d images in %.1f s: %.0f images/s%n", images, seconds, images / seconds);
        }
        Checkpoints.saveStateDict(net, s.out.resolve("cifar_net.safetensors"));

        // Test: four images first, then the whole test set.
        DataLoader<Sample, Batch> testLoader = loader(testset, s, false, s.seed);
        Batch firstTest = firstBatch(testLoader);
        VisionUtils.saveImage(unnormalize(VisionUtils.makeGrid(firstTest.images(), 8)), s.out.resolve("test_batch.png"));
        // print('GroundTruth: ', ...) puts print's own separator after the label's space.
        out.println("GroundTruth:  " + labels(firstTest.labels(), classes));
        long[] predicted = Evaluation.predict(net, firstTest.images().to(s.device));
        out.println("Predicted:  " + labels(Torch.tensor(predicted), classes));

        Evaluation evaluation = Evaluation.run(net, testLoader, classes, s.device);
        out.println(evaluation.summary());
        out.print(evaluation.perClass());
        out.println("Confusion matrix (rows: true class, columns: predicted):");
        out.print(evaluation.confusionTable());
        out.println("pictures and checkpoints are in " + s.out);
        return new Result(evaluation, losses, seconds, images);
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
