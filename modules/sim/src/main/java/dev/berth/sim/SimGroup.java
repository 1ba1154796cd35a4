package dev.berth.sim;

import dev.berth.spi.GroupMember;
import dev.berth.spi.GroupView;
import dev.berth.spi.InstanceState;
import dev.berth.spi.LifecycleState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Auto Scaling group of the simulated world: its instances and desired capacity, launches into
 * the emptiest zone that is up, boots, scale-in from the fullest zone, the 30-second capacity check
 * that replaces what is gone, and terminations as Auto Scaling and EC2 do them (lifecycle hook,
 * Terminating:Wait, spot interruptions with their two-minute notice, shutting-down, terminated).
 */
final class SimGroup {
    private final World world;
    final Map<String, SimInstance> instances = new LinkedHashMap<>();
    /** The largest desired capacity of the run: the most slots it can have. */
    int maxDesired;
    int desired;
    private int instanceCounter;
    /** The last view described: handed out again while the group looks the same. */
    private GroupView lastView;
    /**
     * The instances a describe may still show, in launch order: {@link #instances} without those terminated
     * longer ago than any describe lags (a long run launches many more instances than it keeps).
     */
    private final List<SimInstance> describable = new ArrayList<>();

    SimGroup(World world) {
        this.world = world;
    }

    /**
     * The group as a describe at view time {@code t} shows it: the instances not terminated by then. The
     * view described last when nothing differs (every poll of every waiting node describes the group, and
     * mostly it has not changed), else a new one.
     */
    GroupView view(long t) {
        var last = lastView;
        var known = last == null ? List.<GroupMember>of() : last.members();
        List<GroupMember> members = null;   // null while every member so far is the last view's
        int same = 0;
        long maxLag = Math.max(world.physics.describeLag().maxMillis(), world.config.staleLagMillis());
        for (var it = describable.iterator(); it.hasNext(); ) {
            var i = it.next();
            if (i.lifecycle.now() == LifecycleState.TERMINATED && i.lifecycle.since() + maxLag < world.now()) {
                it.remove();   // terminated before any describe from now on looks: never shown again
                continue;
            }
            var state = i.lifecycle.at(t);
            if (state == null || state.isTerminated()) {
                continue;
            }
            if (members == null) {
                if (same < known.size() && describes(known.get(same), i, state)) {
                    same++;
                    continue;
                }
                members = new ArrayList<>(known.subList(0, same));
            }
            members.add(new GroupMember(i.id, i.zone, state, i.healthy));
        }
        if (members == null && same == known.size() && last != null && last.desiredCapacity() == desired) {
            return last;
        }
        lastView = new GroupView("sim-group", desired, world.config.zones(), members != null ? members : known.subList(0, same));
        return lastView;
    }

    private static boolean describes(GroupMember member, SimInstance instance, LifecycleState state) {
        return member.instanceId().equals(instance.id) && member.zone().equals(instance.zone)
                && member.lifecycleState() == state && member.healthy() == instance.healthy;
    }

    /** Launches an instance in the emptiest zone that is up (or the given one); it boots, then runs berth. */
    SimInstance launch(String zone) {
        return launch(zone, null);
    }

    SimInstance launch(String zone, String givenId) {
        var target = zone != null ? zone : emptiestZone();
        ++instanceCounter;
        var id = givenId != null ? givenId : String.format("i-%017x", instanceCounter);
        var instance = new SimInstance(id, target, world.now(), instanceCounter);
        instance.lifecycle.set(world.now(), LifecycleState.PENDING);
        instance.state.set(world.now(), InstanceState.PENDING);
        instances.put(id, instance);
        describable.add(instance);
        world.trace.event(id, "launch", "zone " + target, -1);
        long boot = world.between(world.config.bootMinMillis(), world.config.bootMaxMillis());
        var pool = world.warmPool;
        world.scheduler.at(world.now() + boot, pool == null ? () -> boot(instance) : () -> pool.warm(instance, () -> boot(instance)));
        return instance;
    }

