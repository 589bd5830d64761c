package dev.steptorch.serialization;

import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * {@code torch.load(path, weights_only=True)} for the files {@code torch.save} writes since
 * PyTorch 1.6: a zip archive {@code NAME/data.pkl} (the pickled object) with one entry
 * {@code NAME/data/KEY} per storage (raw little-endian elements), plus {@code NAME/version}.
 *
 * <p>The pickle may name only what a state_dict needs: {@code collections.OrderedDict},
 * {@code torch._utils._rebuild_tensor_v2} / {@code _rebuild_parameter} and the storage types
 * ({@code torch.FloatStorage}, ...). Any other global, {@code os.system} included, is refused by
 * name before anything runs. Every storage's size is checked against the zip entry that holds it,
 * and every tensor's shape and strides against its storage, before memory is allocated; a file
 * that fails any check yields an error naming the file and the problem, never a partial result.
 *
 * <p>The legacy format (before 1.6: several pickles in a row, no zip) is recognised and refused
 * with advice, as it is rare today.
 */
public final class TorchLoad {
    /** data.pkl beyond this is refused: a state_dict's pickle is small, only its storages are large. */
    private static final long MAX_PICKLE_BYTES = 64L << 20;

    private TorchLoad() {
    }

    /** A storage type such as {@code torch.FloatStorage}, as named in the pickle. */
    private record StorageType(String name, DType dtype) {
    }

    /** A storage read from the archive, as a 1-D tensor that the tensors of the pickle view. */
    private record Storage(String key, DType dtype, Tensor flat, long numel) {
    }

