package dev.steptorch.serialization;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON for safetensors headers and checkpoint metadata, read and written by Gson's streaming
 * {@link JsonReader} and {@link JsonWriter}. Values map to Java as: object ->
 * {@code LinkedHashMap<String, Object>} (keys in file order), array -> {@code List<Object>},
 * string -> {@code String}, integer -> {@code Long}.
 *
 * <p>A safetensors header ({@link #parse}) is read strictly: objects, arrays, strings and integers
 * only; fractions, exponents, true/false/null, duplicate keys, comments and trailing commas are
 * errors rather than something guessed at, because a header that is not exactly what a writer
 * would produce is a sign of a damaged file. Checkpoint values ({@link #parseValue}) may also be
 * numbers with fractions (as {@code Double}, NaN and infinities included), booleans and null.
 */
public final class Json {
    /** Deeper nesting is refused, so that a damaged header cannot exhaust the stack; real headers nest 3 deep. */
    static final int MAX_DEPTH = 64;

    private Json() {
    }

    /** Thrown for text that is not the JSON described above; the message says what and where. */
    public static final class ParseException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        ParseException(String message) {
            super(message);
        }
    }

    /** Parses one safetensors header value strictly, allowing whitespace around it and nothing else. */
    public static Object parse(String text) {
        return read(text, false);
    }

    /** Parses one checkpoint value: also fractions, NaN and infinities (as Double), booleans and null. */
    public static Object parseValue(String text) {
        return read(text, true);
    }

    private static Object read(String text, boolean values) {
        try (JsonReader reader = new JsonReader(new StringReader(text))) {
            reader.setStrictness(values ? Strictness.LENIENT : Strictness.STRICT);
            Object value = value(reader, values, 0);
            boolean end;
            try {
                end = reader.peek() == JsonToken.END_DOCUMENT;
            } catch (IOException | IllegalStateException e) {
                end = false; // strict Gson refuses what follows the value before we can name it
            }
            if (!end) {
                throw new ParseException("unexpected characters after the end of the JSON value" + where(reader));
            }
            return value;
        } catch (IOException | IllegalStateException e) { // MalformedJsonException, EOFException; a StringReader does not fail otherwise
            throw new ParseException(plain(e.getMessage()));
        }
    }

    /** Gson's message in a learner's words and on one line: no advice about its own API, no troubleshooting link. */
    private static String plain(String message) {
        String m = message == null ? "malformed JSON" : message;
        m = m.replaceAll("\\s*See https://\\S+", "");
        m = m.replace("Use JsonReader.setStrictness(Strictness.LENIENT) to accept malformed JSON", "malformed JSON");
        return m.strip();
    }

    private static Object value(JsonReader reader, boolean values, int depth) throws IOException {
        JsonToken token = reader.peek();
        switch (token) {
            case BEGIN_OBJECT -> {
                check(depth < MAX_DEPTH, "nesting deeper than " + MAX_DEPTH + " levels", reader);
                Map<String, Object> out = new LinkedHashMap<>();
                reader.beginObject();
                while (reader.hasNext()) {
                    String key = reader.nextName();
                    check(!out.containsKey(key), "duplicate key \"" + key + "\"", reader);
                    out.put(key, value(reader, values, depth + 1));
                }
                reader.endObject();
                return out;
            }
            case BEGIN_ARRAY -> {
                check(depth < MAX_DEPTH, "nesting deeper than " + MAX_DEPTH + " levels", reader);
                List<Object> out = new ArrayList<>();
                reader.beginArray();
                while (reader.hasNext()) {
                    out.add(value(reader, values, depth + 1));
                }
                reader.endArray();
                return out;
            }
            case STRING -> {
                return reader.nextString();
            }
            case NUMBER -> {
                String number = reader.nextString();
                boolean integer = number.chars().allMatch(c -> c == '-' || (c >= '0' && c <= '9'));
                if (integer) {
                    try {
                        return Long.parseLong(number);
                    } catch (NumberFormatException e) {
                        throw new ParseException("integer " + number + " does not fit in 64 bits" + where(reader));
                    }
                }
                check(values, "only integers are allowed here, not fractions or exponents (" + number + ")", reader);
                return Double.parseDouble(number);
            }
            case BOOLEAN -> {
                check(values, "unexpected true/false, expected an object, array, string or integer", reader);
                return reader.nextBoolean();
            }
            case NULL -> {
                check(values, "unexpected null, expected an object, array, string or integer", reader);
                reader.nextNull();
                return null;
            }
            default -> throw new ParseException("unexpected end of text, expected a value" + where(reader));
        }
    }

    private static void check(boolean ok, String message, JsonReader reader) {
        if (!ok) {
            throw new ParseException(message + where(reader));
        }
    }

    private static String where(JsonReader reader) {
        return " at " + reader.getPath();
    }

    /** Writes a value built of maps with string keys, lists, strings, numbers, booleans and null, compactly. */
    public static String write(Object value) {
        StringWriter out = new StringWriter();
        try (JsonWriter writer = new JsonWriter(out)) {
            writer.setStrictness(Strictness.LENIENT); // lets NaN and infinities through, as Python's json does
            writer.setSerializeNulls(true);
            write(value, writer);
        } catch (IOException e) {
            throw new IllegalStateException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    private static void write(Object value, JsonWriter writer) throws IOException {
        if (value == null) {
            writer.nullValue();
        } else if (value instanceof Map<?, ?> map) {
            writer.beginObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                writer.name((String) e.getKey());
                write(e.getValue(), writer);
            }
            writer.endObject();
        } else if (value instanceof List<?> list) {
            writer.beginArray();
            for (Object o : list) {
                write(o, writer);
            }
            writer.endArray();
        } else if (value instanceof String s) {
            writer.value(s);
        } else if (value instanceof Long || value instanceof Integer) {
            writer.value(((Number) value).longValue());
        } else if (value instanceof Double || value instanceof Float) {
            writer.value(((Number) value).doubleValue());
        } else if (value instanceof Boolean b) {
            writer.value(b);
        } else {
            throw new IllegalArgumentException("cannot write " + value.getClass().getSimpleName() + " as JSON");
        }
    }
}
