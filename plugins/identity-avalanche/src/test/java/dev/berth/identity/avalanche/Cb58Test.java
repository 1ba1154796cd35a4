package dev.berth.identity.avalanche;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;

class Cb58Test {
    // Vectors from avalanchego utils/cb58/cb58_test.go (TestEncodeDecode).
    @Test
    void encodesAvalanchegoVectorsAndRoundTrips() {
        var id = new byte[32];
        for (int i = 0; i < 32; i++) {
            id[i] = (byte) (i + 1);
        }
        check(new byte[0], "45PJLL");
        check(new byte[] {0}, "1c7hwa");
        check(new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, (byte) 255}, "1NVSVezva3bAtJesnUj");
        check(id, "SkB92YpWm4Q2ijQHH34cqbKkCZWszsiQgHVjtNeFF2HdvDQU");
    }

    @Test
    void corruptedChecksumIsRejected() {
        var good = Cb58.encode(HexFormat.of().parseHex("00112233"));
        var bad = good.substring(0, good.length() - 1) + (good.endsWith("2") ? "3" : "2");
        assertThrows(IllegalArgumentException.class, () -> Cb58.decode(bad));
        assertThrows(IllegalArgumentException.class, () -> Cb58.decode("0OIl"));
    }

    private static void check(byte[] payload, String text) {
        assertEquals(text, Cb58.encode(payload));
        assertArrayEquals(payload, Cb58.decode(text));
    }
}
