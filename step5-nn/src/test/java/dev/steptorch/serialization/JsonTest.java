package dev.steptorch.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The JSON of safetensors headers (exactly objects, arrays, strings and integers) and of checkpoint
 * values, read and written through Gson.
 */
class JsonTest {
    @Test
    void parsesNestedValuesKeepingKeyOrder() {
        Object v = Json.parse(" {\"b\": [1, -2, 0], \"a\": {\"x\": \"y\"}, \"c\": []} \n");
        assertThat(v).isInstanceOf(Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) v;
        assertThat(m.keySet()).containsExactly("b", "a", "c");
        assertThat(m.get("b")).isEqualTo(List.of(1L, -2L, 0L));
        assertThat(m.get("a")).isEqualTo(Map.of("x", "y"));
        assertThat(m.get("c")).isEqualTo(List.of());
    }

    @Test
    void decodesEveryEscape() {
        assertThat(Json.parse("\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u00e9\\u20AC \\ud83d\\ude00\""))
                .isEqualTo("q\" b\\ s/ \b\f\n\r\t é€ \uD83D\uDE00");
    }

    @Test
    void writesCompactlyAndReadsBackWhatItWrote() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name \"quoted\"\n\u0001", List.of(0L, 9_007_199_254_740_993L));
        m.put("ünï", Map.of("k", "tab\there"));
        String text = Json.write(m);
        assertThat(text).isEqualTo("{\"name \\\"quoted\\\"\\n\\u0001\":[0,9007199254740993],\"ünï\":{\"k\":\"tab\\there\"}}");
        assertThat(Json.parse(text)).isEqualTo(m);
    }

    @Test
    void rejectsEverythingElse() {
        for (String bad : new String[] {"1.5", "1e3", "true", "null", "01", "-", "\"open", "[1,]", "{\"a\":1,}", "{\"a\" 1}",
            "{a:1}", "[1 2]", "\"\\x\"", "\"\\u12G4\"", "\"a\u0001\"", "{} {}", "", "99999999999999999999"}) {
            assertThatThrownBy(() -> Json.parse(bad)).as(bad).isInstanceOf(Json.ParseException.class);
        }
        assertThatThrownBy(() -> Json.parse("{\"a\":1,\"a\":2}")).hasMessageContaining("duplicate key \"a\"");
        assertThatThrownBy(() -> Json.parse("[".repeat(100_000))).hasMessageContaining("nesting deeper than 64 levels");
        assertThat(Json.parse("[".repeat(64) + "]".repeat(64))).isInstanceOf(List.class);
        assertThatThrownBy(() -> Json.write(new Object())).hasMessageContaining("cannot write Object as JSON");
    }

    @Test
    void gsonsMessagesArriveOnOneLineWithoutItsApiAdvice() {
        assertThatThrownBy(() -> Json.parse("[1,]")).hasMessageStartingWith("malformed JSON at line 1 column")
                .hasMessageNotContaining("\n").hasMessageNotContaining("setStrictness").hasMessageNotContaining("https://");
    }

    @Test
    void checkpointValuesAlsoTakeFractionsBooleansNullAndNonFiniteNumbers() {
        assertThat(Json.parseValue("0.01")).isEqualTo(0.01);
        assertThat(Json.parseValue("3")).isEqualTo(3L);
        assertThat(Json.parseValue("false")).isEqualTo(false);
        assertThat(Json.parseValue("null")).isNull();
        assertThat(Json.parseValue("[2.0,1.5,1.0E-17]")).isEqualTo(List.of(2.0, 1.5, 1e-17));
        assertThat(Json.write(List.of(1.5, Double.NaN, 3L, true))).isEqualTo("[1.5,NaN,3,true]");
        assertThatThrownBy(() -> Json.parseValue("zero point one")).isInstanceOf(Json.ParseException.class);
    }
}
