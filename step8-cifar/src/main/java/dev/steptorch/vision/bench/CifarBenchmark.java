package dev.steptorch.vision.bench;

import dev.steptorch.cli.Cli;
import dev.steptorch.data.Batch;
import dev.steptorch.data.DataLoader;
import dev.steptorch.data.Dataset;
import dev.steptorch.data.Sample;
import dev.steptorch.nn.CrossEntropyLoss;
import dev.steptorch.optim.SGD;
import dev.steptorch.tensor.Device;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import dev.steptorch.vision.CIFAR10;
import dev.steptorch.vision.CifarNet;
import dev.steptorch.vision.train.Evaluation;
import dev.steptorch.vision.train.Trainer;
import dev.steptorch.vision.transforms.Compose;
import dev.steptorch.vision.transforms.Normalize;
import dev.steptorch.vision.transforms.ToTensor;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The lesson TrainCifar's recipe, timed, to set beside {@code bench/cifar_torch.py}: the blitz's
 * Net, cross-entropy, SGD (lr 0.001, momentum 0.9), ToTensor + Normalize and a shuffling
 * DataLoader with 2 workers, built from the same pieces as the lesson but without its pictures,
 * checkpoints and printouts, so that only the training loop is timed. With {@code --preload} the
 * training set is transformed once into one tensor and batches are cut from it
 * ({@link PreloadedBatches}), the fastest path, to set beside PyTorch's own fastest.
 *
 * <p>Usage: {@code CifarBenchmark DATA_DIR BATCH_SIZE EPOCHS [--limit N] [--device cpu|gpu] [--preload]
 * [--threads T]}. Prints {@code epoch_seconds E S}, {@code images_per_second B X}, {@code threads T},
 * {@code test_accuracy A} and {@code peak_rss_mb M}, the lines the Python script prints.
 */
public final class CifarBenchmark {
    private static final int WORKERS = 2;

    private CifarBenchmark() {
    }

    /** The command line: {@code DATA_DIR BATCH_SIZE EPOCHS [--limit N] [--device cpu|gpu]}. */
    @Command(name = "CifarBenchmark", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Times TrainCifar's training loop (no pictures, checkpoints or printouts), to set beside "
                    + "bench/cifar_torch.py; prints epoch_seconds, images_per_second, threads, test_accuracy and peak_rss_mb.",
            footerHeading = "%nExample:%n", footer = "  CifarBenchmark ~/cifar10 4 1 --limit 5000 --device cpu --preload --threads 1")
    static final class Options implements Cli.Validated {
        @Parameters(index = "0", paramLabel = "DATA_DIR", description = "folder with CIFAR-10's binary files")
        Path data;
        @Parameters(index = "1", paramLabel = "BATCH_SIZE", description = "images per mini-batch")
        int batchSize;
        @Parameters(index = "2", paramLabel = "EPOCHS", description = "passes over the training set")
        int epochs;
        @Option(names = "--limit", paramLabel = "N", description = "train on the first N images only; 0: all (default: 0)")
        int limit;
        @Option(names = "--device", paramLabel = "cpu|gpu", description = "where to train (default: cpu)")
        Device device = Device.CPU;
        @Option(names = "--preload", description = "train from one preloaded tensor instead of a DataLoader")
        boolean preload;
        @Option(names = "--threads", paramLabel = "T", description = "Torch.setNumThreads(T); 0: one per core (default: 0)")
        int threads;

        @Override
        public void validate() {
            if (batchSize < 1 || epochs < 1 || limit < 0 || threads < 0) {
                throw new IllegalArgumentException("BATCH_SIZE and EPOCHS must be 1 or more, --limit and --threads 0 or more, got "
                        + batchSize + ", " + epochs + ", " + limit + " and " + threads);
            }
        }
    }

    public static void main(String[] args) {
        Options o = Cli.parse(new Options(), args);
        if (o.threads > 0) {
            Torch.setNumThreads(o.threads);
        }
        Cli.run("CifarBenchmark", () -> run(o.data, o.batchSize, o.epochs, o.limit, o.device, o.preload));
    }

