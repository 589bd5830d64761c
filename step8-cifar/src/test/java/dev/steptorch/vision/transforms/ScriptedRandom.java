package dev.steptorch.vision.transforms;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Random;

/** A generator that hands out given values, so a test fixes what a random transform draws. */
final class ScriptedRandom extends Random {
    private final Deque<Integer> ints = new ArrayDeque<>();
    private final Deque<Double> doubles = new ArrayDeque<>();

    ScriptedRandom withInts(int... values) {
        for (int v : values) {
            ints.add(v);
        }
        return this;
    }

    ScriptedRandom withDoubles(double... values) {
        for (double v : values) {
            doubles.add(v);
        }
        return this;
    }

    @Override
    public int nextInt(int bound) {
        int v = ints.remove();
        if (v < 0 || v >= bound) {
            throw new AssertionError("scripted int " + v + " outside [0, " + bound + ")");
        }
        return v;
    }

    @Override
    public double nextDouble() {
        return doubles.remove();
    }

    boolean exhausted() {
        return ints.isEmpty() && doubles.isEmpty();
    }
}