    private String emptiestZone() {
        var counts = new TreeMap<String, Integer>();
        for (var z : world.config.zones()) {
            if (!world.faults.zonesDown.contains(z)) {
                counts.put(z, 0);
            }
        }
        if (counts.isEmpty()) {
            return world.config.zones().getFirst();
        }
        for (var i : instances.values()) {
            if (!i.terminated() && !i.terminationRequested && counts.containsKey(i.zone)) {
                counts.merge(i.zone, 1, Integer::sum);
            }
        }
        int min = counts.values().stream().min(Integer::compare).orElse(0);
        var emptiest = counts.entrySet().stream().filter(e -> e.getValue() == min).map(Map.Entry::getKey).toList();
        return emptiest.get(world.random.nextInt(emptiest.size()));
    }

    private void boot(SimInstance instance) {
        if (instance.terminationRequested || instance.terminated()) {
            return;
        }
        if (world.faults.zonesDown.contains(instance.zone)) {
            world.scheduler.at(world.now() + 60_000, () -> boot(instance));
            return;
        }
        instance.state.set(world.now(), InstanceState.RUNNING);
        instance.lifecycle.set(world.now(), LifecycleState.IN_SERVICE);
        world.trace.event(instance.id, "boot", "running, in service", -1);
        if (world.random.nextDouble() < world.physics.imdsDownShare()) {
            instance.imdsDownUntil = world.now() + world.physics.imdsDown().draw(world.random);
            world.trace.event(instance.id, "imds", "refuses requests for " + (instance.imdsDownUntil - world.now()) + " ms after boot", -1);
        }
        if (world.processes.autoStartBerth) {
            world.processes.startBerth(instance);
        }
    }

    /**
     * Terminates an instance the way Auto Scaling does: Terminating:Wait while the lifecycle
     * hook runs (the keeper releases the slot and completes it, or the hook times out), then
     * shutting-down, then terminated, when EC2 detaches its volumes.
     */
    void terminate(SimInstance instance, String why) {
        if (instance.terminationRequested || instance.terminated()) {
            return;
        }
        instance.terminationRequested = true;
        world.trace.event(instance.id, "terminate", why, -1);
        if (instance.state.now() == InstanceState.PENDING || world.faults.zonesDown.contains(instance.zone)) {
            killProcesses(instance);
            shutDown(instance);
            return;
        }
        if (!world.config.lifecycleHook()) {
            killProcesses(instance);
            shutDown(instance);
            return;
        }
        instance.lifecycle.set(world.now(), LifecycleState.TERMINATING_WAIT);
        long timeout = world.faults.hookTimeoutOverride >= 0 ? world.faults.hookTimeoutOverride : world.config.hookTimeoutMillis();
        world.scheduler.at(world.now() + timeout, () -> {
            if (instance.lifecycle.now() == LifecycleState.TERMINATING_WAIT) {
                world.trace.event(instance.id, "lifecycle hook", "timed out", -1);
                proceedTermination(instance);
            }
        });
        if (instance.keeperActive && instance.berth != null && instance.berth.finished()) {
            world.processes.startKeeper(instance, 100, 2_000);
        }
    }

