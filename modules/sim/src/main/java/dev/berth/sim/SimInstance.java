package dev.berth.sim;

import dev.berth.spi.InstanceState;
import dev.berth.spi.LifecycleState;
import java.util.OptionalInt;

/** An instance of the simulated group. */
final class SimInstance {
    final String id;
    final String zone;
    final long launchedAt;
    final int ordinal;
    final Timeline<LifecycleState> lifecycle = new Timeline<>();
    final Timeline<InstanceState> state = new Timeline<>();
    Scheduler.Proc berth;
    Scheduler.Proc keeper;
    /** The running {@code berth snapshot} (the timer's job), or null. */
    Scheduler.Proc snapshotJob;
    boolean snapshotTimer;
    int berthRuns;
    boolean healthy = true;
    boolean forceClaim;
    boolean replaceOnTermination;
    /** When EC2 gave this instance its spot interruption notice (-1: never). */
    long spotNoticeAt = -1;
    dev.berth.core.claim.ClaimSettings settingsOverride;
    OptionalInt workloadSlot = OptionalInt.empty();
    long readyAt = -1;
    long bootStartedAt = -1;
    boolean keeperActive;
    boolean terminationRequested;
    String mountedVolume;
    long imdsDownUntil = -1;
    int nextDevice;

    SimInstance(String id, String zone, long launchedAt, int ordinal) {
        this.id = id;
        this.zone = zone;
        this.launchedAt = launchedAt;
        this.ordinal = ordinal;
    }

    boolean terminated() {
        return state.now() == InstanceState.TERMINATED;
    }

    boolean running() {
        return state.now() == InstanceState.RUNNING;
    }

    boolean inService() {
        return running() && lifecycle.now() == LifecycleState.IN_SERVICE;
    }
}
