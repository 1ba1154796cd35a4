package dev.berth.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.claim.ClaimOutcome;
import dev.berth.core.claim.ClaimSettings;
import dev.berth.core.slot.SlotCodec;
import dev.berth.core.slot.SlotKeys;
import dev.berth.core.slot.SlotRepository;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Records berth cannot trust are named with their key and never claimed, created over or overwritten. */
class HostileRecordsTest {
    private static final String NOT_JSON = "{this is not json";
    private static final String FUTURE_SCHEMA = """
            {"schema":99,"cluster":"sim","slot":1,"epoch":3,"retiredVolumes":[],"formatted":false}""";
    private static final String LONG_HOLDER = """
            {"schema":1,"cluster":"sim","slot":2,"epoch":1,"holder":{"instanceId":"%s","zone":"us-east-1a","sinceMillis":0},\
            "retiredVolumes":[],"formatted":false}""".formatted("i-" + "x".repeat(300));

    private static SimStore hostileStore() {
        var store = new SimStore();
        var keys = new SlotKeys("sim");
        store.seed(keys.slot(0), NOT_JSON.getBytes(StandardCharsets.UTF_8));
        store.seed(keys.slot(1), FUTURE_SCHEMA.getBytes(StandardCharsets.UTF_8));
        store.seed(keys.slot(2), LONG_HOLDER.getBytes(StandardCharsets.UTF_8));
        return store;
    }

    private static ClaimSettings settings(int capacity) {
        var s = Simulation.settings(SimulationRequest.of(Scenario.MASS_BOOT, 1, 1, 1));
        return new ClaimSettings(s.cluster(), OptionalInt.of(capacity), s.volume(), s.identity(), s.whenFull(), s.crossZone(),
                new ClaimSettings.Waits(1_000, 30_000, 30_000, 60_000, 60_000, 60_000, 900_000, 120_000, 8, 4), s.envFile(),
                OptionalInt.empty());
    }

    @Test
    void eachUntrustedRecordIsNamedWithItsKeyAndWhatIsWrong() {
        var repo = new SlotRepository(hostileStore(), new SlotKeys("sim"), new SlotCodec(), new SlotRepository.CallWrapper() {
            @Override
            public <T> T call(String what, Supplier<T> call) {
                return call.get();
            }
        });
        var table = repo.readAll();
        assertEquals(List.of(), table.slots());
        var messages = table.corrupt().stream().map(Throwable::getMessage).toList();
        assertEquals(3, messages.size());
        assertTrue(messages.get(0).contains("clusters/sim/slots/0") && messages.get(0).contains("not valid JSON"), messages.get(0));
        assertTrue(messages.get(1).contains("clusters/sim/slots/1") && messages.get(1).contains("schema version is 99"),
                messages.get(1));
        assertTrue(messages.get(2).contains("clusters/sim/slots/2") && messages.get(2).contains("too long"), messages.get(2));
        messages.forEach(m -> assertTrue(m.contains("will not claim or overwrite"), m));
    }

    @Test
    void aClaimGoesAroundUntrustedRecordsAndNeverOverwritesThem() {
        var store = hostileStore();
        var before = snapshot(store);
        var log = new ArrayList<String>();
        var outcome = LocalClaim.claim(settings(4), store, "i-0123456789abcdef0", "us-east-1a", 4, 1, log::add, (f, v) -> { });
        var claimed = assertInstanceOf(ClaimOutcome.Claimed.class, outcome);
        assertEquals(3, claimed.lease().slot(), "the only slot number not taken by an untrusted record");
        for (int n = 0; n < 3; n++) {
            assertArrayEquals(before.get(n), store.get(new SlotKeys("sim").slot(n)).orElseThrow().value(), "slot " + n + " untouched");
        }
        assertTrue(log.stream().anyMatch(l -> l.contains("clusters/sim/slots/0")), String.join("\n", log));
    }

    @Test
    void whenOnlyUntrustedRecordsAreLeftTheClusterIsFullAndSaysWhy() {
        var store = hostileStore();
        var before = snapshot(store);
        var outcome = LocalClaim.claim(settings(3), store, "i-0123456789abcdef0", "us-east-1a", 3, 1, m -> { }, (f, v) -> { });
        var full = assertInstanceOf(ClaimOutcome.Full.class, outcome);
        assertTrue(full.detail().contains("0 held by a live instance, 3 with a record berth cannot trust"), full.detail());
        for (int n = 0; n < 3; n++) {
            assertArrayEquals(before.get(n), store.get(new SlotKeys("sim").slot(n)).orElseThrow().value());
        }
    }

    private static List<byte[]> snapshot(SimStore store) {
        var keys = new SlotKeys("sim");
        var result = new ArrayList<byte[]>();
        for (int n = 0; n < 3; n++) {
            result.add(store.get(keys.slot(n)).orElseThrow().value());
        }
        return result;
    }
}
