package dev.berth.sim;

import dev.berth.core.claim.ClaimContext;
import dev.berth.core.claim.EnvFileWriter;
import dev.berth.core.claim.Ticker;
import dev.berth.spi.BlockDevice;
import dev.berth.spi.BlockDevices;
import dev.berth.spi.ClaimStore;
import dev.berth.spi.CloudException;
import dev.berth.spi.CloudProvider;
import dev.berth.spi.DataKey;
import dev.berth.spi.DeleteResult;
import dev.berth.spi.DeviceException;
import dev.berth.spi.DeviceSignature;
import dev.berth.spi.FileSystemDriver;
import dev.berth.spi.FilesystemSpec;
import dev.berth.spi.GroupView;
import dev.berth.spi.IdentityBundle;
import dev.berth.spi.IdentityException;
import dev.berth.spi.IdentityProvider;
import dev.berth.spi.IdentityState;
import dev.berth.spi.InstanceIdentity;
import dev.berth.spi.InstanceState;
import dev.berth.spi.KeyProvider;
import dev.berth.spi.LifecycleAction;
import dev.berth.spi.MountSpec;
import dev.berth.spi.NodeIdentity;
import dev.berth.spi.Snapshot;
import dev.berth.spi.SnapshotState;
import dev.berth.spi.Versioned;
import dev.berth.spi.Volume;
import dev.berth.spi.VolumeAttachment;
import dev.berth.spi.VolumeQuery;
import dev.berth.spi.VolumeRequest;
import dev.berth.spi.WriteResult;
import dev.berth.spi.Written;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SequencedMap;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * One berth process on one simulated instance: its view of the SPI. Every call goes through
 * {@link #call}, which is where the scheduler may run other processes first, where API
 * latency passes on the virtual clock, and where planned crashes strike.
 */
final class SimNode implements Ticker {
    final World world;
    final SimInstance instance;
    Scheduler.Proc proc;
    boolean readyRun;
    private int calls;
    private int cloudStoreCalls;
    private int claimWrites;
    private int throttled;
    private int sleeps;

    SimNode(World world, SimInstance instance) {
        this.world = world;
        this.instance = instance;
    }

    ClaimContext context() {
        var disks = new Disks();
        return new ClaimContext(new Cloud(), new Store(), disks, disks, Optional.of(new Identity()), Optional.of(new Keys()),
                this, world.log(), new Env(), world.caches());
    }

    void finish(String result) {
        if (readyRun && claimWrites == 1 && throttled == 0 && sleeps <= 2 && !instance.forceClaim) {
            world.counters.happyPathCalls.add(cloudStoreCalls);
        }
    }

    void workloadStopped() {
        call("systemctl stop workload", World.CallKind.LOCAL, () -> {
            instance.workloadSlot = java.util.OptionalInt.empty();
            return null;
        });
    }

    // The gate --------------------------------------------------------------------------------

    <T> T call(String what, World.CallKind kind, Supplier<T> body) {
        return call(what, kind, null, null, body);
    }

    /** A store call: {@code op} and its key (a list's prefix) say what the store model charges for it. */
    <T> T call(String what, World.CallKind kind, StoreCost.Op op, String key, Supplier<T> body) {
        calls++;
        world.counters.spiCalls++;
        if (kind != World.CallKind.LOCAL) {
            cloudStoreCalls++;
            if (kind == World.CallKind.CLOUD) {
                world.counters.cloudCalls++;
            } else {
                world.counters.storeCalls++;
            }
        }
        var plan = world.faults.crashPlans.get(instance.id);
        boolean crashHere = plan != null && plan.call() == calls && instance.berthRuns == 1 && proc == instance.berth;
        if (crashHere && !plan.afterEffect()) {
            throw new SimulatedCrash("before " + what);
        }
        var stall = world.faults.pausePlans.get(instance.id);
        if (stall != null && stall.call() == calls && instance.berthRuns == 1 && proc == instance.berth) {
            world.trace.event(instance.id, "process stalls", "for " + stall.millis() / 1000 + " s before " + what, -1);
            world.faults.stalledUntil = Math.max(world.faults.stalledUntil, world.now() + stall.millis());
            world.scheduler.suspendUntil(proc, world.now() + stall.millis());
        }
        if (kind == World.CallKind.STORE && world.storeCost != null && op != null) {
            chargeStore(what, op, key);
        } else {
            letTimePass(latency(kind));
        }
        if (kind == World.CallKind.STORE) {
            long stalled;
            try {
                stalled = world.storeFaults.hiccup();
            } catch (RuntimeException e) {
                world.trace.event(instance.id, what, "error: " + SimTrace.firstWords(e.getMessage()), -1);
                throw e;
            }
            if (stalled > 0) {
                world.trace.event(instance.id, what, "stalls " + stalled + " ms: the store is electing a leader", -1);
                letTimePass(stalled);
            }
        }
        if (kind == World.CallKind.CLOUD && world.now() < world.faults.throttleUntil
                && world.random.nextDouble() < world.config.throttleProbability()) {
            throttled++;
            world.counters.throttled++;
            world.trace.event(instance.id, what, "throttled", -1);
            throw new CloudException(CloudException.Reason.THROTTLED, what, "Rate exceeded (simulated)");
        }
        T result;
        try {
            result = body.get();
        } catch (RuntimeException e) {
            world.trace.event(instance.id, what, "error: " + SimTrace.firstWords(e.getMessage()), -1);
            throw e;
        }
        if (crashHere) {
            throw new SimulatedCrash("after " + what);
        }
        boolean firstRun = instance.berthRuns == 1 && proc == instance.berth;
        if (firstRun && what.equals(world.faults.crashAfterOp.get(instance.id))) {
            world.faults.crashAfterOp.remove(instance.id);
            throw new SimulatedCrash("after " + what);
        }
        var pauseAfter = world.faults.pauseAfterOp.get(instance.id);
        if (firstRun && pauseAfter != null && what.equals(pauseAfter.op())) {
            world.faults.pauseAfterOp.remove(instance.id);
            world.trace.event(instance.id, "process stalls", "for " + pauseAfter.millis() / 1000 + " s after " + what, -1);
            world.faults.stalledUntil = Math.max(world.faults.stalledUntil, world.now() + pauseAfter.millis());
            world.scheduler.suspendUntil(proc, world.now() + pauseAfter.millis());
        }
        return result;
    }

    /** Lets the requests of a store call pass, as the store model charges them; S3 may turn one away (503 SlowDown). */
    private void chargeStore(String what, StoreCost.Op op, String key) {
        int keys = op == StoreCost.Op.LIST ? world.store.list(key).size() : 0;
        boolean exists = op != StoreCost.Op.LIST && world.store.get(key).isPresent();
        var charge = world.storeCost.charge(op, keys, exists, world.now(), world.random);
        letTimePass(charge.millis());
        if (charge.slowDown()) {
            world.trace.event(instance.id, what, "503 SlowDown: the prefix's request rate is exceeded", -1);
            throw new dev.berth.spi.StoreException("503 SlowDown: please reduce your request rate (simulated: more than "
                    + StoreCost.S3_GETS_PER_SECOND + " GET or " + StoreCost.S3_PUTS_PER_SECOND
                    + " PUT requests a second on the slots' prefix)", true);
        }
    }

    private long latency(World.CallKind kind) {
        return switch (kind) {
            case CLOUD -> world.physics.cloudCall().draw(world.random);
            case STORE -> world.now() < world.faults.slowStoreUntil ? world.between(500, 5_000)
                    : world.physics.storeCall().draw(world.random);
            case LOCAL -> world.between(1, 20);
        };
    }

    // Ticker ------------------------------------------------------------------------------------

    @Override
    public long nowMillis() {
        return world.now();
    }

    @Override
    public void sleep(long millis) {
        sleeps++;
        letTimePass(Math.max(1, millis));
    }

    /**
     * Lets {@code millis} of virtual time pass for this node: inside a berth process, by handing
     * control to the scheduler; called directly (a contract test driving the SPI), by running the
     * world's events up to then.
     */
    private void letTimePass(long millis) {
        if (proc == null) {
            world.scheduler.advanceTo(world.now() + millis);
        } else {
            world.scheduler.suspendUntil(proc, world.now() + millis);
        }
    }

    @Override
    public long jitter(long boundMillis) {
        return boundMillis <= 0 ? 0 : world.random.nextLong(boundMillis);
    }

    // Cloud -------------------------------------------------------------------------------------

    final class Cloud implements CloudProvider {
        @Override
        public InstanceIdentity self() {
            return call("imds: who am I", World.CallKind.CLOUD, () -> identity());
        }

        private InstanceIdentity identity() {
            if (world.now() < instance.imdsDownUntil) {
                throw new CloudException(CloudException.Reason.UNAVAILABLE, "imds",
                        "instance metadata service answered 401 / refused the connection (simulated: the first seconds of a boot)");
            }
            return new InstanceIdentity(instance.id, instance.zone,
                    "us-east-1", Optional.of("sim-group"), "m7i.large",
                    Optional.of("10.0." + (instance.ordinal / 250) + "." + (instance.ordinal % 250 + 4)), Optional.empty());
        }

        @Override
        public GroupView group() {
            return call("autoscaling: describe group", World.CallKind.CLOUD, () -> world.group.view(world.viewTime()));
        }

        @Override
        public Map<String, InstanceState> instanceStates(Collection<String> instanceIds) {
            return call("ec2: describe instances", World.CallKind.CLOUD, () -> {
                long t = world.viewTime();
                var result = new TreeMap<String, InstanceState>();
                for (var id : instanceIds) {
                    var i = world.group.instances.get(id);
                    if (i != null && i.state.at(t) != null) {
                        result.put(id, i.state.at(t));
                    }
                }
                return result;
            });
        }

        @Override
        public List<Volume> findVolumes(VolumeQuery query) {
            return call("ec2: describe volumes", World.CallKind.CLOUD, () -> {
                long t = world.viewTime();
                var result = new ArrayList<Volume>();
                for (var v : world.ebs.volumes.values()) {
                    if (query.zone().isPresent() && !query.zone().get().equals(v.zone)) {
                        continue;
                    }
                    if (!v.tags.entrySet().containsAll(query.tags().entrySet())) {
                        continue;
                    }
                    view(v, t).ifPresent(result::add);
                }
                return result;
            });
        }

        @Override
        public Optional<Volume> describeVolume(String volumeId) {
            return call("ec2: describe volume", World.CallKind.CLOUD, () -> {
                var v = world.ebs.volumes.get(volumeId);
                return v == null ? Optional.<Volume>empty() : view(v, world.viewTime());
            });
        }

        private Optional<Volume> view(SimVolume v, long t) {
            var state = v.state.at(t);
            if (state == null) {
                return Optional.empty();
            }
            var attachments = v.attachments.at(t);
            return Optional.of(new Volume(v.id, v.zone, v.sizeGiB, state, Optional.ofNullable(v.snapshotId), v.tags,
                    attachments == null ? List.of() : attachments));
        }

        @Override
        public Volume createVolume(VolumeRequest request) {
            return call("ec2: create volume", World.CallKind.CLOUD, () -> {
                var v = world.ebs.createVolume(request, instance);
                world.trace.event(instance.id, "ec2: create volume", v.id + " token " + request.clientToken().substring(0, 12),
                        SimEbs.slotTag(v));
                return new Volume(v.id, v.zone, v.sizeGiB, v.state.now(), Optional.ofNullable(v.snapshotId), v.tags, List.of());
            });
        }

        @Override
        public VolumeAttachment attachVolume(String volumeId) {
            return call("ec2: attach volume", World.CallKind.CLOUD, () -> {
                var a = world.ebs.attach(instance, volumeId);
                world.trace.event(instance.id, "ec2: attach volume", volumeId + " as " + a.deviceName(), -1);
                return a;
            });
        }

        @Override
        public void detachVolume(String volumeId) {
            call("ec2: detach volume", World.CallKind.CLOUD, () -> {
                world.ebs.detach(instance, volumeId);
                world.trace.event(instance.id, "ec2: detach volume", volumeId, -1);
                return null;
            });
        }

        @Override
        public Snapshot createSnapshot(String volumeId, Map<String, String> tags) {
            return call("ec2: create snapshot", World.CallKind.CLOUD, () -> {
                var s = world.ebs.snapshot(volumeId, tags);
                world.trace.event(instance.id, "ec2: create snapshot", s.id + " of " + volumeId, -1);
                return new Snapshot(s.id, volumeId, s.completed ? SnapshotState.COMPLETED : SnapshotState.PENDING,
                        s.completed ? 100 : 0, s.sizeGiB, s.tags);
            });
        }

        @Override
        public Optional<Snapshot> describeSnapshot(String snapshotId) {
            return call("ec2: describe snapshot", World.CallKind.CLOUD, () -> {
                var s = world.ebs.snapshots.get(snapshotId);
                if (s == null || s.deleted || s.createdAt > world.viewTime()) {
                    return Optional.<Snapshot>empty();
                }
                return Optional.of(new Snapshot(s.id, s.volumeId, s.completed ? SnapshotState.COMPLETED : SnapshotState.PENDING,
                        s.completed ? 100 : 50, s.sizeGiB, s.tags));
            });
        }

        @Override
        public List<Snapshot> findSnapshots(Map<String, String> tags) {
            return call("ec2: describe snapshots", World.CallKind.CLOUD, () -> {
                long t = world.viewTime();
                var found = new ArrayList<Snapshot>();
                for (var s : world.ebs.snapshots.values()) {
                    if (!s.deleted && s.createdAt <= t && s.tags.entrySet().containsAll(tags.entrySet())) {
                        found.add(new Snapshot(s.id, s.volumeId, s.completed ? SnapshotState.COMPLETED : SnapshotState.PENDING,
                                s.completed ? 100 : 50, s.sizeGiB, s.tags));
                    }
                }
                return found;
            });
        }

        @Override
        public void deleteSnapshot(String snapshotId) {
            call("ec2: delete snapshot", World.CallKind.CLOUD, () -> {
                world.ebs.deleteSnapshot(instance, snapshotId);
                world.trace.event(instance.id, "ec2: delete snapshot", snapshotId, -1);
                return null;
            });
        }

        @Override
        public void tag(String resourceId, Map<String, String> tags) {
            call("ec2: create tags", World.CallKind.CLOUD, () -> {
                var v = world.ebs.volumes.get(resourceId);
                if (v != null) {
                    v.tags.putAll(tags);
                }
                var ni = world.network.interfaces.get(resourceId);
                if (ni != null) {
                    ni.tags.putAll(tags);
                }
                return null;
            });
        }

        @Override
        public dev.berth.spi.ElasticAddress allocateAddress(Map<String, String> tags) {
            return call("ec2: allocate address", World.CallKind.CLOUD, () -> {
                var a = world.network.allocate(instance, tags);
                world.trace.event(instance.id, "ec2: allocate address", a.publicIp() + " (" + a.allocationId() + ")",
                        SimNetwork.slotTag(tags));
                return a;
            });
        }

        @Override
        public Optional<dev.berth.spi.ElasticAddress> describeAddress(String allocationId) {
            return call("ec2: describe address", World.CallKind.CLOUD, () -> world.network.describe(allocationId));
        }

        @Override
        public String associateAddress(String allocationId) {
            return call("ec2: associate address", World.CallKind.CLOUD, () -> world.network.associate(instance, allocationId));
        }

        @Override
        public void disassociateAddress(String associationId) {
            call("ec2: disassociate address", World.CallKind.CLOUD, () -> {
                world.network.disassociate(instance, associationId);
                return null;
            });
        }

        @Override
        public dev.berth.spi.NetworkInterface createNetworkInterface(dev.berth.spi.NetworkInterfaceRequest request) {
            return call("ec2: create network interface", World.CallKind.CLOUD, () -> {
                var ni = world.network.create(instance, request);
                world.trace.event(instance.id, "ec2: create network interface", ni.interfaceId() + " (" + ni.privateIp() + ")",
                        SimNetwork.slotTag(request.tags()));
                return ni;
            });
        }

        @Override
        public Optional<dev.berth.spi.NetworkInterface> describeNetworkInterface(String interfaceId) {
            return call("ec2: describe network interface", World.CallKind.CLOUD,
                    () -> world.network.describeInterface(interfaceId));
        }

        @Override
        public String attachNetworkInterface(String interfaceId, int deviceIndex) {
            return call("ec2: attach network interface", World.CallKind.CLOUD,
                    () -> world.network.attach(instance, interfaceId, deviceIndex));
        }

        @Override
        public void detachNetworkInterface(String attachmentId) {
            call("ec2: detach network interface", World.CallKind.CLOUD, () -> {
                world.network.detach(instance, attachmentId);
                return null;
            });
        }

        @Override
        public void markSelfUnhealthy(String reason) {
            call("autoscaling: set unhealthy", World.CallKind.CLOUD, () -> {
                instance.healthy = false;
                world.trace.event(instance.id, "marked unhealthy", "the group will replace it", -1);
                world.scheduler.at(world.now() + world.between(10_000, 60_000), () -> world.group.terminate(instance, "unhealthy"));
                return null;
            });
        }

        @Override
        public void terminateSelf(String reason) {
            call("autoscaling: terminate self", World.CallKind.CLOUD, () -> {
                instance.replaceOnTermination = true;
                world.scheduler.at(world.now() + 1, () -> world.group.terminate(instance, "terminated itself"));
                return null;
            });
        }

        @Override
        public Optional<dev.berth.spi.TerminationNotice> terminationNotice() {
            return call("imds: target lifecycle state", World.CallKind.CLOUD, () -> instance.spotNoticeAt >= 0
                    ? Optional.of(new dev.berth.spi.TerminationNotice("spot interruption notice", Optional.empty(),
                            dev.berth.spi.TerminationNotice.Kind.SPOT))
                    : instance.lifecycle.now() == dev.berth.spi.LifecycleState.TERMINATING_WAIT
                            ? Optional.of(new dev.berth.spi.TerminationNotice("target lifecycle state Terminated",
                                    Optional.of("berth-release")))
                            : Optional.<dev.berth.spi.TerminationNotice>empty());
        }

        @Override
        public void heartbeatLifecycleAction(String hookName) {
            call("autoscaling: lifecycle heartbeat", World.CallKind.CLOUD, () -> {
                if (world.faults.noActiveLifecycleAction) {
                    throw new CloudException(CloudException.Reason.INVALID, hookName, "No active Lifecycle Action found"
                            + " with instance ID " + instance.id);
                }
                return null;
            });
        }

        // Day 2 ---------------------------------------------------------------------------------

        @Override
        public Optional<dev.berth.spi.LifecycleState> selfLifecycleState() {
            return call("imds: target lifecycle state", World.CallKind.CLOUD, () -> Optional.ofNullable(instance.lifecycle.now()));
        }

        @Override
        public dev.berth.spi.VolumeModification modifyVolume(String volumeId, int sizeGiB) {
            return call("ec2: modify volume", World.CallKind.CLOUD, () -> {
                var v = world.ebs.volumes.get(volumeId);
                if (v == null) {
                    throw new CloudException(CloudException.Reason.NOT_FOUND, volumeId, "volume " + volumeId + " does not exist");
                }
                return world.modifications.modify(v, sizeGiB);
            });
        }

        @Override
        public Optional<dev.berth.spi.VolumeModification> describeVolumeModification(String volumeId) {
            return call("ec2: describe volume modifications", World.CallKind.CLOUD,
                    () -> world.modifications.describe(volumeId, world.viewTime()));
        }

        @Override
        public void deleteVolume(String volumeId) {
            call("ec2: delete volume", World.CallKind.CLOUD, () -> {
                world.ebs.deleteVolume(instance, volumeId);
                return null;
            });
        }

        @Override
        public Map<String, Long> createdMillis(Collection<String> resourceIds) {
            return call("ec2: describe creation times", World.CallKind.CLOUD, () -> {
                var result = new TreeMap<String, Long>();
                for (var id : resourceIds) {
                    var v = world.ebs.volumes.get(id);
                    var s = world.ebs.snapshots.get(id);
                    if (v != null) {
                        result.put(id, v.createdAt);
                    } else if (s != null) {
                        result.put(id, s.createdAt);
                    }
                }
                return result;
            });
        }

        @Override
        public void detachVolumeFrom(String volumeId, String instanceId) {
            call("ec2: force detach volume", World.CallKind.CLOUD, () -> {
                var other = world.group.instances.get(instanceId);
                if (other != null) {
                    world.ebs.detach(other, volumeId);
                }
                return null;
            });
        }

        @Override
        public void completeLifecycleAction(LifecycleAction action) {
            call("autoscaling: complete lifecycle", World.CallKind.CLOUD, () -> {
                if (world.faults.noActiveLifecycleAction) {
                    throw new CloudException(CloudException.Reason.INVALID, action.hookName(), "No active Lifecycle"
                            + " Action found with instance ID " + instance.id);
                }
                world.trace.event(instance.id, "lifecycle hook", "completed", -1);
                world.group.proceedTermination(instance);
                return null;
            });
        }
    }

    // Store -------------------------------------------------------------------------------------

    final class Store implements ClaimStore {
        @Override
        public Optional<Versioned> get(String key) {
            return call("store: get", World.CallKind.STORE, StoreCost.Op.GET, key, () -> world.store.get(key));
        }

        @Override
        public List<Versioned> list(String prefix) {
            return call("store: list", World.CallKind.STORE, StoreCost.Op.LIST, prefix, () -> world.store.list(prefix));
        }

        /**
         * Under the {@code s3} store model, what the S3 plugin answers: hints, no values (the writers'
         * hints are those derived from the values, as berth writes them), so that a claim reads only
         * the records of the slots it tries; other models list the values as before.
         */
        @Override
        public List<dev.berth.spi.Hinted> listHinted(String prefix, java.util.function.Function<byte[], String> hintOf) {
            if (world.storeCost == null || world.storeCost.model != StoreModel.S3) {
                return world.hinted(list(prefix));   // the values, as the default does, kept while unchanged
            }
            return call("store: list", World.CallKind.STORE, StoreCost.Op.LIST, prefix, () -> world.store.list(prefix).stream()
                    .map(v -> new dev.berth.spi.Hinted(v.key(), v.version(), Optional.of(hintOf.apply(v.value())), Optional.empty()))
                    .toList());
        }

        @Override
        public Optional<Versioned> getVersion(String key, String version) {
            if (world.storeCost == null || world.storeCost.model != StoreModel.S3) {
                return ClaimStore.super.getVersion(key, version);
            }
            return call("store: get", World.CallKind.STORE, StoreCost.Op.GET_VERSION, key,
                    () -> world.store.get(key).filter(v -> v.version().equals(version)));
        }

        @Override
        public WriteResult putIfAbsent(String key, byte[] value) {
            return write("store: put-if-absent", StoreCost.Op.PUT_IF_ABSENT, key, value, () -> world.store.putIfAbsent(key, value));
        }

        @Override
        public WriteResult compareAndSet(String key, String expectedVersion, byte[] value) {
            return write("store: compare-and-set", StoreCost.Op.COMPARE_AND_SET, key, value, () -> world.store.compareAndSet(key, expectedVersion, value));
        }

        private WriteResult write(String what, StoreCost.Op cost, String key, byte[] value, Supplier<WriteResult> op) {
            return call(what, World.CallKind.STORE, cost, key, () -> {
                var before = world.store.get(key);
                boolean claim = isClaim(key, before, value);
                if (claim) {
                    claimWrites++;
                    world.counters.claimWrites++;
                }
                var result = op.get();
                var slot = world.keys().slotOf(key).orElse(-1);
                world.trace.event(instance.id, what, key.substring(key.lastIndexOf('/') + 1) + " -> "
                        + (result instanceof Written w ? "written v" + w.version() : "conflict"), slot);
                if (result instanceof Written) {
                    world.onSlotWritten(instance, key, value);
                }
                return result;
            });
        }

        private boolean isClaim(String key, Optional<Versioned> before, byte[] value) {
            var slot = world.keys().slotOf(key);
            if (slot.isEmpty()) {
                return false;
            }
            try {
                var next = world.codec().decode(key, slot.getAsInt(), world.keys().cluster(), value);
                if (next.holder() == null || !next.holder().instanceId().equals(instance.id)) {
                    return false;
                }
                if (before.isEmpty()) {
                    return true;
                }
                var prev = world.codec().decode(key, slot.getAsInt(), world.keys().cluster(), before.get().value());
                return !prev.heldBy(instance.id) || prev.epoch() < next.epoch();
            } catch (RuntimeException e) {
                return false;
            }
        }

        @Override
        public DeleteResult deleteIfVersion(String key, String expectedVersion) {
            return call("store: delete-if-version", World.CallKind.STORE, StoreCost.Op.DELETE, key, () -> {
                var result = world.store.deleteIfVersion(key, expectedVersion);
                if (result instanceof dev.berth.spi.Deleted) {
                    world.onSlotDeleted(instance, key);
                }
                return result;
            });
        }

        @Override
        public String describe() {
            return "sim://store";
        }
    }

    // Devices and filesystems -----------------------------------------------------------------

    final class Disks implements BlockDevices, FileSystemDriver {
        private SimVolume attachedHere(String volumeId) {
            var v = world.ebs.volumes.get(volumeId);
            if (v == null) {
                return null;
            }
            var a = v.attachedNow();
            return a.size() == 1 && a.getFirst().instanceId().equals(instance.id)
                    && a.getFirst().state() == dev.berth.spi.AttachmentState.ATTACHED ? v : null;
        }

        private SimVolume byDevice(BlockDevice device) {
            var serial = device.serial().orElse("");
            var v = world.ebs.volumes.get("vol-" + serial.substring(3));
            if (v == null || attachedHere(v.id) == null) {
                throw new DeviceException("device " + device.path() + " is gone (its volume was detached)");
            }
            return v;
        }

        @Override
        public Optional<BlockDevice> resolve(String volumeId, String requestedDeviceName) {
            return call("udev: find device", World.CallKind.LOCAL, () -> {
                var v = attachedHere(volumeId);
                if (v == null) {
                    return Optional.<BlockDevice>empty();
                }
                return Optional.of(new BlockDevice(Path.of("/dev/nvme" + (1 + (v.id.hashCode() & 7)) + "n1"),
                        world.modifications.deviceSizeGiB(v) * (1L << 30), Optional.of("vol" + v.id.substring(4))));
            });
        }

        @Override
        public DeviceSignature probe(BlockDevice device) {
            return call("blkid: probe", World.CallKind.LOCAL, () -> {
                var v = byDevice(device);
                if (v.filesystem == null) {
                    return new DeviceSignature.Blank();
                }
                return new DeviceSignature.Recognized(v.filesystem, true, Optional.of(v.id), OptionalLong.of(v.sizeGiB * (1L << 30)));
            });
        }

        @Override
        public void makeFilesystem(BlockDevice device, FilesystemSpec spec) {
            call("mkfs", World.CallKind.LOCAL, () -> {
                var v = byDevice(device);
                world.ebs.onMkfs(instance, v);
                if (v.filesystem != null) {
                    throw new DeviceException("device " + device.path() + " already holds " + v.filesystem + "; not formatting it");
                }
                v.filesystem = spec.type();
                v.fsSizeGiB = world.modifications.deviceSizeGiB(v);
                v.formats++;
                world.trace.event(instance.id, "mkfs", v.id + " " + spec.type(), SimEbs.slotTag(v));
                return null;
            });
        }

        @Override
        public MountResult mount(BlockDevice device, MountSpec spec) {
            return call("mount", World.CallKind.LOCAL, () -> {
                var v = byDevice(device);
                if (v.id.equals(instance.mountedVolume)) {
                    return new MountResult.AlreadyMounted(spec.mountPoint());
                }
                if (instance.mountedVolume != null) {
                    throw new DeviceException(spec.mountPoint() + " already has " + instance.mountedVolume + " mounted");
                }
                world.ebs.onMount(instance, v);
                instance.mountedVolume = v.id;
                world.trace.event(instance.id, "mount", v.id + " at " + spec.mountPoint(), SimEbs.slotTag(v));
                return new MountResult.Mounted(spec.mountPoint());
            });
        }

        @Override
        public GrowResult grow(BlockDevice device, Path mountPoint) {
            return call("grow filesystem", World.CallKind.LOCAL, () -> {
                var v = byDevice(device);
                int now = world.modifications.deviceSizeGiB(v);
                if (v.fsSizeGiB >= now) {
                    return new GrowResult.AlreadyFull(device.sizeBytes());
                }
                world.trace.event(instance.id, "grow filesystem", v.id + " " + v.fsSizeGiB + " -> " + now + " GiB", SimEbs.slotTag(v));
                long before = v.fsSizeGiB * (1L << 30);
                v.fsSizeGiB = now;
                return new GrowResult.Grown(before, device.sizeBytes());
            });
        }

        @Override
        public Optional<String> mountedSource(Path mountPoint) {
            return Optional.ofNullable(instance.mountedVolume);
        }

        @Override
        public void unmount(Path mountPoint) {
            call("umount", World.CallKind.LOCAL, () -> {
                if (world.faults.unmountsFail && instance.mountedVolume != null) {
                    throw new dev.berth.spi.DeviceException("umount " + mountPoint + ": target is busy");
                }
                instance.mountedVolume = null;
                return null;
            });
        }
    }

    // Identity: a key file on the mounted volume ----------------------------------------------

    final class Identity implements IdentityProvider {
        private static final String FILE = "node.key";

        @Override
        public String kind() {
            return "sim";
        }

        private SimVolume mounted(Path dir) {
            var v = instance.mountedVolume == null ? null : world.ebs.volumes.get(instance.mountedVolume);
            if (v == null) {
                throw new IdentityException("no volume is mounted for " + dir);
            }
            return v;
        }

        /** The name a key gives; keys are never changed in place, so a name is worked out once per key (by identity). */
        private NodeIdentity name(byte[] key) {
            return world.identityNames.computeIfAbsent(key, k -> {
                try {
                    var fp = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(k));
                    return new NodeIdentity("sim", "NodeID-sim-" + fp.substring(0, 12), fp);
                } catch (java.security.NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        @Override
        public IdentityState load(Path dir) {
            return call("identity: load", World.CallKind.LOCAL, () -> {
                var key = mounted(dir).files.get(FILE);
                return key == null ? new IdentityState.Absent() : new IdentityState.Present(name(key));
            });
        }

        @Override
        public NodeIdentity generate(Path dir) {
            return call("identity: generate", World.CallKind.LOCAL, () -> write(dir, randomKey(), "generated"));
        }

        private byte[] randomKey() {
            var key = new byte[32];
            for (int i = 0; i < key.length; i++) {
                key[i] = (byte) world.random.nextInt(256);
            }
            return key;
        }

        private NodeIdentity write(Path dir, byte[] key, String how) {
            var v = mounted(dir);
            if (v.files.containsKey(FILE)) {
                throw new IdentityException("an identity already exists in " + dir);
            }
            var id = name(key);
            if (v.identityFingerprint != null && !v.identityFingerprint.equals(id.fingerprint())) {
                world.trace.violation("one identity per slot", SimEbs.slotTag(v), List.of(instance.id),
                        "volume " + v.id + " had identity " + v.identityFingerprint + " and got " + id.fingerprint());
            }
            v.files.put(FILE, key);
            v.identityFingerprint = id.fingerprint();
            world.trace.event(instance.id, "identity: " + how, id.publicName(), SimEbs.slotTag(v));
            return id;
        }

        @Override
        public NodeIdentity inspect(Path dir) {
            return ((IdentityState.Present) load(dir)).identity();
        }

        @Override
        public IdentityBundle export(Path dir) {
            return call("identity: export", World.CallKind.LOCAL, () -> new IdentityBundle("sim", Map.of(FILE, mounted(dir).files.get(FILE))));
        }

        @Override
        public NodeIdentity restore(Path dir, IdentityBundle bundle) {
            return call("identity: restore", World.CallKind.LOCAL, () -> write(dir, bundle.file(FILE), "restored"));
        }
    }

    /** Data keys for backups: random from the seeded source, "wrapped" by a fixed world key. */
    final class Keys implements KeyProvider {
        @Override
        public String keyReference() {
            return "sim";
        }

        @Override
        public DataKey newDataKey(String context) {
            var key = new byte[32];
            for (int i = 0; i < key.length; i++) {
                key[i] = (byte) world.random.nextInt(256);
            }
            return new DataKey(key, xor(key));
        }

        @Override
        public byte[] unwrap(byte[] wrappedKey, String context) {
            return xor(wrappedKey);
        }

        private byte[] xor(byte[] in) {
            var out = in.clone();
            for (int i = 0; i < out.length; i++) {
                out[i] ^= (byte) (0x5a + i);
            }
            return out;
        }
    }

    final class Env implements EnvFileWriter {
        @Override
        public void write(Path file, SequencedMap<String, String> values) {
            call("write env file", World.CallKind.LOCAL, () -> {
                world.processes.envWriter.write(file, values);
                return null;
            });
        }
    }
}
