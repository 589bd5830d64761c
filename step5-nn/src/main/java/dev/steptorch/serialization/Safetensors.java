package dev.steptorch.serialization;

import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the safetensors format, the file format of Hugging Face checkpoints:
 *
 * <pre>
 *   8 bytes    N, the header's length, unsigned little-endian
 *   N bytes    a JSON object: {"name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]}, ...,
 *              optionally "__metadata__": {"key": "value", ...}}
 *   the rest   the tensors' bytes, little-endian, row-major; data_offsets count from here
 * </pre>
 *
 * <p>Unlike a pickle, nothing in the file is executed and every byte is accounted for, so a
 * reader can check the whole file before trusting any of it: {@link #load} checks everything and
 * returns nothing from a damaged file. The writer pads the header with spaces so the data starts
 * at a multiple of 8 bytes, as the Hugging Face library does; readers treat the spaces as JSON
 * whitespace.
 */
public final class Safetensors {
    /** The key of the optional string-to-string map in the header. */
    public static final String METADATA_KEY = "__metadata__";
    /** Headers beyond this are refused before being read, as a damaged length field could claim anything. */
    private static final long MAX_HEADER_BYTES = 100L << 20;

    private Safetensors() {
    }

    // =====================================================================================
    // dtypes
    // =====================================================================================

    private static String code(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> "F32";
            case FLOAT64 -> "F64";
            case INT64 -> "I64";
            case BOOL -> "BOOL";
        };
    }

    /** The dtype a stored code loads as: the 16-bit floats of model hubs are upcast to float32. */
    private static DType dtypeOf(String code) {
        return switch (code) {
            case "F32", "F16", "BF16" -> DType.FLOAT32;
            case "F64" -> DType.FLOAT64;
            case "I64" -> DType.INT64;
            case "BOOL" -> DType.BOOL;
            default -> null;
        };
    }

    /** Bytes per element as stored. */
    private static int storedSize(String code, DType dtype) {
        return code.equals("F16") || code.equals("BF16") ? 2 : dtype.itemSize();
    }

    /**
     * How floating-point tensors are stored: as they are, or narrowed to one of the 16-bit formats
     * that model hubs publish ({@code torch.float16}, {@code torch.bfloat16}); reading upcasts those
     * to float32. Integer and bool tensors are always stored as they are.
     */
    public enum FloatFormat {
        /** float32 as F32, float64 as F64. */
        AS_IS(null),
        /** IEEE half precision, {@code torch.float16}. */
        F16("F16"),
        /** bfloat16, {@code torch.bfloat16}. */
        BF16("BF16");

        private final String code;

        FloatFormat(String code) {
            this.code = code;
        }

        String codeFor(DType dtype) {
            return code != null && (dtype == DType.FLOAT32 || dtype == DType.FLOAT64) ? code : code(dtype);
        }
    }

    // =====================================================================================
    // Writing
    // =====================================================================================

    public static void save(Map<String, Tensor> tensors, Path file) throws IOException {
        save(tensors, Map.of(), file);
    }

    /**
     * Writes {@code tensors} (any device; they are copied to the host) in map order, with
     * {@code metadata} (may be empty). The file appears complete or not at all: the bytes go to a
     * temporary file beside it, which is flushed to disk and then renamed over {@code file}, so a
     * crash or an error halfway leaves any previous file untouched.
     */
    public static void save(Map<String, Tensor> tensors, Map<String, String> metadata, Path file) throws IOException {
        save(tensors, metadata, file, FloatFormat.AS_IS);
    }

    /** As {@link #save(Map, Map, Path)}, with floating-point tensors stored in {@code format} (F16 or BF16 halve the file). */
    public static void save(Map<String, Tensor> tensors, Map<String, String> metadata, Path file, FloatFormat format)
            throws IOException {
        byte[] header = header(tensors, metadata, format);
        AtomicWrite.file(file, tmp -> {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).flip();
                writeFully(ch, length);
                writeFully(ch, ByteBuffer.wrap(header));
                // one tensor at a time, so only one host copy is alive at once
                for (Tensor t : tensors.values()) {
                    writeFully(ch, bytesOf(t, format.codeFor(t.dtype())));
                }
            }
        });
    }

    /** The JSON header, padded with spaces so that 8 + its length is a multiple of 8. */
    static byte[] header(Map<String, Tensor> tensors, Map<String, String> metadata) {
        return header(tensors, metadata, FloatFormat.AS_IS);
    }

    static byte[] header(Map<String, Tensor> tensors, Map<String, String> metadata, FloatFormat format) {
        Map<String, Object> json = new LinkedHashMap<>();
        if (!metadata.isEmpty()) {
            json.put(METADATA_KEY, new LinkedHashMap<>(metadata));
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String name = e.getKey();
            Tensor t = e.getValue();
            if (name == null || name.isEmpty() || name.equals(METADATA_KEY)) {
                throw new IllegalArgumentException("safetensors: invalid tensor name \"" + name + "\"");
            }
            if (t == null) {
                throw new IllegalArgumentException("safetensors: tensor \"" + name + "\" is null");
            }
            String code = format.codeFor(t.dtype());
            long bytes = (long) t.numel() * storedSize(code, t.dtype());
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", code);
            List<Object> shape = new ArrayList<>();
            for (int s : t.shape()) {
                shape.add((long) s);
            }
            info.put("shape", shape);
            info.put("data_offsets", List.of(offset, offset + bytes));
            json.put(name, info);
            offset += bytes;
        }
        byte[] text = Json.write(json).getBytes(StandardCharsets.UTF_8);
        int padded = (text.length + 7) / 8 * 8;
        byte[] out = new byte[padded];
        System.arraycopy(text, 0, out, 0, text.length);
        java.util.Arrays.fill(out, text.length, padded, (byte) ' ');
        return out;
    }

    private static ByteBuffer bytesOf(Tensor tensor, String code) {
        Tensor t = tensor.detach().cpu();
        if (code.equals("F16") || code.equals("BF16")) {
            float[] values = t.dtype() == DType.FLOAT32 ? t.toFloatArray() : t.to(DType.FLOAT32).toFloatArray();
            ByteBuffer b = ByteBuffer.allocate(Math.multiplyExact(values.length, 2)).order(ByteOrder.LITTLE_ENDIAN);
            boolean half = code.equals("F16");
            for (float v : values) {
                b.putShort(half ? HalfFloats.floatToF16(v) : HalfFloats.floatToBf16(v));
            }
            return b.flip();
        }
        ByteBuffer b = ByteBuffer.allocate(Math.multiplyExact(t.numel(), t.dtype().itemSize())).order(ByteOrder.LITTLE_ENDIAN);
        switch (t.dtype()) {
            case FLOAT32 -> b.asFloatBuffer().put(t.toFloatArray());
            case FLOAT64 -> b.asDoubleBuffer().put(t.toDoubleArray());
            case INT64 -> b.asLongBuffer().put(t.toLongArray());
            case BOOL -> {
                for (boolean v : t.toBooleanArray()) {
                    b.put((byte) (v ? 1 : 0));
                }
                b.flip();
            }
        }
        return b;
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    // =====================================================================================
    // Reading
    // =====================================================================================

    /** Every tensor of the file, as CPU tensors, in the header's order. Checks the whole file first. */
    public static LinkedHashMap<String, Tensor> load(Path file) throws IOException {
        return read(file).tensors();
    }

    /** The header's {@code __metadata__} (empty when there is none), after checking the whole file. */
    public static Map<String, String> loadMetadata(Path file) throws IOException {
        return read(file).metadata();
    }

    private record Contents(LinkedHashMap<String, Tensor> tensors, Map<String, String> metadata) {
    }

    /** One tensor's header entry, before its bytes are read. */
    private record Entry(String name, String code, DType dtype, int[] shape, long begin, long end) {
    }

    private static Contents read(Path file) throws IOException {
        long size = Files.size(file);
        if (size < 8) {
            throw invalid(file, "the file is " + size + " bytes long, shorter than the 8-byte header length");
        }
        if (size > Integer.MAX_VALUE - 16) {
            throw invalid(file, "the file is " + size + " bytes long; StepTorch reads files below 2 GiB");
        }
        ByteBuffer all = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        long n = all.getLong(0);
        if (n < 0 || n > size - 8) {
            throw invalid(file, "the header length " + Long.toUnsignedString(n) + " is larger than the file ("
                    + (size - 8) + " bytes after the length field)");
        }
        if (n > MAX_HEADER_BYTES) {
            throw invalid(file, "the header length " + n + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(all.array(), 8, (int) n)).toString();
        } catch (CharacterCodingException e) {
            throw invalid(file, "the header is not valid UTF-8");
        }
        Object json;
        try {
            json = Json.parse(text);
        } catch (Json.ParseException e) {
            throw invalid(file, "the header is not valid JSON: " + e.getMessage());
        }
        if (!(json instanceof Map<?, ?> header)) {
            throw invalid(file, "the header is not a JSON object");
        }
        long dataStart = 8 + n;
        long dataLength = size - dataStart;
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<?, ?> e : header.entrySet()) {
            String name = (String) e.getKey();
            if (name.equals(METADATA_KEY)) {
                readMetadata(file, e.getValue(), metadata);
            } else {
                entries.add(entry(file, name, e.getValue()));
            }
        }
        checkCoverage(file, entries, dataLength);
        LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
        for (Entry e : entries) {
            tensors.put(e.name(), tensorOf(file, e, all.slice((int) (dataStart + e.begin()), (int) (e.end() - e.begin()))
                    .order(ByteOrder.LITTLE_ENDIAN)));
        }
        return new Contents(tensors, metadata);
    }

    private static void readMetadata(Path file, Object value, Map<String, String> out) throws IOException {
        if (!(value instanceof Map<?, ?> map)) {
            throw invalid(file, "\"" + METADATA_KEY + "\" is not a JSON object");
        }
        for (Map.Entry<?, ?> m : map.entrySet()) {
            if (!(m.getValue() instanceof String s)) {
                throw invalid(file, "\"" + METADATA_KEY + "\" entry \"" + m.getKey() + "\" is not a string");
            }
            out.put((String) m.getKey(), s);
        }
    }

    private static Entry entry(Path file, String name, Object value) throws IOException {
        String where = "tensor \"" + name + "\"";
        if (!(value instanceof Map<?, ?> info)) {
            throw invalid(file, where + ": its header entry is not a JSON object");
        }
        for (Object key : info.keySet()) {
            if (!key.equals("dtype") && !key.equals("shape") && !key.equals("data_offsets")) {
                throw invalid(file, where + ": unknown field \"" + key + "\"");
            }
        }
        if (!(info.get("dtype") instanceof String code)) {
            throw invalid(file, where + ": \"dtype\" is missing or not a string");
        }
        DType dtype = dtypeOf(code);
        if (dtype == null) {
            throw invalid(file, where + ": unknown dtype \"" + code + "\" (StepTorch reads F32, F64, I64 and BOOL, and F16 "
                    + "and BF16 as F32)");
        }
        List<Long> dims = integers(file, where, info.get("shape"), "shape", -1);
        List<Long> offsets = integers(file, where, info.get("data_offsets"), "data_offsets", 2);
        int[] shape = new int[dims.size()];
        long numel = 1;
        for (int d = 0; d < shape.length; d++) {
            long s = dims.get(d);
            if (s < 0 || s > Integer.MAX_VALUE) {
                throw invalid(file, where + ": invalid size " + s + " in shape " + dims);
            }
            shape[d] = (int) s;
            numel *= s;
            if (numel > Integer.MAX_VALUE) {
                throw invalid(file, where + ": shape " + dims + " has more elements than StepTorch can hold");
            }
        }
        long begin = offsets.get(0);
        long end = offsets.get(1);
        if (begin < 0 || end < begin) {
            throw invalid(file, where + ": invalid data_offsets " + offsets);
        }
        long needed = numel * storedSize(code, dtype);
        if (end - begin != needed) {
            throw invalid(file, where + ": shape " + dims + " and dtype " + code + " need " + needed
                    + " bytes, but data_offsets " + offsets + " span " + (end - begin));
        }
        return new Entry(name, code, dtype, shape, begin, end);
    }

    private static List<Long> integers(Path file, String where, Object value, String field, int length) throws IOException {
        if (!(value instanceof List<?> list)) {
            throw invalid(file, where + ": \"" + field + "\" is missing or not an array");
        }
        List<Long> out = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof Long l)) {
                throw invalid(file, where + ": \"" + field + "\" holds something other than integers");
            }
            out.add(l);
        }
        if (length >= 0 && out.size() != length) {
            throw invalid(file, where + ": \"" + field + "\" must hold " + length + " integers, got " + out);
        }
        return out;
    }

    /** The tensors' byte ranges, sorted, must tile the data area exactly: no overlap, no hole, nothing after. */
    private static void checkCoverage(Path file, List<Entry> entries, long dataLength) throws IOException {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long pos = 0;
        Entry previous = null;
        for (Entry e : sorted) {
            if (e.end() > dataLength) {
                throw invalid(file, "tensor \"" + e.name() + "\": data_offsets [" + e.begin() + ", " + e.end()
                        + "] lie outside the data area of " + dataLength + " bytes");
            }
            if (e.begin() < pos) {
                throw invalid(file, "tensors \"" + previous.name() + "\" and \"" + e.name() + "\" overlap in the data area");
            }
            if (e.begin() > pos) {
                throw invalid(file, "bytes " + pos + " to " + e.begin() + " of the data area belong to no tensor (a hole before \""
                        + e.name() + "\")");
            }
            pos = e.end();
            previous = e;
        }
        if (pos != dataLength) {
            throw invalid(file, "trailing garbage: " + (dataLength - pos) + " bytes after the last tensor's data");
        }
    }

    private static Tensor tensorOf(Path file, Entry e, ByteBuffer b) throws IOException {
        int numel = (int) ((e.end() - e.begin()) / storedSize(e.code(), e.dtype()));
        Object array;
        if (e.code().equals("F16") || e.code().equals("BF16")) {
            float[] a = new float[numel];
            boolean half = e.code().equals("F16");
            for (int i = 0; i < numel; i++) {
                short bits = b.getShort(2 * i);
                a[i] = half ? HalfFloats.f16ToFloat(bits) : HalfFloats.bf16ToFloat(bits);
            }
            return Torch.fromArray(a, e.shape());
        }
        switch (e.dtype()) {
            case FLOAT32 -> {
                float[] a = new float[numel];
                b.asFloatBuffer().get(a);
                array = a;
            }
            case FLOAT64 -> {
                double[] a = new double[numel];
                b.asDoubleBuffer().get(a);
                array = a;
            }
            case INT64 -> {
                long[] a = new long[numel];
                b.asLongBuffer().get(a);
                array = a;
            }
            default -> {
                boolean[] a = new boolean[numel];
                for (int i = 0; i < numel; i++) {
                    byte v = b.get(i);
                    if (v != 0 && v != 1) {
                        throw invalid(file, "tensor \"" + e.name() + "\": byte " + v + " at element " + i + " is not a bool (0 or 1)");
                    }
                    a[i] = v == 1;
                }
                array = a;
            }
        }
        return Torch.fromArray(array, e.shape());
    }

    private static IOException invalid(Path file, String problem) {
        return new IOException("invalid safetensors file " + file + ": " + problem);
    }
}
