package dev.steptorch.vision;

import dev.steptorch.data.Dataset;
import dev.steptorch.data.Sample;
import dev.steptorch.vision.transforms.Image;
import dev.steptorch.vision.transforms.Transform;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * CIFAR-10 from its binary layout, torchvision's {@code datasets.CIFAR10(root, train, transform, download)}.
 * torchvision's own download, the pickled {@code cifar-10-batches-py/}, is read too (see {@link CifarPickle}).
 *
 * <p>The files are {@code data_batch_1.bin .. data_batch_5.bin} (train), {@code test_batch.bin}
 * (test) and {@code batches.meta.txt} (class names, one a line). Each record is one label byte and
 * 3072 pixel bytes: the red, green and blue 32x32 planes, row-major. They are looked for in
 * {@code root/cifar-10-batches-bin} (where the official archive unpacks) and else in {@code root}.
 *
 * <p>The split's files are read whole once and kept as bytes (about 150 MB for the training set);
 * an image is decoded and transformed when asked for, so memory stays at one byte a pixel.
 */
public final class CIFAR10 implements Dataset<Sample> {
    public static final String URL = "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz";
    public static final String MD5 = "c32a1d4ab5d03f1284b67883e8d87530";
    public static final String BASE_FOLDER = "cifar-10-batches-bin";
    static final int SIDE = 32;
    static final int IMAGE_BYTES = 3 * SIDE * SIDE;
    static final int RECORD_BYTES = 1 + IMAGE_BYTES;
    static final List<String> TRAIN_FILES = List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin",
            "data_batch_4.bin", "data_batch_5.bin");
    static final List<String> TEST_FILES = List.of("test_batch.bin");
    static final String META_FILE = "batches.meta.txt";

    private final boolean train;
    private final Transform transform;
    private final List<String> classes;
    /** The split's files, raw; record i of the split is in chunks[k] for the k with starts[k] <= i < starts[k+1]. */
    private final byte[][] chunks;
    private final int[] starts;
    private final int size;

    public CIFAR10(Path root, boolean train, Transform transform) throws IOException {
        this(root, train, transform, false);
    }

    /** With {@code download}, fetches and unpacks the official archive into {@code root} if it is not there. */
    public CIFAR10(Path root, boolean train, Transform transform, boolean download) throws IOException {
        this(root, train, transform, download ? URI.create(URL) : null, MD5);
    }

    /** Downloads from {@code url} (checked against {@code md5}) if the files are missing; no download when url is null. */
    public CIFAR10(Path root, boolean train, Transform transform, URI url, String md5) throws IOException {
        if (url != null) {
            CifarDownload.download(root, url, md5);
        }
        Path dir = locate(root);
        boolean pickled = CifarPickle.hasAllFiles(dir);
        this.train = train;
        this.transform = transform;
        this.classes = pickled ? CifarPickle.readClasses(dir.resolve(CifarPickle.META_FILE)) : readClasses(dir.resolve(META_FILE));
        List<String> files = pickled ? (train ? CifarPickle.TRAIN_FILES : CifarPickle.TEST_FILES) : train ? TRAIN_FILES : TEST_FILES;
        this.chunks = new byte[files.size()][];
        this.starts = new int[files.size() + 1];
        for (int k = 0; k < files.size(); k++) {
            chunks[k] = pickled ? CifarPickle.readBatch(dir.resolve(files.get(k))) : readBatchFile(dir.resolve(files.get(k)));
            starts[k + 1] = starts[k] + chunks[k].length / RECORD_BYTES;
        }
        this.size = starts[files.size()];
    }

    /** The folder holding the batch files, or an error that says what is expected and how to get it. */
    static Path locate(Path root) throws IOException {
        for (Path dir : new Path[] {root.resolve(BASE_FOLDER), root}) {
            if (hasAllFiles(dir)) {
                return dir;
            }
        }
        // torchvision's download: the pickled batches, read by the restricted unpickler
        for (Path dir : new Path[] {root.resolve(CifarPickle.BASE_FOLDER), root}) {
            if (CifarPickle.hasAllFiles(dir)) {
                return dir;
            }
        }
        List<String> missing = new ArrayList<>();
        Path probe = Files.isDirectory(root.resolve(BASE_FOLDER)) ? root.resolve(BASE_FOLDER) : root;
        for (String f : allFiles()) {
            if (!Files.isRegularFile(probe.resolve(f))) {
                missing.add(f);
            }
        }
        throw new FileNotFoundException("CIFAR-10 not found in " + root + (Files.isDirectory(root) ? " (missing " + missing + ")"
                : " (no such directory)") + ". Expected data_batch_1.bin .. data_batch_5.bin, test_batch.bin and "
                + META_FILE + " in " + root.resolve(BASE_FOLDER) + " or in " + root + " (or torchvision's pickled batches in "
                + root.resolve(CifarPickle.BASE_FOLDER) + "). Get them with download=true (the "
                + "official cifar-10-binary.tar.gz; the lesson's --download option), or write them from the JPEG copy with "
                + "`java ImagesToCifarBinary.java OUT_DIR` (the ImagesToCifarBinary tool).");
    }

    static boolean hasAllFiles(Path dir) {
        return allFiles().stream().allMatch(f -> Files.isRegularFile(dir.resolve(f)));
    }

    private static List<String> allFiles() {
        List<String> all = new ArrayList<>(TRAIN_FILES);
        all.addAll(TEST_FILES);
        all.add(META_FILE);
        return all;
    }

    private static List<String> readClasses(Path meta) throws IOException {
        List<String> names = new ArrayList<>();
        for (String line : Files.readAllLines(meta)) {
            if (!line.isBlank()) {
                names.add(line.trim());
            }
        }
        if (names.size() != 10) {
            throw new IOException(meta.getFileName() + " should name the 10 CIFAR-10 classes, one a line, but names "
                    + names.size() + ": " + names);
        }
        return List.copyOf(names);
    }

    /** A whole batch file, checked: a whole number of records, and every label a class index. */
    static byte[] readBatchFile(Path file) throws IOException {
        long length = Files.size(file);
        if (length == 0) {
            throw new IOException(file.getFileName() + " is empty (0 bytes): a CIFAR-10 batch file holds 10000 records of "
                    + RECORD_BYTES + " bytes. Copy it again, or download CIFAR-10 again into a fresh folder");
        }
        if (length % RECORD_BYTES != 0) {
            long whole = length / RECORD_BYTES;
            throw new IOException(file.getFileName() + " is truncated or corrupt: its " + length + " bytes are not a whole "
                    + "number of " + RECORD_BYTES + "-byte records (1 label byte + " + IMAGE_BYTES + " pixel bytes); record "
                    + whole + ", starting at byte offset " + whole * RECORD_BYTES + ", is incomplete (" + (length % RECORD_BYTES)
                    + " of " + RECORD_BYTES + " bytes)");
        }
        if (length > Integer.MAX_VALUE - 8) {
            throw new IOException(file.getFileName() + " is too large (" + length + " bytes) to be a CIFAR-10 batch file");
        }
        byte[] bytes = Files.readAllBytes(file);
        for (int offset = 0; offset < bytes.length; offset += RECORD_BYTES) {
            int label = bytes[offset] & 0xFF;
            if (label > 9) {
                throw new IOException(file.getFileName() + ": record " + offset / RECORD_BYTES + " at byte offset " + offset
                        + " has label " + label + ", but CIFAR-10 labels are 0..9");
            }
        }
        return bytes;
    }

    @Override
    public int size() {
        return size;
    }

    public boolean train() {
        return train;
    }

    /** Class names, index = label: {@code airplane, automobile, ...}. */
    public List<String> classes() {
        return classes;
    }

    public int label(int index) {
        checkIndex(index);
        int k = chunk(index);
        return chunks[k][(index - starts[k]) * RECORD_BYTES] & 0xFF;
    }

    /** Every label in order, torchvision's {@code dataset.targets}. */
    public int[] targets() {
        int[] targets = new int[size];
        for (int i = 0; i < size; i++) {
            targets[i] = label(i);
        }
        return targets;
    }

    /** The untransformed image: a pixel image 3x32x32 with values 0..255. */
    public Image image(int index) {
        checkIndex(index);
        int k = chunk(index);
        return Image.fromChwBytes(chunks[k], (index - starts[k]) * RECORD_BYTES + 1, 3, SIDE, SIDE);
    }

    /** Random transforms use a generator seeded by the index, so repeated calls agree. */
    @Override
    public Sample get(int index) {
        return get(index, new Random(index));
    }

    @Override
    public Sample get(int index, Random random) {
        Image image = image(index);
        if (transform != null) {
            image = transform.apply(image, random);
        }
        return new Sample(image.toTensor(), label(index));
    }

    private int chunk(int index) {
        int k = 0;
        while (index >= starts[k + 1]) {
            k++;
        }
        return k;
    }

    @Override
    public String toString() {
        return "Dataset CIFAR10\n    Number of datapoints: " + size + "\n    Split: " + (train ? "Train" : "Test")
                + (transform == null ? "" : "\n    Transform: " + transform);
    }
}
