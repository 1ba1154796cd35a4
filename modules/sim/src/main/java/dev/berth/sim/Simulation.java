package dev.berth.sim;

import dev.berth.core.claim.AddressTakeover;
import dev.berth.core.claim.CasSlotSelection;
import dev.berth.core.claim.ClaimLog;
import dev.berth.core.claim.ClaimSettings;
import dev.berth.core.claim.IdentityPolicy;
import dev.berth.core.claim.NetworkSettings;
import dev.berth.core.claim.SlotSelection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;

/**
 * Runs one scenario in a fresh simulated world and reports what happened. A director
 * process plays the scenario on the virtual clock (launch, wait for convergence, refresh,
 * fail a zone, ...); the simulated nodes run the real claim protocol; the world checks the
 * invariants after every step, and liveness once the faults have stopped.
 */
public final class Simulation {
    static final long SETTLE_LIMIT_MILLIS = 3 * 3_600_000L;
    private static final long CHECK_EVERY_MILLIS = 5_000;

    private final SimulationRequest request;
    private final Supplier<SlotSelection> selection;
    private final SimulationProgress progress;
    private AddressTakeover takeover = AddressTakeover.LIVENESS_RULE;
    private World world;
    private long phaseStart;
    private long convergedAt = -1;

    private Simulation(SimulationRequest request, Supplier<SlotSelection> selection, SimulationProgress progress) {
        this.request = request;
        this.selection = selection;
        this.progress = progress;
    }

    public static SimulationReport run(SimulationRequest request) {
        return run(request, SimulationProgress.none());
    }

    public static SimulationReport run(SimulationRequest request, SimulationProgress progress) {
        return run(request, defaultSelection(), progress);
    }

    /** Runs with another slot selection: how tests show that a broken protocol gets caught. */
    public static SimulationReport run(SimulationRequest request, Supplier<SlotSelection> selection,
                                       SimulationProgress progress) {
        return Scheduler.onVirtualThread(() -> {
            long single = singleClaimMillis(request, selection);
            return new Simulation(request, selection, progress).play(single);
        });
    }

    /** Runs with another rule for taking a slot's address: how tests show that a broken rule gets caught. */
    public static SimulationReport run(SimulationRequest request, AddressTakeover takeover) {
        return Scheduler.onVirtualThread(() -> {
            var simulation = new Simulation(request, defaultSelection(), SimulationProgress.none());
            simulation.takeover = takeover;
            return simulation.play(-1);
        });
    }

    static Supplier<SlotSelection> defaultSelection() {
        return CasSlotSelection::new;
    }

    /** The settings every simulated node runs berth with. */
    static ClaimSettings settings(SimulationRequest request) {
        return new ClaimSettings("sim", OptionalInt.empty(),
                new ClaimSettings.VolumeSettings(100, "gp3", OptionalInt.empty(), OptionalInt.empty(), true,
                        Optional.empty(), Optional.empty(), "ext4", List.of(), Path.of("/data"), List.of("noatime")),
                new ClaimSettings.IdentitySettings(Optional.of("sim"), Path.of("identity"), IdentityPolicy.AUTO),
                request.whenFull(), request.crossZone(), ClaimSettings.Waits.defaults(), Path.of("/etc/berth/berth.env"),
                OptionalInt.empty()).withNetwork(new NetworkSettings(
                        request.elasticIp() ? NetworkSettings.ElasticIp.ALLOCATE : NetworkSettings.ElasticIp.NONE, List.of(),
                        request.networkInterface() ? NetworkSettings.Interfaces.PER_SLOT : NetworkSettings.Interfaces.NONE));
    }

    private static long singleClaimMillis(SimulationRequest request, Supplier<SlotSelection> selection) {
        var lone = new SimulationRequest(Scenario.MASS_BOOT, 1, request.zones(), request.seed(), request.whenFull(),
                request.crossZone(), false, List.of(), request.elasticIp(), request.networkInterface(), request.storeModel());
        var sim = new Simulation(lone, selection, SimulationProgress.none());
        sim.world = sim.newWorld();
        sim.world.group.desired = 1;
        sim.world.group.setDesired(1);
        while (sim.world.scheduler.step()) {
            var only = sim.world.group.instances.values().iterator().next();
            if (only.readyAt >= 0) {
                long t = only.readyAt - only.bootStartedAt;
                sim.world.scheduler.shutdown();
                return t;
            }
            if (sim.world.now() > SETTLE_LIMIT_MILLIS) {
                break;
            }
        }
        sim.world.scheduler.shutdown();
        return -1;
    }

