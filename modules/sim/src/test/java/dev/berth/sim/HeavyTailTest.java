package dev.berth.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HeavyTailTest {
    private static final int DRAWS = 200_000;

    private static long[] sorted(HeavyTail tail, long seed) {
        var random = new SplittableRandom(seed);
        var draws = new long[DRAWS];
        for (int i = 0; i < DRAWS; i++) {
            draws[i] = tail.draw(random);
        }
        Arrays.sort(draws);
        return draws;
    }

    private static long quantile(long[] sorted, double q) {
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    }

    @Test
    void anAttachLatencyHasItsMedianAndP99AndNeverPassesItsMaximum() {
        var attach = HeavyTail.seconds(5, 60, 240);
        var draws = sorted(attach, 42);
        long p50 = quantile(draws, 0.50);
        long p99 = quantile(draws, 0.99);
        assertTrue(Math.abs(p50 - 5_000) < 150, "p50 " + p50);
        assertTrue(Math.abs(p99 - 60_000) < 3_000, "p99 " + p99);
        assertTrue(draws[DRAWS - 1] <= 240_000, "max " + draws[DRAWS - 1]);
        long beyondThreeMinutes = Arrays.stream(draws).filter(d -> d > 180_000).count();
        assertTrue(beyondThreeMinutes > 0 && beyondThreeMinutes < DRAWS / 500,
                "several minutes is rare but happens: " + beyondThreeMinutes + " of " + DRAWS);
        assertTrue(draws[0] >= 1);
    }

    @Test
    void theSameSeedGivesTheSameDraws() {
        var tail = HeavyTail.seconds(0.1, 1.5, 10);
        var a = new SplittableRandom(7);
        var b = new SplittableRandom(7);
        for (int i = 0; i < 1_000; i++) {
            assertEquals(tail.draw(a), tail.draw(b));
        }
    }

    @Test
    void aFixedTailIsExactlyItsValue() {
        var random = new SplittableRandom(1);
        assertEquals(400_000, HeavyTail.fixed(400_000).draw(random));
        assertEquals(0, HeavyTail.fixed(0).draw(random));
    }
}