    /**
     * The state_dict in {@code file}: an (ordered) dict from names to tensors, CPU tensors in the
     * file's order. Anything else at the top level, such as a whole-checkpoint dict, is refused
     * with a message pointing to {@link #load}.
     */
    public static LinkedHashMap<String, Tensor> loadStateDict(Path file) throws IOException {
        Object obj = load(file);
        if (!(obj instanceof Map<?, ?> map)) {
            throw new UnpicklingError(file + ": holds " + Unpickler.describe(obj) + ", not a state_dict (a dict of tensors)");
        }
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String k) || !(e.getValue() instanceof Tensor t)) {
                throw new UnpicklingError(file + ": entry " + Unpickler.describe(e.getKey()) + " holds "
                        + Unpickler.describe(e.getValue()) + ", so this is not a plain state_dict; TorchLoad.load reads"
                        + " the whole object (a general checkpoint keeps its state_dicts under keys such as 'model_state_dict')");
            }
            out.put(k, t);
        }
        return out;
    }

    /**
     * The first bytes of a legacy (pre-1.6) torch.save file: pickle protocol 2, then torch's magic
     * number 0x1950a86a20f9469cfc6c as a 10-byte LONG1. A safetensors file cannot start so: its
     * bytes 4 to 7 are the high half of its header length, zero for any real header.
     */
    private static final byte[] LEGACY_MAGIC = {(byte) 0x80, 2, (byte) 0x8a, 10, 0x6c, (byte) 0xfc, (byte) 0x9c, 0x46};

    /** What a file starts with: 0 unknown, 1 a zip (torch.save since 1.6), 2 the legacy format. */
    private static int kind(byte[] head) {
        if (head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            return 1;
        }
        return java.util.Arrays.equals(head, 0, Math.min(head.length, 8), LEGACY_MAGIC, 0, 8) ? 2 : 0;
    }

    private static byte[] head(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(8);
        }
    }

    /** Whether {@code file} starts as a torch.save file does (either format), so that callers can tell it from safetensors. */
    public static boolean looksLikeTorchSave(Path file) throws IOException {
        return kind(head(file)) != 0;
    }

    /** The whole object in {@code file}: dicts, lists, tuples (Object[]), numbers, strings and tensors. */
    public static Object load(Path file) throws IOException {
        int kind = kind(head(file));
        if (kind == 2) {
            throw new UnpicklingError(file + ": the legacy torch.save format (PyTorch before 1.6), which StepTorch does not read;"
                    + " re-save it with a newer torch.save, or as safetensors");
        }
        if (kind == 0) {
            throw new UnpicklingError(file + ": not a torch.save file (neither a zip archive nor the legacy format)");
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            return read(file, zip);
        } catch (UnpicklingError e) {
            throw e.getMessage().startsWith(file.toString()) ? e : new UnpicklingError(file + ": " + e.getMessage());
        } catch (ZipException | java.io.EOFException e) {
            throw new UnpicklingError(file + ": the zip archive is damaged or truncated (" + e.getMessage() + ")");
        }
    }

    private static Object read(Path file, ZipFile zip) throws IOException {
        ZipEntry pkl = null;
        for (ZipEntry e : java.util.Collections.list(zip.entries())) {
            String n = e.getName();
            if (n.endsWith("/data.pkl") && n.indexOf('/') == n.length() - "/data.pkl".length()) {
                if (pkl != null) {
                    throw new UnpicklingError("two data.pkl entries (" + pkl.getName() + ", " + n + ")");
                }
                pkl = e;
            }
        }
        if (pkl == null) {
            throw new UnpicklingError("a zip archive without NAME/data.pkl, so not a torch.save file");
        }
        String prefix = pkl.getName().substring(0, pkl.getName().length() - "data.pkl".length());
        byte[] pickle = entryBytes(zip, pkl, -1);
        Map<String, Storage> storages = new HashMap<>();
        Unpickler.Policy policy = new Unpickler.Policy() {
            @Override
            public Object global(String module, String name) throws UnpicklingError {
                return TorchLoad.global(module, name);
            }

            @Override
            public Object persistentLoad(Object pid) throws UnpicklingError {
                return storage(zip, prefix, pid, storages);
            }
        };
        return Unpickler.load(pickle, policy);
    }

    /** The bytes of one entry; {@code expected} >= 0 demands exactly that many. */
    private static byte[] entryBytes(ZipFile zip, ZipEntry e, long expected) throws IOException {
        long declared = e.getSize();
        long limit = expected >= 0 ? expected : MAX_PICKLE_BYTES;
        if (declared > limit || (expected >= 0 && declared >= 0 && declared != expected)) {
            throw new UnpicklingError("entry " + e.getName() + " holds " + declared + " bytes, "
                    + (expected >= 0 ? "but its storage declares " + expected : "more than the limit of " + limit));
        }
        try (InputStream in = zip.getInputStream(e)) {
            // never more than the limit: a lying size field cannot make this allocate more
            byte[] b = in.readNBytes((int) Math.min(limit, declared >= 0 ? declared : limit));
            if (expected >= 0 && b.length != expected) {
                throw new UnpicklingError("entry " + e.getName() + " is truncated: " + b.length + " of " + expected + " bytes");
            }
            if (in.read() != -1) {
                throw new UnpicklingError("entry " + e.getName() + " holds more bytes than it declares");
            }
            return b;
        }
    }

    // =====================================================================================
    // What the pickle may name
    // =====================================================================================

    static Object global(String module, String name) throws UnpicklingError {
        String full = module + "." + name;
        switch (full) {
            case "collections.OrderedDict":
                return (Unpickler.Callable) args -> {
                    if (args.length != 0) {
                        throw new UnpicklingError("OrderedDict called with arguments; torch.save fills it with SETITEMS");
                    }
                    return new OrderedDict();
                };
            case "torch._utils._rebuild_tensor_v2":
                return (Unpickler.Callable) TorchLoad::rebuildTensor;
            case "torch._utils._rebuild_parameter":
                return (Unpickler.Callable) args -> {
                    if (args.length < 2 || !(args[0] instanceof Tensor t) || !(args[1] instanceof Boolean grad)) {
                        throw new UnpicklingError("_rebuild_parameter needs (tensor, requires_grad, hooks)");
                    }
                    return t.requiresGrad_(grad);
                };
            case "torch.FloatStorage":
                return new StorageType(name, DType.FLOAT32);
            case "torch.DoubleStorage":
                return new StorageType(name, DType.FLOAT64);
            case "torch.LongStorage":
                return new StorageType(name, DType.INT64);
            case "torch.BoolStorage":
                return new StorageType(name, DType.BOOL);
            default:
                break;
        }
        if (module.equals("torch") && name.endsWith("Storage")) {
            throw new UnpicklingError("storage type " + full + " holds a dtype StepTorch does not have"
                    + " (it reads float32, float64, int64 and bool); convert the tensors in PyTorch first");
        }
        throw new UnpicklingError("refusing the global " + full + ": a state_dict file may name only OrderedDict, tensors and"
                + " storages (as torch.load(weights_only=True) does), and nothing in it is ever run");
    }

    /** {@code collections.OrderedDict()}; BUILD gives it attributes such as {@code _metadata}, which carry no weights. */
    private static final class OrderedDict extends LinkedHashMap<Object, Object> implements Unpickler.Buildable {
        @Override
        public void setState(Object state) throws UnpicklingError {
            if (!(state instanceof Map<?, ?>)) {
                throw new UnpicklingError("OrderedDict state must be a dict, got " + Unpickler.describe(state));
            }
        }
    }

    /** The persistent id {@code ('storage', type, key, location, numel)}: one zip entry, read once and checked. */
    private static Storage storage(ZipFile zip, String prefix, Object pid, Map<String, Storage> storages)
            throws UnpicklingError {
        if (!(pid instanceof Object[] t) || t.length != 5 || !"storage".equals(t[0]) || !(t[1] instanceof StorageType type)
                || !(t[2] instanceof String key) || !(t[3] instanceof String) || !(t[4] instanceof Long numel)) {
            throw new UnpicklingError("a persistent id that is not ('storage', type, key, location, numel): "
                    + Unpickler.describe(pid));
        }
        Storage known = storages.get(key);
        if (known != null) {
            if (known.dtype() != type.dtype() || known.numel() != numel) {
                throw new UnpicklingError("storage '" + key + "' is declared twice with different types or sizes");
            }
            return known;
        }
        int item = type.dtype().itemSize();
        if (numel < 0 || numel > Integer.MAX_VALUE - 16) {
            throw new UnpicklingError("storage '" + key + "' declares " + numel + " elements, more than StepTorch can hold");
        }
        ZipEntry e = zip.getEntry(prefix + "data/" + key);
        if (e == null) {
            throw new UnpicklingError("storage '" + key + "' has no entry " + prefix + "data/" + key + " in the archive");
        }
        long bytes = numel * item;
        if (e.getSize() >= 0 && e.getSize() != bytes) {
            throw new UnpicklingError("storage '" + key + "' declares " + numel + " " + type.name() + " elements (" + bytes
                    + " bytes), but its entry holds " + e.getSize() + " bytes");
        }
        byte[] raw;
        try {
            raw = entryBytes(zip, e, bytes);
        } catch (UnpicklingError err) {
            throw err;
        } catch (IOException err) {
            throw new UnpicklingError("storage '" + key + "' cannot be read: " + err.getMessage());
        }
        Tensor flat = Torch.tensor(toArray(key, type.dtype(), raw, (int) (long) numel), Options.dtype(type.dtype()));
        Storage s = new Storage(key, type.dtype(), flat, numel);
        storages.put(key, s);
        return s;
    }

    private static Object toArray(String key, DType dtype, byte[] raw, int n) throws UnpicklingError {
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        switch (dtype) {
            case FLOAT32 -> {
                float[] a = new float[n];
                b.asFloatBuffer().get(a);
                return a;
            }
            case FLOAT64 -> {
                double[] a = new double[n];
                b.asDoubleBuffer().get(a);
                return a;
            }
            case INT64 -> {
                long[] a = new long[n];
                b.asLongBuffer().get(a);
                return a;
            }
            default -> {
                boolean[] a = new boolean[n];
                for (int i = 0; i < n; i++) {
                    if (raw[i] != 0 && raw[i] != 1) {
                        throw new UnpicklingError("storage '" + key + "': byte " + raw[i] + " at element " + i + " is not a bool");
                    }
                    a[i] = raw[i] == 1;
                }
                return a;
            }
        }
    }

    /** {@code _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])}. */
    private static Object rebuildTensor(Object[] args) throws UnpicklingError {
        if (args.length < 6 || !(args[0] instanceof Storage s) || !(args[1] instanceof Long offset)
                || !(args[2] instanceof Object[] size) || !(args[3] instanceof Object[] stride)
                || !(args[4] instanceof Boolean requiresGrad)) {
            throw new UnpicklingError("_rebuild_tensor_v2 needs (storage, offset, size, stride, requires_grad, hooks)");
        }
        if (!(args[5] instanceof Map<?, ?> hooks) || !hooks.isEmpty()) {
            throw new UnpicklingError("a tensor with backward hooks, which are code and are not loaded");
        }
        if (size.length != stride.length) {
            throw new UnpicklingError("storage '" + s.key() + "': size has " + size.length + " dims but stride " + stride.length);
        }
        int[] shape = new int[size.length];
        int[] strides = new int[size.length];
        long numel = 1;
        long last = offset;
        for (int d = 0; d < size.length; d++) {
            if (!(size[d] instanceof Long n) || !(stride[d] instanceof Long st) || n < 0 || st < 0 || n > Integer.MAX_VALUE
                    || st > Integer.MAX_VALUE) {
                throw new UnpicklingError("storage '" + s.key() + "': invalid size or stride at dim " + d);
            }
            shape[d] = (int) (long) n;
            strides[d] = (int) (long) st;
            numel *= n;
            if (numel > Integer.MAX_VALUE) {
                throw new UnpicklingError("storage '" + s.key() + "': a tensor with more elements than StepTorch can hold");
            }
            last += (n - 1) * st;
        }
        if (offset < 0 || (numel > 0 && last >= s.numel())) {
            throw new UnpicklingError("storage '" + s.key() + "' holds " + s.numel() + " elements, but a tensor of size "
                    + java.util.Arrays.toString(shape) + " at offset " + offset + " reaches element " + last);
        }
        // a view of the storage, as in PyTorch: tensors saved as views of one another stay views
        Tensor t = s.flat().viewWith(shape, strides, (int) (long) offset);
        return requiresGrad ? t.requiresGrad_(true) : t;
    }
}
