package dev.steptorch.serialization;

/**
 * The two 16-bit float formats of model files, converted to and from {@code float}: IEEE half
 * precision ({@code F16}: 1 sign, 5 exponent, 10 fraction bits) and bfloat16 ({@code BF16}: the top
 * 16 bits of a float32). Widening is exact; narrowing rounds to nearest, ties to even, as PyTorch's
 * {@code tensor.half()} and {@code tensor.bfloat16()} do, and keeps infinities and NaN.
 */
public final class HalfFloats {
    private HalfFloats() {
    }

    /** The float an F16 bit pattern stands for (exactly). */
    public static float f16ToFloat(short bits) {
        int h = bits & 0xFFFF;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1F;
        int fraction = h & 0x3FF;
        if (exponent == 0x1F) { // infinity or NaN
            return Float.intBitsToFloat(sign | 0x7F800000 | (fraction << 13));
        }
        if (exponent == 0) {
            if (fraction == 0) {
                return Float.intBitsToFloat(sign); // signed zero
            }
            // subnormal: fraction * 2^-24
            float value = fraction * 0x1p-24f;
            return sign != 0 ? -value : value;
        }
        return Float.intBitsToFloat(sign | ((exponent + 127 - 15) << 23) | (fraction << 13));
    }

    /** The nearest F16 (ties to even); values beyond its range (65504) become infinities. */
    public static short floatToF16(float value) {
        int f = Float.floatToRawIntBits(value);
        int sign = (f >>> 16) & 0x8000;
        int exponent = (f >>> 23) & 0xFF;
        int fraction = f & 0x7FFFFF;
        if (exponent == 0xFF) {
            return (short) (sign | 0x7C00 | (fraction != 0 ? 0x200 | (fraction >>> 13) : 0));
        }
        int e = exponent - 127 + 15;
        if (e >= 0x1F) {
            return (short) (sign | 0x7C00); // overflow to infinity
        }
        if (e <= 0) {
            if (e < -10) {
                return (short) sign; // underflow to zero
            }
            // subnormal: shift the fraction (with its hidden bit) into place, rounding to nearest even
            int m = fraction | 0x800000;
            int shift = 14 - e;
            int half = m >>> shift;
            int rest = m & ((1 << shift) - 1);
            int midpoint = 1 << (shift - 1);
            if (rest > midpoint || (rest == midpoint && (half & 1) != 0)) {
                half++;
            }
            return (short) (sign | half);
        }
        int half = (e << 10) | (fraction >>> 13);
        int rest = fraction & 0x1FFF;
        if (rest > 0x1000 || (rest == 0x1000 && (half & 1) != 0)) {
            half++; // may carry into the exponent, up to infinity, which is right
        }
        return (short) (sign | half);
    }

    /** The float a BF16 bit pattern stands for (exactly). */
    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    /** The nearest BF16 (ties to even); NaN stays NaN. */
    public static short floatToBf16(float value) {
        int f = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (short) ((f >>> 16) | 0x40); // quiet NaN, whatever its payload
        }
        int rounded = f + 0x7FFF + ((f >>> 16) & 1);
        return (short) (rounded >>> 16);
    }
}
