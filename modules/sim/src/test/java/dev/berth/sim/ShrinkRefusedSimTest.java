package dev.berth.sim;

import static dev.berth.sim.RegressionScenariosTest.only;
import static dev.berth.sim.RegressionScenariosTest.ready;
import static dev.berth.sim.RegressionScenariosTest.slot;
import static dev.berth.sim.RegressionScenariosTest.world;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.spi.ConfigException;
import org.junit.jupiter.api.Test;

/** A {@code volume.sizeGiB} smaller than the slot's volume: exit 2 (a ConfigException), and nothing half-done. */
class ShrinkRefusedSimTest {
    private static final long MINUTE = 60_000;

    private static ConfigException refusal(World w, int before) {
        assertTrue(w.runUntil(() -> w.processes.failures.size() > before, 10 * MINUTE), "the claim must fail");
        var e = w.processes.failures.get(before);
        assertTrue(e instanceof ConfigException, () -> "a configuration error (exit 2), not " + e);
        return (ConfigException) e;
    }

    /** The one expected complaint of the simulator: a claim error no planned fault explains (the operator's config). */
    private static void onlyTheConfigErrorIsReported(World w) {
        var others = w.trace.violations.stream().filter(v -> !v.invariant().startsWith("no claim error without a fault")).toList();
        assertTrue(others.isEmpty(), others::toString);
    }

    @Test
    void aReRunWithASmallerSizeIsRefusedAndTheHeldSlotStaysAsItWas() {
        var w = world(1, 21);
        w.group.setDesired(1);
        var node = only(w);
        node.settingsOverride = BerthProcesses.withVolumeSize(w.settings, 200);
        assertTrue(w.runUntil(() -> ready(node), 10 * MINUTE));
        var before = slot(w, 0);
        var volumeId = before.volume().volumeId();

        node.settingsOverride = BerthProcesses.withVolumeSize(w.settings, 100);
        int failures = w.processes.failures.size();
        w.processes.startBerth(node);   // a re-run beside the running workload, after someone lowered volume.sizeGiB
        var e = refusal(w, failures);
        for (var part : new String[] {"volume.sizeGiB is 100 GiB", volumeId, "slot 0", "200 GiB", "cannot shrink",
                "at least 200"}) {
            assertTrue(e.getMessage().contains(part), () -> "'" + part + "' missing in: " + e.getMessage());
        }
        var after = slot(w, 0);
        assertEquals(node.id, after.holder().instanceId(), "the slot this instance held stays held");
        assertEquals(before.epoch(), after.epoch());
        assertEquals(200, w.ebs.volumes.get(volumeId).sizeGiB);
        assertTrue(ready(node), "the workload keeps its mounted volume");
        onlyTheConfigErrorIsReported(w);
    }

    @Test
    void aReplacementWithASmallerSizeLetsTheSlotGoUntouchedAndClaimsOnceTheSizeIsRaised() {
        var w = world(1, 22);
        w.group.setDesired(1);
        var first = only(w);
        first.settingsOverride = BerthProcesses.withVolumeSize(w.settings, 200);
        assertTrue(w.runUntil(() -> ready(first), 10 * MINUTE));
        var volumeId = slot(w, 0).volume().volumeId();
        long epoch = slot(w, 0).epoch();
        w.group.desired = 0;
        w.group.terminate(first, "replaced");
        assertTrue(w.runUntil(first::terminated, 30 * MINUTE));

        w.group.desired = 1;
        var replacement = w.group.launch(first.zone);
        replacement.settingsOverride = BerthProcesses.withVolumeSize(w.settings, 100);
        var e = refusal(w, w.processes.failures.size());
        assertTrue(e.getMessage().contains("let the slot go again"), e::getMessage);
        var after = slot(w, 0);
        assertNull(after.holder(), "the slot is free again, not held by a claim that cannot finish");
        assertEquals(epoch + 1, after.epoch(), "the epoch this claim took stays raised (fencing)");
        assertEquals(volumeId, after.volume().volumeId());
        assertNull(replacement.mountedVolume, "nothing was attached or mounted");
        assertTrue(w.ebs.snapshots.isEmpty(), "no snapshot, no move");
        assertEquals(1, w.ebs.volumes.size(), "no new volume");
        assertEquals(200, w.ebs.volumes.get(volumeId).sizeGiB);

        replacement.settingsOverride = BerthProcesses.withVolumeSize(w.settings, 200);   // the operator raises it; berth retries
        assertTrue(w.runUntil(() -> ready(replacement), 30 * MINUTE));
        assertEquals(volumeId, slot(w, 0).volume().volumeId(), "the slot's own volume, with its data");
        onlyTheConfigErrorIsReported(w);
    }
}