    private static void run(Path data, int batchSize, int epochs, int limit, Device device, boolean preload)
            throws IOException {
        Torch.manualSeed(0);
        Compose transform = new Compose(new ToTensor(),
                new Normalize(new double[] {0.5, 0.5, 0.5}, new double[] {0.5, 0.5, 0.5}));
        CIFAR10 trainset = new CIFAR10(data, true, transform);
        CIFAR10 testset = new CIFAR10(data, false, transform);
        Dataset<Sample> train = limit > 0 ? firstN(trainset, limit) : trainset;

        CifarNet net = new CifarNet();
        net.to(device);
        SGD optimizer = new SGD(net.parameters(), SGD.defaults().lr(0.001).momentum(0.9));
        // Printing every 2000 mini-batches is the lesson's business; here it would only cost time.
        Trainer trainer = new Trainer(net, new CrossEntropyLoss(), optimizer, device, Integer.MAX_VALUE);
        PrintStream silent = new PrintStream(OutputStream.nullOutputStream());

        PreloadedBatches preloaded = preload ? new PreloadedBatches(train) : null;
        double total = 0;
        long images = 0;
        for (int epoch = 0; epoch < epochs; epoch++) {
            // Seeded per epoch, as the lesson does, so a run is repeatable.
            long start = System.nanoTime();
            if (preload) {
                trainer.epoch(epoch + 1, preloaded.epoch(batchSize, epoch), preloaded.batches(batchSize), silent, null);
            } else {
                DataLoader<Sample, Batch> loader = DataLoader.builder(train).batchSize(batchSize).shuffle(true)
                        .numWorkers(WORKERS).seed(epoch).build();
                trainer.epoch(epoch + 1, loader, loader.size(), silent, null);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            total += seconds;
            images += train.size();
            System.out.printf(Locale.ROOT, "epoch_seconds %d %.3f%n", epoch + 1, seconds);
        }
        System.out.printf(Locale.ROOT, "images_per_second %d %.1f%n", batchSize, images / total);
        System.out.println("threads " + Torch.getNumThreads());

        DataLoader<Sample, Batch> testLoader = DataLoader.builder(testset).batchSize(batchSize)
                .shuffle(false).numWorkers(WORKERS).build();
        Evaluation evaluation = Evaluation.run(net, testLoader, testset.classes(), device);
        System.out.printf(Locale.ROOT, "test_accuracy %.4f%n", evaluation.accuracy());
        System.out.printf(Locale.ROOT, "peak_rss_mb %.0f%n", peakRssMb());
    }

    /**
     * The process's peak resident set, VmHWM: heap, JIT code, thread stacks and native buffers
     * together, the figure comparable to PyTorch's ru_maxrss. Where /proc is missing (not Linux),
     * the JVM's own committed heap and non-heap at the end stand in, which undercounts.
     */
    static double peakRssMb() {
        Path status = Path.of("/proc/self/status");
        if (Files.isReadable(status)) {
            try {
                for (String line : Files.readAllLines(status)) {
                    if (line.startsWith("VmHWM:")) {
                        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // fall through to the JVM's figure
            }
        }
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        return (memory.getHeapMemoryUsage().getCommitted() + memory.getNonHeapMemoryUsage().getCommitted()) / (1024.0 * 1024);
    }

    /** The first {@code n} images, as {@code torch.utils.data.Subset(trainset, range(n))}. */
    private static Dataset<Sample> firstN(Dataset<Sample> data, int n) {
        return new Dataset<>() {
            @Override
            public int size() {
                return Math.min(n, data.size());
            }

            @Override
            public Sample get(int index) {
                return data.get(checkIndex(index));
            }

            @Override
            public Sample get(int index, Random random) {
                return data.get(checkIndex(index), random);
            }
        };
    }
}