    private World newWorld() {
        var config = SimConfig.of(request.zones(), request.nodes());
        var w = new World(config, settings(request), request.seed(), selectionFor(), this::notable);
        w.trace.enabled = request.trace();
        w.processes.takeover = takeover;
        w.processes.periodicSnapshots = request.crossZone() == dev.berth.core.claim.CrossZonePolicy.LATEST_SNAPSHOT;
        if (request.storeModel() != StoreModel.NONE) {
            w.storeCost = new StoreCost(request.storeModel());
        }
        return w;
    }

    /** The production selection needs each node's own ticker; CasSlotSelection takes it per call. */
    private Supplier<SlotSelection> selectionFor() {
        return selection;
    }

    private SimulationReport play(long singleClaim) {
        world = newWorld();
        var director = new Scheduler.Proc("director", this::direct);
        directorProc = director;
        world.scheduler.start(director, 0);
        world.scheduler.continueInPlace(true);
        long[] nextProgress = {0};
        world.scheduler.run(director::finished, () -> {
            if (world.now() >= nextProgress[0]) {
                progress.update(world.now(), readyCount(), liveCount(), world.counters.spiCalls, world.trace.violations.size());
                nextProgress[0] = world.now() + 60_000;
            }
        });
        progress.update(world.now(), readyCount(), liveCount(), world.counters.spiCalls, world.trace.violations.size());
        var report = report(singleClaim);
        world.scheduler.shutdown();
        return report;
    }

    // The director ----------------------------------------------------------------------------

    private void direct() {
        int n = request.nodes();
        for (var step : request.plan()) {
            switch (step) {
                case PlanAction.Crash c -> world.faults.crashPlans.put(instanceId(c.instance()), new SimFaults.CrashPlan(c.call(), c.afterEffect()));
                case PlanAction.Pause p -> world.faults.pausePlans.put(instanceId(p.instance()), new SimFaults.PausePlan(p.call(), p.seconds() * 1000));
                default -> { }
            }
        }
        world.group.setDesired(n);
        phaseStart = world.now();
        switch (request.scenario()) {
            case MASS_BOOT -> awaitConverged("mass boot");
            case INSTANCE_REFRESH -> {
                awaitConverged("initial boot");
                instanceRefresh();
            }
            case ZONE_OUTAGE -> {
                awaitConverged("initial boot");
                if (world.processes.periodicSnapshots) {   // the fleet runs long enough for its periodic snapshots
                    pause(2L * world.settings.snapshots().everyMinutes() * 60_000L);
                }
                zoneOutage(world.config.zones().getFirst(), 30 * 60_000L);
            }
            case SCALE_IN -> {
                awaitConverged("initial boot");
                long before = world.counters.volumesCreated;
                phase();
                world.group.setDesired(n - 5);
                awaitConverged("scale in");
                pause(10 * 60_000L);
                phase();
                world.group.setDesired(n);
                awaitConverged("scale out");
                long extra = world.counters.volumesCreated - before;
                if (extra > 0) {
                    world.trace.violation("idle volumes are reused after scale-in", -1, List.of(),
                            extra + " volumes were created when scaling back out; the " + 5 + " idle ones should have been reused");
                }
            }
            case CHAOS -> chaos();
            case PLAN -> playPlan();
        }
    }

    static String instanceId(int ordinal) {
        return String.format("i-%017x", ordinal);
    }

