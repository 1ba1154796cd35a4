package dev.berth.store.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.spi.Hinted;
import dev.berth.spi.StoreStats;
import dev.berth.spi.Written;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * A cold store (a booting node) choosing a slot pays for the listing, not for a GET of every
 * record: the writers' hints beside the values answer the listing. Keys written without a hint
 * (by an older berth) are read once and their hint is kept for the next reader.
 */
class S3HintedListingTest {
    private static final int KEYS = 60;
    private static final Function<byte[], String> HINT_OF = v -> "h:" + new String(v, StandardCharsets.UTF_8);

    private static <T> StoreStats cost(S3ClaimStore store, Supplier<T> call) {
        var before = store.stats();
        call.get();
        return store.stats().minus(before);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @EnumSource(S3TestServers.class)
    void aColdListingOfHintedKeysIsTwoListPagesAndNoGet(S3TestServers server) {
        String prefix = "hinted-" + UUID.randomUUID().toString().substring(0, 8);
        try (var writer = server.open(server.config(), prefix)) {
            for (int k = 0; k < KEYS; k++) {
                var v = "record " + k;
                assertTrue(writer.putIfAbsent("slots/" + k, bytes(v), HINT_OF.apply(bytes(v))) instanceof Written);
            }
            var first = writer.get("slots/5").orElseThrow();
            assertTrue(writer.compareAndSet("slots/5", first.version(), bytes("changed"), "h:changed") instanceof Written);
            try (var cold = server.open(server.config(), prefix)) {
                var listed = new Object() {
                    List<Hinted> result;
                };
                assertEquals(new StoreStats(0, 0, 2, 0), cost(cold, () -> listed.result = cold.listHinted("slots/", HINT_OF)),
                        "a cold listing of " + KEYS + " hinted keys is one LIST of the values and one of the hints, no GET");
                assertEquals(KEYS, listed.result.size());
                var five = listed.result.stream().filter(h -> h.key().equals("slots/5")).findFirst().orElseThrow();
                assertEquals("h:changed", five.hint().orElseThrow(), "the hint of the current version, not of the first");
                assertEquals("2", five.version());
                assertTrue(listed.result.stream().allMatch(h -> h.value().isEmpty()), "no value was read");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(S3TestServers.class)
    void aKeyWrittenWithoutAHintIsReadOnceAndItsHintKeptForTheNextReader(S3TestServers server) {
        String prefix = "hinted-" + UUID.randomUUID().toString().substring(0, 8);
        try (var writer = server.open(server.config(), prefix)) {
            for (int k = 0; k < 10; k++) {
                writer.putIfAbsent("slots/" + k, bytes("v" + k), "h:v" + k);
            }
            var three = writer.get("slots/3").orElseThrow();
            writer.compareAndSet("slots/3", three.version(), bytes("old berth"));   // an older berth: no hint
            writer.putIfAbsent("slots/10", bytes("v10"));                          // no hint at all
            try (var young = server.open(server.config(), prefix)) {
                var cost = cost(young, () -> young.listHinted("slots/", HINT_OF));
                assertEquals(2, cost.reads(), "values without a hint are read: " + cost);
                assertEquals(0, cost.writes(), "but a young value's hint is left to its writer: " + cost);
            }
            try (var cold = server.open(server.config(), prefix).hintSettle(java.time.Duration.ZERO)) {
                var listed = new Object() {
                    List<Hinted> result;
                };
                var firstCost = cost(cold, () -> listed.result = cold.listHinted("slots/", HINT_OF));
                assertEquals(2, firstCost.reads(), "the two keys without a hint for their current version are read: " + firstCost);
                // a hint PUT whose answer was lost is sent again (S3Proxy drops some answers): at least one each
                assertTrue(firstCost.writes() >= 2, "and their hints kept: " + firstCost);
                var byKey = listed.result.stream().collect(java.util.stream.Collectors.toMap(Hinted::key, h -> h));
                assertEquals("h:old berth", byKey.get("slots/3").hint(HINT_OF));
                assertEquals("old berth", new String(byKey.get("slots/3").value().orElseThrow().value(), StandardCharsets.UTF_8),
                        "a value the listing read is given with it");
                assertEquals("h:v10", byKey.get("slots/10").hint(HINT_OF));
            }
            try (var next = server.open(server.config(), prefix)) {
                assertEquals(new StoreStats(0, 0, 2, 0), cost(next, () -> next.listHinted("slots/", HINT_OF)),
                        "the next cold reader finds every hint");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(S3TestServers.class)
    void aHostileOrForeignObjectUnderTheHintsIsIgnoredAndTheValueRead(S3TestServers server) {
        String prefix = "hinted-" + UUID.randomUUID().toString().substring(0, 8);
        try (var writer = server.open(server.config(), prefix)) {
            writer.putIfAbsent("slots/0", bytes("v0"));   // no hint
            var root = new S3Layout(prefix + "/").root();
            try (var s3 = server.rawClient()) {
                for (var name : List.of(S3Layout.HINTS + "slots/0/00000000000000000001.!!notbase64",
                        S3Layout.HINTS + "slots/0/junk", S3Layout.HINTS + "slots/0/00000000000000000009x.aGk")) {
                    s3.putObject(b -> b.bucket(S3TestServers.BUCKET).key(root + name), RequestBody.fromString("x"));
                }
            }
            try (var cold = server.open(server.config(), prefix)) {
                var listed = cold.listHinted("slots/", HINT_OF);
                assertEquals(1, listed.size());
                assertEquals("h:v0", listed.getFirst().hint(HINT_OF), "a hint object that does not parse is not a hint");
                assertEquals("v0", new String(listed.getFirst().value().orElseThrow().value(), StandardCharsets.UTF_8));
            }
            assertThrows(IllegalArgumentException.class, () -> writer.putIfAbsent(S3Layout.HINTS + "x", bytes("x")),
                    "keys may not start with the hints' folder");
        }
    }
}
