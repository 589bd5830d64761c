package dev.steptorch.serialization;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** F16 and BF16 against the values PyTorch gives ({@code torch.tensor(x).half().view(torch.int16)}). */
class HalfFloatsTest {
    @Test
    void knownF16Patterns() {
        assertThat(HalfFloats.floatToF16(1.0f)).isEqualTo((short) 0x3C00);
        assertThat(HalfFloats.floatToF16(-2.0f)).isEqualTo((short) 0xC000);
        assertThat(HalfFloats.floatToF16(65504f)).isEqualTo((short) 0x7BFF);
        assertThat(HalfFloats.floatToF16(65520f)).isEqualTo((short) 0x7C00); // rounds up to infinity
        assertThat(HalfFloats.floatToF16(0.1f)).isEqualTo((short) 0x2E66);
        assertThat(HalfFloats.floatToF16(0x1p-24f)).isEqualTo((short) 0x0001); // smallest subnormal
        assertThat(HalfFloats.floatToF16(0x1p-26f)).isEqualTo((short) 0x0000);
        assertThat(HalfFloats.floatToF16(-0.0f)).isEqualTo((short) 0x8000);
        assertThat(HalfFloats.floatToF16(Float.POSITIVE_INFINITY)).isEqualTo((short) 0x7C00);
        assertThat(HalfFloats.f16ToFloat(HalfFloats.floatToF16(Float.NaN))).isNaN();
        assertThat(HalfFloats.f16ToFloat((short) 0x3555)).isEqualTo(0.33325195f);
        assertThat(HalfFloats.f16ToFloat((short) 0x0001)).isEqualTo(0x1p-24f);
        // ties to even: 1 + 2^-11 lies halfway between 1 and 1 + 2^-10
        assertThat(HalfFloats.floatToF16(1f + 0x1p-11f)).isEqualTo((short) 0x3C00);
        assertThat(HalfFloats.floatToF16(1f + 3 * 0x1p-11f)).isEqualTo((short) 0x3C02);
    }

    @Test
    void knownBf16Patterns() {
        assertThat(HalfFloats.floatToBf16(1.0f)).isEqualTo((short) 0x3F80);
        assertThat(HalfFloats.floatToBf16(0.1f)).isEqualTo((short) 0x3DCD);
        assertThat(HalfFloats.floatToBf16(-3.0e38f)).isEqualTo((short) 0xFF62);
        assertThat(HalfFloats.bf16ToFloat((short) 0x3DCD)).isEqualTo(0.10009765625f);
        assertThat(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(Float.NaN))).isNaN();
    }

    @Property
    void everyF16SurvivesTheRoundTrip(@ForAll short bits) {
        float f = HalfFloats.f16ToFloat(bits);
        if (Float.isNaN(f)) {
            assertThat(HalfFloats.f16ToFloat(HalfFloats.floatToF16(f))).isNaN();
        } else {
            assertThat(HalfFloats.floatToF16(f)).isEqualTo(bits);
        }
    }

    @Property
    void everyBf16SurvivesTheRoundTrip(@ForAll short bits) {
        float f = HalfFloats.bf16ToFloat(bits);
        if (!Float.isNaN(f)) {
            assertThat(HalfFloats.floatToBf16(f)).isEqualTo(bits);
        }
    }

    @Property
    void narrowingPicksTheNearestF16(@ForAll float x) {
        if (Float.isNaN(x) || Math.abs(x) > 65504f) {
            return;
        }
        float rounded = HalfFloats.f16ToFloat(HalfFloats.floatToF16(x));
        float ulp = Math.abs(x) < 0x1p-14f ? 0x1p-24f : Math.ulp(rounded) * 8192;
        assertThat((double) Math.abs(rounded - x)).isLessThanOrEqualTo(ulp / 2.0);
    }
}
