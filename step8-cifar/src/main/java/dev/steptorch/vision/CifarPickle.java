package dev.steptorch.vision;

import dev.steptorch.serialization.Unpickler;
import dev.steptorch.serialization.UnpicklingError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The pickled CIFAR-10 batches of {@code cifar-10-batches-py/}, the folder torchvision's
 * {@code CIFAR10(root, download=True)} leaves, read with the restricted unpickler. A batch is a
 * dict with {@code data} (a NumPy uint8 array [N, 3072]) and {@code labels} (N ints); the only
 * globals allowed are the three NumPy names that rebuild such an array ({@code _reconstruct},
 * {@code ndarray}, {@code dtype}) and {@code _codecs.encode}, with which Python 3 pickles bytes.
 * None of them runs anything: each builds a plain Java value. Batches come back in the binary
 * layout (a label byte, then 3072 pixel bytes, per image), so the rest of {@link CIFAR10} is shared.
 */
final class CifarPickle {
    static final String BASE_FOLDER = "cifar-10-batches-py";
    static final List<String> TRAIN_FILES = List.of("data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4",
            "data_batch_5");
    static final List<String> TEST_FILES = List.of("test_batch");
    static final String META_FILE = "batches.meta";
    /** A real batch is 30 MB; anything far beyond is not one, and is refused before it is read. */
    private static final long MAX_FILE_BYTES = 256L << 20;

    private CifarPickle() {
    }

    static boolean hasAllFiles(Path dir) {
        List<String> all = new ArrayList<>(TRAIN_FILES);
        all.addAll(TEST_FILES);
        all.add(META_FILE);
        return all.stream().allMatch(f -> Files.isRegularFile(dir.resolve(f)));
    }

    /** {@code numpy.dtype(...)}: only uint8 ('u1'), the dtype of CIFAR's pixels, is accepted. */
    private static final class NumpyDtype implements Unpickler.Buildable {
        @Override
        public void setState(Object state) {
            // byte order and flags: meaningless for single bytes
        }
    }

    /** An array being rebuilt: {@code _reconstruct} makes it empty, BUILD gives it (version, shape, dtype, fortran, bytes). */
    private static final class NumpyArray implements Unpickler.Buildable {
        int[] shape;
        byte[] data;

        @Override
        public void setState(Object state) throws UnpicklingError {
            if (!(state instanceof Object[] t) || t.length != 5 || !(t[1] instanceof Object[] dims)
                    || !(t[2] instanceof NumpyDtype) || !(t[4] instanceof byte[] bytes)) {
                throw new UnpicklingError("a NumPy array state that is not (version, shape, uint8 dtype, fortran, bytes)");
            }
            shape = new int[dims.length];
            long n = 1;
            for (int d = 0; d < dims.length; d++) {
                if (!(dims[d] instanceof Long v) || v < 0 || v > Integer.MAX_VALUE) {
                    throw new UnpicklingError("a NumPy array with an invalid shape");
                }
                shape[d] = (int) (long) v;
                n *= v;
            }
            if (n != bytes.length) {
                throw new UnpicklingError("a NumPy array of shape " + java.util.Arrays.toString(shape) + " with " + bytes.length
                        + " bytes of data");
            }
            data = bytes;
        }
    }

    private static final Unpickler.Policy POLICY = (module, name) -> switch (module + "." + name) {
        case "numpy.core.multiarray._reconstruct" -> (Unpickler.Callable) args -> new NumpyArray();
        case "numpy.ndarray" -> "ndarray";
        case "numpy.dtype" -> (Unpickler.Callable) args -> {
            // Python 2 pickles name it with a byte string, Python 3 with a str
            Object code = args.length < 1 ? null : args[0] instanceof byte[] b ? new String(b, StandardCharsets.ISO_8859_1) : args[0];
            if (!"u1".equals(code)) {
                throw new UnpicklingError("a NumPy dtype other than uint8 ('u1'), which CIFAR-10 pixels are not");
            }
            return new NumpyDtype();
        };
        case "_codecs.encode" -> (Unpickler.Callable) args -> {
            if (args.length != 2 || !(args[0] instanceof String s) || !"latin1".equals(args[1])) {
                throw new UnpicklingError("_codecs.encode is accepted only as (str, 'latin1'), how Python 3 pickles bytes");
            }
            return s.getBytes(StandardCharsets.ISO_8859_1);
        };
        default -> throw new UnpicklingError("refusing the global " + module + "." + name
                + ": a CIFAR-10 batch may name only NumPy's array rebuilders");
    };

    private static Map<?, ?> load(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_FILE_BYTES) {
            throw new IOException(file + ": " + size + " bytes, too large for a CIFAR-10 batch");
        }
        try {
            if (Unpickler.load(Files.readAllBytes(file), POLICY) instanceof Map<?, ?> m) {
                return m;
            }
        } catch (UnpicklingError e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        throw new IOException(file + ": not a CIFAR-10 batch (the pickle does not hold a dict)");
    }

    /** A pickled batch as binary records: label byte, then the 3072 pixel bytes, per image. */
    static byte[] readBatch(Path file) throws IOException {
        Map<?, ?> d = load(file);
        if (!(d.get("data") instanceof NumpyArray a) || a.data == null || a.shape.length != 2
                || a.shape[1] != CIFAR10.IMAGE_BYTES) {
            throw new IOException(file + ": 'data' is not a uint8 array of shape [N, " + CIFAR10.IMAGE_BYTES + "]");
        }
        Object labels = d.containsKey("labels") ? d.get("labels") : d.get("fine_labels");
        int n = a.shape[0];
        if (!(labels instanceof List<?> list) || list.size() != n) {
            throw new IOException(file + ": 'labels' is not a list of " + n + " ints, one per image");
        }
        byte[] records = new byte[n * CIFAR10.RECORD_BYTES];
        for (int i = 0; i < n; i++) {
            if (!(list.get(i) instanceof Long label) || label < 0 || label > 9) {
                throw new IOException(file + ": label " + i + " is " + list.get(i) + ", but CIFAR-10 labels are 0..9");
            }
            records[i * CIFAR10.RECORD_BYTES] = (byte) (long) label;
            System.arraycopy(a.data, i * CIFAR10.IMAGE_BYTES, records, i * CIFAR10.RECORD_BYTES + 1, CIFAR10.IMAGE_BYTES);
        }
        return records;
    }

    /** The class names of {@code batches.meta}'s {@code label_names}. */
    static List<String> readClasses(Path file) throws IOException {
        if (!(load(file).get("label_names") instanceof List<?> names) || names.size() != 10) {
            throw new IOException(file + ": 'label_names' is not a list of the 10 CIFAR-10 class names");
        }
        List<String> out = new ArrayList<>();
        for (Object o : names) {
            if (o instanceof byte[] b) {
                out.add(new String(b, StandardCharsets.ISO_8859_1));
            } else if (o instanceof String s) {
                out.add(s);
            } else {
                throw new IOException(file + ": a class name that is not a string");
            }
        }
        return List.copyOf(out);
    }
}