    /**
     * A spot interruption: the notice now, and EC2 reclaims the instance two minutes later whatever
     * happens (no lifecycle hook holds a spot instance). A holder whose workload ran must have
     * released its slot by then.
     */
    void spotInterruption(SimInstance instance) {
        if (instance.spotNoticeAt >= 0 || instance.terminated()) {
            return;
        }
        instance.spotNoticeAt = world.now();
        // an instance in a failed zone is lost already: it cannot act on the notice, and nobody expects it to
        boolean holder = instance.workloadSlot.isPresent() && !world.faults.zonesDown.contains(instance.zone);
        world.trace.event(instance.id, "spot interruption notice", "reclaimed in 120 s", -1);
        if (holder && instance.keeperActive && instance.berth != null && instance.berth.finished()) {
            world.processes.startKeeper(instance, 100, 5_000);   // the keeper polls IMDS every few seconds
        }
        long noticeAt = world.now();
        world.scheduler.at(world.now() + 120_000, () -> {
            if (holder && !world.faults.zonesDown.contains(instance.zone) && !world.faults.zoneDownSince(instance.zone, noticeAt)) {
                for (var s : world.slotView.all()) {
                    if (s.record().heldBy(instance.id)) {
                        world.trace.violation("a spot holder releases its slot within the two-minute notice", s.slot(),
                                List.of(instance.id), "slot " + s.slot() + " still held when EC2 reclaimed the instance");
                    }
                }
            }
            if (!instance.terminationRequested) {
                instance.terminationRequested = true;
                world.trace.event(instance.id, "terminate", "spot: reclaimed by EC2", -1);
                killProcesses(instance);
                shutDown(instance);
            }
        });
    }

    void proceedTermination(SimInstance instance) {
        if (instance.lifecycle.now() != LifecycleState.TERMINATING_WAIT) {
            return;
        }
        instance.lifecycle.set(world.now(), LifecycleState.TERMINATING_PROCEED);
        killProcesses(instance);
        shutDown(instance);
    }

    void killProcesses(SimInstance instance) {
        if (instance.berth != null) {
            world.scheduler.kill(instance.berth);
        }
        if (instance.snapshotJob != null) {
            world.scheduler.kill(instance.snapshotJob);
        }
        if (instance.keeper != null) {
            world.scheduler.kill(instance.keeper);
        }
    }

    private void shutDown(SimInstance instance) {
        instance.state.set(world.now(), InstanceState.SHUTTING_DOWN);
        world.scheduler.at(world.now() + world.between(20_000, 60_000), () -> {
            instance.state.set(world.now(), InstanceState.TERMINATED);
            instance.lifecycle.set(world.now(), LifecycleState.TERMINATED);
            instance.workloadSlot = java.util.OptionalInt.empty();
            instance.mountedVolume = null;
            world.network.onTerminated(instance);
            world.slotInvariants.terminated(instance.id);
            long letGo = world.physics.terminationDetach().draw(world.random);
            world.ebs.terminated(instance, letGo);
            world.trace.event(instance.id, "terminated", letGo > 0 ? "volumes detaching for " + letGo / 1000 + " s" : "volumes detached", -1);
            if (!instance.healthy || instance.replaceOnTermination) {
                if (liveCount() < desired) {
                    launch(null);
                }
            }
        });
    }

    int liveCount() {
        int n = 0;
        for (var i : instances.values()) {
            if (!i.terminated() && !i.terminationRequested) {
                n++;
            }
        }
        return n;
    }

    /** Auto Scaling keeps the desired capacity: every 30 s it launches for any instance that is gone. */
    private boolean capacityCheckRunning;
    private void capacityCheck() {
        while (liveCount() < desired) {
            launch(null);
        }
        world.scheduler.at(world.now() + 30_000, this::capacityCheck);
    }

    /** Scales the group to {@code n}: launches, or terminates from the fullest zones (newest first). */
    void setDesired(int n) {
        if (!capacityCheckRunning) {
            capacityCheckRunning = true;
            world.scheduler.at(world.now() + 30_000, this::capacityCheck);
        }
        desired = n;
        maxDesired = Math.max(maxDesired, n);
        while (liveCount() < desired) {
            launch(null);
        }
        while (liveCount() > desired) {
            terminate(pickForScaleIn(), "scale in to " + n);
        }
    }

    private SimInstance pickForScaleIn() {
        var counts = new TreeMap<String, Integer>();
        for (var i : instances.values()) {
            if (!i.terminated() && !i.terminationRequested) {
                counts.merge(i.zone, 1, Integer::sum);
            }
        }
        var fullest = counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        SimInstance pick = null;
        for (var i : instances.values()) {
            if (!i.terminated() && !i.terminationRequested && i.zone.equals(fullest)) {
                pick = i;
            }
        }
        return pick;
    }
}
