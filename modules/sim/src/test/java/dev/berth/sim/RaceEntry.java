package dev.berth.sim;

import dev.berth.core.claim.ClaimException;
import dev.berth.core.claim.ClaimLog;
import dev.berth.core.claim.ClaimOutcome;
import dev.berth.core.claim.ClaimSettings;
import dev.berth.core.store.FileClaimStore;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * One contender of the file-store race: a whole `berth claim --provider sim` for a one-slot
 * cluster. Loaded once per class loader, so each contender has its own copy of every class
 * (its own locks, its own statics), as two processes would.
 */
public final class RaceEntry {
    private RaceEntry() {
    }

    public static String claim(String storeDir, String instanceId, String envFile) {
        var base = Simulation.settings(SimulationRequest.of(Scenario.MASS_BOOT, 1, 1, 1));
        var waits = new ClaimSettings.Waits(500, 2_000, 2_000, 60_000, 60_000, 60_000, 900_000, 120_000, 64, 8);
        var settings = new ClaimSettings("race", OptionalInt.of(1), base.volume(), base.identity(), base.whenFull(),
                base.crossZone(), waits, Path.of(envFile), OptionalInt.empty());
        try (var store = FileClaimStore.open(Path.of(storeDir))) {
            var outcome = LocalClaim.claim(settings, store, instanceId, "local-a", 1, 1, ClaimLog.silent(),
                    (file, values) -> { });
            return switch (outcome) {
                case ClaimOutcome.Claimed c -> "claimed " + c.lease().slot() + " " + c.lease().epoch();
                case ClaimOutcome.Resumed r -> "resumed " + r.lease().slot();
                case ClaimOutcome.Full f -> "full";
                case ClaimOutcome.Deferred d -> "deferred";
            };
        } catch (ClaimException e) {
            return "error " + e.getMessage();
        }
    }
}