    /** Plays the plan's timed steps in order, then waits for convergence once every fault is over (liveness). */
    private void playPlan() {
        var timed = request.plan().stream()
                .filter(a -> !(a instanceof PlanAction.Crash) && !(a instanceof PlanAction.Pause))
                .sorted(java.util.Comparator.comparingLong(PlanAction::atSeconds))
                .toList();
        long faultsEnd = 0;
        for (var step : timed) {
            pauseUntil(step.atSeconds() * 1000);
            faultsEnd = Math.max(faultsEnd, step.endsAtSeconds() * 1000);
            switch (step) {
                case PlanAction.Kill k -> {
                    var victim = world.group.instances.get(instanceId(k.instance()));
                    if (victim != null && !victim.terminated()) {
                        victim.replaceOnTermination = true;
                        world.group.terminate(victim, "plan: kill");
                    }
                }
                case PlanAction.Spot sp -> {
                    var victim = world.group.instances.get(instanceId(sp.instance()));
                    if (victim != null && !victim.terminated() && !victim.terminationRequested) {
                        victim.replaceOnTermination = true;
                        world.group.spotInterruption(victim);
                    }
                }
                case PlanAction.Refresh r -> instanceRefresh();
                case PlanAction.Gc g -> world.gc.start(g.slots());
                case PlanAction.WarmPool w -> world.warmPool = new WarmPool(world);
                // an operator only raises volume.sizeGiB: a smaller one is refused with exit 2 (ShrinkRefusedSimTest)
                case PlanAction.Resize z -> world.processes.volumeSizeGiB = Math.max(world.processes.volumeSizeGiB, z.sizeGiB());
                case PlanAction.Scale sc -> world.group.setDesired(sc.to());
                case PlanAction.Outage o -> {
                    var zone = world.config.zones().get(o.zone());
                    if (!world.faults.zonesDown.contains(zone)) {
                        zoneDown(zone);
                        world.scheduler.at(world.now() + o.seconds() * 1000, () -> world.recoverZone(zone));
                    }
                }
                case PlanAction.Window w -> {
                    long until = (w.at() + w.seconds()) * 1000;
                    switch (w.kind()) {
                        case "stale" -> world.faults.staleUntil = Math.max(world.faults.staleUntil, until);
                        case "throttle" -> world.faults.throttleUntil = Math.max(world.faults.throttleUntil, until);
                        default -> world.faults.slowStoreUntil = Math.max(world.faults.slowStoreUntil, until);
                    }
                }
                default -> { }
            }
        }
        pauseUntil(faultsEnd);
        if (world.faults.zonesDown.isEmpty() && request.plan().stream().anyMatch(a -> a instanceof PlanAction.Outage)) {
            rebalance();
        }
        phase();
        awaitConverged("after the plan's faults stopped");
    }

    private void pauseUntil(long time) {
        if (time > world.now()) {
            pause(time - world.now());
        }
    }

    private void instanceRefresh() {
        phase();
        int batch = Math.max(1, request.nodes() / 10);
        var old = new ArrayList<SimInstance>();
        for (var i : world.group.instances.values()) {
            if (!i.terminated() && !i.terminationRequested) {
                old.add(i);
            }
        }
        for (int from = 0; from < old.size(); from += batch) {
            var chunk = old.subList(from, Math.min(old.size(), from + batch));
            var replacements = new ArrayList<SimInstance>();
            for (var i : chunk) {
                replacements.add(world.group.launch(i.zone));
            }
            // launch before terminate, as AWS does with a maintenance policy above 100%: the old instances stay in
            // service until their replacements are InService and healthy, and then warmed up
            if (!awaitHealthy(replacements)) {
                world.trace.event("-", "instance refresh", "stopped: a replacement did not become healthy", -1);
                phase();
                awaitConverged("after the stopped refresh");
                return;
            }
            pause(world.between(60_000, 120_000));   // instance warm-up
            for (var i : chunk) {
                world.group.terminate(i, "instance refresh");
            }
            awaitConverged("refresh batch " + (from / batch + 1));
        }
    }

    /** Whether every replacement reached InService and stayed healthy (an AWS refresh stops when one does not). */
    private boolean awaitHealthy(List<SimInstance> replacements) {
        long deadline = world.now() + 15 * 60_000L;
        while (world.now() < deadline) {
            if (replacements.stream().anyMatch(i -> i.terminationRequested || i.terminated() || !i.healthy)) {
                return false;
            }
            if (replacements.stream().allMatch(SimInstance::inService)) {
                return true;
            }
            pause(CHECK_EVERY_MILLIS);
        }
        return false;
    }

