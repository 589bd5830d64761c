package dev.steptorch.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steptorch.tensor.DType;
import dev.steptorch.tensor.Options;
import dev.steptorch.tensor.Tensor;
import dev.steptorch.tensor.Torch;
import dev.steptorch.tensor.cpu.CpuStorage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The safetensors writer and reader: round trips, the exact bytes, every kind of damage, atomic writes. */
class SafetensorsTest {
    @TempDir
    Path dir;

    // =====================================================================================
    // Round trips
    // =====================================================================================

    @Test
    void roundTripKeepsEveryDtypeShapeValueAndTheOrder() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("zeta.f32", Torch.tensor(new float[][] {{1.5f, -0.0f, Float.NaN}, {Float.POSITIVE_INFINITY, 1e-45f, 3}}));
        tensors.put("alpha.f64", Torch.tensor(Math.PI, Options.dtype(DType.FLOAT64)));
        tensors.put("i64", Torch.tensor(new long[] {Long.MIN_VALUE, -1, 0, Long.MAX_VALUE}));
        tensors.put("mask", Torch.tensor(new boolean[][] {{true, false}, {false, true}}));
        tensors.put("empty", Torch.zeros(0, 3));
        tensors.put("empty.i64", Torch.zeros(Options.dtype(DType.INT64), 2, 0));
        tensors.put("scalar.bool", Torch.tensor(true));
        tensors.put("transposed", Torch.arange(0, 6, 1, Options.dtype(DType.FLOAT32)).reshape(2, 3).t());
        Path file = dir.resolve("all.safetensors");
        Safetensors.save(tensors, Map.of("format", "pt"), file);