    private void zoneOutage(String zone, long duration) {
        phase();
        zoneDown(zone);
        pause(duration);
        world.recoverZone(zone);
        world.trace.event("-", "zone recovered", zone, -1);
        phase();
        rebalance();
        awaitConverged("after the outage");
    }

    /** A zone fails: its instances are lost, fail their health checks a minute later, and get replaced elsewhere. */
    private void zoneDown(String zone) {
        world.faults.zonesDown.add(zone);
        world.faults.outageSeen = true;
        var lost = new ArrayList<SimInstance>();
        for (var i : world.group.instances.values()) {
            if (i.zone.equals(zone) && !i.terminated() && !i.terminationRequested) {
                lost.add(i);
            }
        }
        world.trace.event("-", "zone outage", zone + ": " + lost.size() + " instances lost", -1);
        for (var i : lost) {
            world.group.killProcesses(i);   // unreachable: its berth, keeper and snapshot job are gone with it
            i.healthy = false;
        }
        world.scheduler.at(world.now() + 60_000, () -> {
            for (var i : lost) {
                world.group.terminate(i, "failed health checks in " + zone);
            }
            while (world.group.liveCount() < world.group.desired) {
                world.group.launch(null);
            }
        });
    }

    /** Auto Scaling's AZ rebalance: launch in the emptiest zone, then terminate from the fullest. */
    private void rebalance() {
        for (int round = 0; round < Math.max(request.nodes(), world.group.desired); round++) {
            var counts = new java.util.TreeMap<String, Integer>();
            world.config.zones().forEach(z -> counts.put(z, 0));
            for (var i : world.group.instances.values()) {
                if (!i.terminated() && !i.terminationRequested) {
                    counts.merge(i.zone, 1, Integer::sum);
                }
            }
            var min = counts.entrySet().stream().min(java.util.Map.Entry.comparingByValue()).orElseThrow();
            var max = counts.entrySet().stream().max(java.util.Map.Entry.comparingByValue()).orElseThrow();
            if (max.getValue() - min.getValue() <= 1) {
                return;
            }
            world.group.launch(min.getKey());
            pause(90_000);
            SimInstance victim = null;
            for (var i : world.group.instances.values()) {
                if (!i.terminated() && !i.terminationRequested && i.zone.equals(max.getKey())) {
                    victim = i;
                }
            }
            if (victim != null) {
                world.group.terminate(victim, "AZ rebalance");
            }
            pause(30_000);
        }
    }

    private void chaos() {
        var r = world.random;
        for (var i = 0; i < request.nodes() * 2; i++) {
            if (r.nextInt(5) == 0) {
                world.faults.crashPlans.put(String.format("i-%017x", i + 1), new SimFaults.CrashPlan(1 + r.nextInt(25), r.nextBoolean()));
            }
        }
        world.faults.staleUntil = 10 * 60_000L;
        world.faults.throttleUntil = 3 * 60_000L;
        world.faults.slowStoreUntil = r.nextInt(4) * 60_000L;
        pause(world.between(30_000, 120_000));
        var live = new ArrayList<SimInstance>();
        for (var i : world.group.instances.values()) {
            if (!i.terminated() && !i.terminationRequested) {
                live.add(i);
            }
        }
        int kills = Math.max(1, live.size() / 5);
        for (int k = 0; k < kills && !live.isEmpty(); k++) {
            var victim = live.remove(r.nextInt(live.size()));
            victim.replaceOnTermination = true;
            world.group.terminate(victim, "chaos");
        }
        world.faults.hookTimeoutOverride = r.nextBoolean() ? 60_000 : -1;
        pause(world.between(60_000, 600_000));
        world.faults.staleUntil = world.now() + 120_000;
        world.faults.throttleUntil = world.now() + 60_000;
        awaitConverged("chaos");
        instanceRefresh();
    }

    // Waiting on the virtual clock ------------------------------------------------------------

    private void phase() {
        phaseStart = world.now();
    }

    private void pause(long millis) {
        var self = currentDirector();
        world.scheduler.suspendUntil(self, world.now() + millis);
    }

    private Scheduler.Proc directorProc;

    private Scheduler.Proc currentDirector() {
        return directorProc;
    }

    /**
     * Waits until every live instance up to capacity holds a slot; past the bound it is a liveness
     * violation. A planned stall is a fault too: the bound runs from when the last one is over.
     */
    private void awaitConverged(String what) {
        long deadline = world.now() + SETTLE_LIMIT_MILLIS;
        while (!converged()) {
            if (world.now() > deadline && world.now() > world.faults.stalledUntil + SETTLE_LIMIT_MILLIS) {
                var waiting = new ArrayList<String>();
                for (var i : world.group.instances.values()) {
                    if (i.running() && !i.terminationRequested && i.workloadSlot.isEmpty()) {
                        waiting.add(i.id);
                    }
                }
                world.trace.violation("liveness: every running instance up to capacity holds a slot", -1,
                        waiting.subList(0, Math.min(5, waiting.size())), what + ": " + waiting.size()
                                + " running instances still had no slot " + SETTLE_LIMIT_MILLIS / 60_000 + " minutes later");
                return;
            }
            pause(CHECK_EVERY_MILLIS);
        }
        convergedAt = world.now();
    }

    /**
     * Every live instance up to capacity holds a slot, and nothing is terminating. An instance
     * without a slot is fine only when no slot is usable from its zone: with cross-zone never,
     * a free slot whose volume lives in another zone is pinned there (policy, not a liveness failure).
     */
    private boolean converged() {
        int live = 0;
        int ready = 0;
        var idleZones = new java.util.TreeSet<String>();
        for (var i : world.group.instances.values()) {
            if (i.terminationRequested && !i.terminated()) {
                return false;
            }
            if (!i.terminated() && !i.terminationRequested) {
                live++;
                if (i.workloadSlot.isPresent()) {
                    ready++;
                } else {
                    idleZones.add(i.zone);
                }
            }
        }
        if (live < world.group.desired) {
            return false;
        }
        if (ready >= Math.min(live, world.group.desired)) {
            return true;
        }
        if (idleHolds()) {
            return false;   // a claim still under way (its slot taken, its volume not yet ready)
        }
        return ready >= world.group.desired || idleZones.stream().noneMatch(this::slotUsableFrom);
    }

    /** Whether a live instance without a workload already holds a slot: its claim has not finished. */
    private boolean idleHolds() {
        for (var s : world.slotView.all()) {
            var record = s.record();
            var holder = record.holder() == null ? null : world.group.instances.get(record.holder().instanceId());
            if (holder != null && !holder.terminated() && !holder.terminationRequested && holder.workloadSlot.isEmpty()
                    && holder.running()) {
                return true;
            }
        }
        return false;
    }

    /** Whether some slot could still go to an instance in this zone: a free one it may take, or one not created yet. */
    private boolean slotUsableFrom(String zone) {
        int held = 0;
        for (var s : world.slotView.all()) {
            var record = s.record();
            var holder = record.holder() == null ? null : world.group.instances.get(record.holder().instanceId());
            if (holder != null && !holder.terminated()) {
                held++;
                continue;
            }
            var volumeZone = record.volume() != null ? record.volume().zone()
                    : record.volumeIntent() != null ? record.volumeIntent().zone() : null;
            if (volumeZone == null || volumeZone.equals(zone) || request.crossZone().movesVolumes()) {
                return true;
            }
        }
        return world.slotView.keyCount() < world.group.desired && held < world.group.desired;
    }

    private int readyCount() {
        int n = 0;
        for (var i : world.group.instances.values()) {
            if (!i.terminated() && i.workloadSlot.isPresent()) {
                n++;
            }
        }
        return n;
    }

    private int liveCount() {
        return world.group.liveCount();
    }

    // The report ------------------------------------------------------------------------------