        LinkedHashMap<String, Tensor> back = Safetensors.load(file);
        assertThat(back.keySet()).containsExactlyElementsOf(tensors.keySet());
        for (String name : tensors.keySet()) {
            Tensor a = tensors.get(name);
            Tensor b = back.get(name);
            assertThat(b.dtype()).as(name).isEqualTo(a.dtype());
            assertThat(b.shape()).as(name).isEqualTo(a.shape());
            assertThat(b.device()).as(name).isEqualTo(dev.steptorch.tensor.Device.CPU);
            switch (a.dtype()) {
                // Arrays.equals on float[] tells -0.0 from 0.0 and treats NaN as equal to itself: bit-exact
                case FLOAT32 -> assertThat(Arrays.equals(b.toFloatArray(), a.toFloatArray())).as(name).isTrue();
                case FLOAT64 -> assertThat(Arrays.equals(b.toDoubleArray(), a.toDoubleArray())).as(name).isTrue();
                case INT64 -> assertThat(b.toLongArray()).as(name).isEqualTo(a.toLongArray());
                case BOOL -> assertThat(b.toBooleanArray()).as(name).isEqualTo(a.toBooleanArray());
            }
        }
        assertThat(back.get("transposed").toFloatArray()).containsExactly(0, 3, 1, 4, 2, 5);
        assertThat(Safetensors.loadMetadata(file)).containsExactlyEntriesOf(Map.of("format", "pt"));
    }

    @Test
    void anEmptyMapMakesAValidFile() throws IOException {
        Path file = dir.resolve("none.safetensors");
        Safetensors.save(Map.of(), file);
        assertThat(Safetensors.load(file)).isEmpty();
        assertThat(Files.readAllBytes(file)).containsExactly(8, 0, 0, 0, 0, 0, 0, 0, '{', '}', ' ', ' ', ' ', ' ', ' ', ' ');
    }

    @Test
    void headerIsByteExact() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("w", Torch.tensor(new float[] {1.5f, -2f}));
        tensors.put("n", Torch.tensor(7L));
        Path file = dir.resolve("exact.safetensors");
        Safetensors.save(tensors, Map.of("format", "pt"), file);

        String json = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"n\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[8,16]}}";
        assertThat(json.length()).isEqualTo(138); // so 6 spaces of padding make the header 144 bytes and 8 + 144 a multiple of 8
        byte[] bytes = Files.readAllBytes(file);
        assertThat(Arrays.copyOfRange(bytes, 0, 8)).containsExactly(144, 0, 0, 0, 0, 0, 0, 0);
        assertThat(new String(bytes, 8, 144, StandardCharsets.UTF_8)).isEqualTo(json + "      ");
        assertThat(Arrays.copyOfRange(bytes, 152, bytes.length)).containsExactly(
                0x00, 0x00, 0xC0 - 256, 0x3F,          // 1.5f
                0x00, 0x00, 0x00, 0xC0 - 256,          // -2f
                7, 0, 0, 0, 0, 0, 0, 0);              // 7L
    }

    @Test
    void namesAndTensorsAreCheckedBeforeAnythingIsWritten() {
        Path file = dir.resolve("bad.safetensors");
        Map<String, Tensor> reserved = Map.of("__metadata__", Torch.zeros(1));
        assertThatThrownBy(() -> Safetensors.save(reserved, file)).hasMessageContaining("invalid tensor name \"__metadata__\"");
        Map<String, Tensor> withNull = new LinkedHashMap<>();
        withNull.put("x", null);
        assertThatThrownBy(() -> Safetensors.save(withNull, file)).hasMessageContaining("tensor \"x\" is null");
        assertThat(file).doesNotExist();
    }

    // =====================================================================================
    // Damaged files
    // =====================================================================================

    private static final String GOOD_ENTRY = "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";

    @Test
    void fileShorterThanTheLengthField() throws IOException {
        assertInvalid(write(new byte[] {1, 2, 3, 4, 5}), "5 bytes long, shorter than the 8-byte header length");
    }

    @Test
    void headerLengthBeyondTheFile() throws IOException {
        assertInvalid(raw(100, "{}", new byte[0]), "header length 100 is larger than the file (2 bytes after the length field)");
        assertInvalid(raw(-1, "{}", new byte[0]), "header length 18446744073709551615 is larger than the file");
    }

    @Test
    void headerThatIsNotJson() throws IOException {
        assertInvalid(file("{\"a\":", new byte[0]), "the header is not valid JSON");
        assertInvalid(file("{" + GOOD_ENTRY + ",}", new byte[8]), "the header is not valid JSON");
        assertInvalid(file("{" + GOOD_ENTRY + "} x", new byte[8]), "unexpected characters after the end of the JSON value");
        assertInvalid(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2.0],\"data_offsets\":[0,8]}}", new byte[8]),
                "only integers are allowed");
        assertInvalid(file("{" + GOOD_ENTRY + "," + GOOD_ENTRY + "}", new byte[8]), "duplicate key \"a\"");
        assertInvalid(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"x\":null}}", new byte[8]),
                "the header is not valid JSON");
        byte[] notUtf8 = {'{', '"', (byte) 0xFF, '"', ':', '1', '}', ' '};
        assertInvalid(raw(notUtf8.length, notUtf8, new byte[0]), "the header is not valid UTF-8");
    }

    @Test
    void headerThatIsNotAnObject() throws IOException {
        assertInvalid(file("[1, 2]", new byte[0]), "the header is not a JSON object");
        assertInvalid(file("{\"a\":[0,8]}", new byte[8]), "tensor \"a\": its header entry is not a JSON object");
    }

    @Test
    void entriesWithMissingOrUnknownFields() throws IOException {
        assertInvalid(file("{\"a\":{\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[8]), "tensor \"a\": \"dtype\" is missing");
        assertInvalid(file("{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}", new byte[8]), "\"shape\" is missing");
        assertInvalid(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"extra\":\"1\"}}", new byte[8]),
                "unknown field \"extra\"");
        assertInvalid(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4,8]}}", new byte[8]),
                "\"data_offsets\" must hold 2 integers");
        assertInvalid(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", new byte[8]),
                "invalid size -2");
        assertInvalid(file("{\"__metadata__\":{\"k\":1}," + GOOD_ENTRY + "}", new byte[8]),
                "\"__metadata__\" entry \"k\" is not a string");
    }

    @Test
    void unknownDtype() throws IOException {
        assertInvalid(file("{\"a\":{\"dtype\":\"F8_E4M3\",\"shape\":[2],\"data_offsets\":[0,2]}}", new byte[2]),
                "tensor \"a\": unknown dtype \"F8_E4M3\" (StepTorch reads F32, F64, I64 and BOOL, and F16 and BF16 as F32)");
    }

    @Test
    void halfAndBfloat16AreReadAsFloat32AndWrittenHalfTheSize() throws IOException {
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("w", Torch.tensor(new float[] {1f, -2.5f, 0.1f, 65504f}));
        Path f32 = dir.resolve("w32.safetensors");
        Path f16 = dir.resolve("w16.safetensors");
        Path bf16 = dir.resolve("wbf16.safetensors");
        Safetensors.save(t, Map.of(), f32);
        Safetensors.save(t, Map.of(), f16, Safetensors.FloatFormat.F16);
        Safetensors.save(t, Map.of(), bf16, Safetensors.FloatFormat.BF16);
        assertThat(Files.size(f16)).isLessThan(Files.size(f32));
        assertThat(Safetensors.load(f16).get("w").dtype()).isEqualTo(DType.FLOAT32);
        assertThat(Safetensors.load(f16).get("w").toFloatArray()).containsExactly(1f, -2.5f, 0.099975586f, 65504f);
        assertThat(Safetensors.load(bf16).get("w").toFloatArray()).containsExactly(1f, -2.5f, 0.10009765625f, 65536f);
        // integer tensors stay as they are
        Map<String, Tensor> ints = Map.of("n", Torch.tensor(new long[] {7, -1}));
        Path i64 = dir.resolve("n.safetensors");
        Safetensors.save(ints, Map.of(), i64, Safetensors.FloatFormat.F16);
        assertThat(Safetensors.load(i64).get("n").toLongArray()).containsExactly(7, -1);
        // an F16 entry whose offsets do not fit its shape is refused as for any dtype
        assertInvalid(file("{\"a\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[0,4]}}", new byte[4]),
                "tensor \"a\": shape [3] and dtype F16 need 6 bytes, but data_offsets [0, 4] span 4");
    }

    @Test
    void shapeAndOffsetsDisagree() throws IOException {
        assertInvalid(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", new byte[8]),
                "tensor \"a\": shape [3] and dtype F32 need 12 bytes, but data_offsets [0, 8] span 8");
    }

    @Test
    void offsetsOutsideTheDataArea() throws IOException {
        assertInvalid(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", new byte[8]),
                "tensor \"a\": data_offsets [4, 12] lie outside the data area of 8 bytes");
    }

    @Test
    void overlappingTensors() throws IOException {
        String b = "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}";
        assertInvalid(file("{" + GOOD_ENTRY + "," + b + "}", new byte[12]), "tensors \"a\" and \"b\" overlap");
    }

    @Test
    void holeBetweenTensors() throws IOException {
        String b = "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[12,16]}";
        assertInvalid(file("{" + GOOD_ENTRY + "," + b + "}", new byte[16]),
                "bytes 8 to 12 of the data area belong to no tensor");
    }

    @Test
    void trailingGarbage() throws IOException {
        assertInvalid(file("{" + GOOD_ENTRY + "}", new byte[11]), "trailing garbage: 3 bytes after the last tensor's data");
    }

    @Test
    void boolBytesOtherThanZeroAndOne() throws IOException {
        assertInvalid(file("{\"m\":{\"dtype\":\"BOOL\",\"shape\":[2],\"data_offsets\":[0,2]}}", new byte[] {1, 2}),
                "tensor \"m\": byte 2 at element 1 is not a bool");
    }

    @Test
    void acceptsTensorsListedInAnotherOrderThanTheirBytes() throws IOException {
        String b = "\"b\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[0,8]}";
        String a = "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}";
        ByteBuffer data = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(42).putFloat(1f).putFloat(2f);
        LinkedHashMap<String, Tensor> back = Safetensors.load(file("{" + a + "," + b + "}", data.array()));
        assertThat(back.keySet()).containsExactly("a", "b");
        assertThat(back.get("a").toFloatArray()).containsExactly(1f, 2f);
        assertThat(back.get("b").itemLong()).isEqualTo(42);
    }

    private static void assertInvalid(Path file, String problem) {
        assertThatThrownBy(() -> Safetensors.load(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining(problem);
    }

    private int counter;

    private Path write(byte[] bytes) throws IOException {
        Path file = dir.resolve("damaged" + counter++ + ".safetensors");
        Files.write(file, bytes);
        return file;
    }

    /** A file with a correct length field. */
    private Path file(String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return raw(h.length, h, data);
    }

    private Path raw(long length, String header, byte[] data) throws IOException {
        return raw(length, header.getBytes(StandardCharsets.UTF_8), data);
    }

    private Path raw(long length, byte[] header, byte[] data) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(length).put(header).put(data);
        return write(b.array());
    }

    // =====================================================================================
    // Atomic writes
    // =====================================================================================

    @Test
    void writingLeavesNoTemporaryFiles() throws IOException {
        Path file = dir.resolve("model.safetensors");
        Safetensors.save(Map.of("x", Torch.ones(3)), file);
        Safetensors.save(Map.of("x", Torch.zeros(4)), file);
        assertThat(listing()).containsExactly("model.safetensors");
        assertThat(Safetensors.load(file).get("x").toFloatArray()).containsExactly(0, 0, 0, 0);
    }

    @Test
    void aTensorThatFailsHalfwayLeavesTheOldFileIntact() throws IOException {
        Path file = dir.resolve("model.safetensors");
        Safetensors.save(Map.of("x", Torch.ones(3)), file);
        byte[] before = Files.readAllBytes(file);
        // claims 1000 elements over a storage of 2: its header entry is fine, reading its data fails
        Tensor broken = Tensor.wrap(CpuStorage.over(new float[2]), new int[] {1000}, new int[] {1}, 0);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("fine", Torch.ones(100));
        tensors.put("broken", broken);
        assertThatThrownBy(() -> Safetensors.save(tensors, file)).isInstanceOf(RuntimeException.class);
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        assertThat(listing()).containsExactly("model.safetensors");
    }

    @Test
    void aFailedRenameLeavesNoTemporaryFile() throws IOException {
        // a non-empty directory where the file should go: every step works except the final rename
        Path target = Files.createDirectory(dir.resolve("taken.safetensors"));
        Files.writeString(target.resolve("keep.txt"), "keep");
        assertThatThrownBy(() -> Safetensors.save(Map.of("x", Torch.ones(2)), target)).isInstanceOf(IOException.class);
        assertThat(listing()).containsExactly("taken.safetensors");
        assertThat(Files.readString(target.resolve("keep.txt"))).isEqualTo("keep");
    }

    private List<String> listing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