    private SimulationReport report(long singleClaim) {
        int slots = world.slotView.keyCount();
        int held = (int) world.slotView.all().stream().filter(s -> s.record().holder() != null).count();
        long slowest = 0;
        for (var i : world.group.instances.values()) {
            if (i.readyAt >= 0) {
                slowest = Math.max(slowest, i.readyAt - i.bootStartedAt);
            }
        }
        int booted = 0;
        for (var i : world.group.instances.values()) {
            if (i.bootStartedAt >= 0) {
                booted++;
            }
        }
        var happy = new ArrayList<>(world.counters.happyPathCalls);
        happy.sort(Integer::compare);
        int happyMedian = happy.isEmpty() ? 0 : happy.get(happy.size() / 2);
        int happyMax = happy.isEmpty() ? 0 : happy.getLast();
        double perNode = booted == 0 ? 0 : round3((double) world.counters.claimWrites / booted);
        double ratio = singleClaim <= 0 ? 0 : round3((double) slowest / singleClaim);
        return new SimulationReport(request.scenario().cliName(), request.seed(), request.nodes(), request.zones(),
                world.group.desired, slots, held, world.counters.volumesCreated, world.counters.idempotentCreates,
                world.counters.snapshots, world.counters.claimWrites, perNode, happyMedian, happyMax,
                world.counters.spiCalls, world.counters.cloudCalls, world.counters.storeCalls, world.counters.crashes,
                world.counters.claimErrors, world.counters.unexplainedClaimErrors, world.counters.fullOutcomes, world.counters.throttled,
                convergedAt < 0 ? -1 : convergedAt - phaseStartForReport(), slowest, singleClaim, ratio, world.now(),
                world.scheduler.steps(), world.trace.violations.size(), world.trace.violations.subList(0, Math.min(20, world.trace.violations.size())),
                ShortestTrace.of(world.trace.steps, world.trace.violations), world.counters.snapshotsTaken,
                world.counters.snapshotsDeleted, world.counters.movesFromLatestSnapshot,
                Math.round(world.counters.maxDataLossMillis / 6_000.0) / 10.0, world.settings.snapshots().maxSnapshotAgeMinutes(),
                world.counters.retiredAttached, waitingMessages(), world.network.allocated, world.network.moves(),
                world.network.interfacesCreated, storeModel(), storeRequests(), storeRequestsPerClaim(), storeSlowDowns());
    }

    private String storeModel() {
        return world.storeCost == null ? null : world.storeCost.model.cliName();
    }

    private Long storeRequests() {
        return world.storeCost == null ? null : world.storeCost.requests;
    }

    /** Backend store requests per node that got ready (every request of the run, retries and keepers included). */
    private Double storeRequestsPerClaim() {
        return world.storeCost == null || world.counters.ready == 0 ? null
                : round3((double) world.storeCost.requests / world.counters.ready);
    }

    private Long storeSlowDowns() {
        return world.storeCost == null ? null : world.storeCost.slowDowns;
    }

    private final java.util.Set<String> notable = new java.util.LinkedHashSet<>();

    /**
     * Keeps the first few distinct waits and claim errors nodes logged (ids and figures blanked): what an operator
     * would read in the journal. Everything else nodes log is dropped.
     */
    private void notable(String message) {
        if (notable.size() >= 5 || !(message.startsWith("still waiting for") && message.contains("snapshot")
                || message.contains("from its latest snapshot"))) {
            return;
        }
        notable.add(blank(message));
    }

    private static String blank(String message) {
        var m = message.replaceAll("vol-[0-9a-f]+|snap-[0-9a-f]+|i-[0-9a-f]+", "*").replaceAll("slot \\d+", "slot *")
                .replaceAll("\\d+ (s|minutes|attempts)", "N $1");
        return m.length() > 400 ? m.substring(0, 400) + "..." : m;
    }

    private List<String> waitingMessages() {
        var all = new java.util.LinkedHashSet<>(notable);
        for (var e : world.processes.failures) {
            if (all.size() >= 8) {
                break;
            }
            all.add(blank(String.valueOf(e.getMessage())));
        }
        return List.copyOf(all);
    }

    private long phaseStartForReport() {
        return phaseStart;
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
