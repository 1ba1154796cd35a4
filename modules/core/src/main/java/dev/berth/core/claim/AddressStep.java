package dev.berth.core.claim;

import dev.berth.core.slot.SlotEntry;
import dev.berth.core.slot.SlotRecord;
import dev.berth.core.slot.SlotRepository;
import dev.berth.spi.AttachmentState;
import dev.berth.spi.CloudException;
import dev.berth.spi.ElasticAddress;
import dev.berth.spi.InstanceIdentity;
import dev.berth.spi.NetworkInterface;
import dev.berth.spi.NetworkInterfaceRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Step 6b of DESIGN.md: the slot's Elastic IP and network interface follow the slot. Each part is
 * idempotent: an intent (a token) is recorded in the slot before anything is made, what was made is
 * found again by that token (tags for an address, the client token for an interface), and the
 * association or attachment is recorded by compare-and-set once it is made. Taking an address from
 * where it is follows {@link AddressTakeover}; the cloud's own refusal to associate or attach what is
 * already associated or attached elsewhere closes the gap between the rule's look and the call.
 */
final class AddressStep {
    static final String TAG_ADDRESS_TOKEN = "berth:address-token";

    /**
     * What the step gives the env file, and what it took (the association and the attachment this run
     * made, to give back when the claim turns out to be fenced at a later step).
     */
    record Result(SlotEntry held, Optional<String> publicIp, Optional<String> privateIp, Optional<String> interfaceId,
                  boolean privateIpChanged, Taken taken) {
    }

    /** The Elastic IP association and the network interface attachment this run made, if any. */
    record Taken(Optional<String> association, Optional<String> attachment) {
        static final Taken NOTHING = new Taken(Optional.empty(), Optional.empty());
    }

    private final ClaimSettings settings;
    private final ClaimContext context;
    private final Calls calls;
    private final SlotRepository slots;
    private final AddressTakeover takeover;
    private final BiFunction<SlotEntry, UnaryOperator<SlotRecord>, SlotEntry> updateHeld;

    AddressStep(ClaimSettings settings, ClaimContext context, Calls calls, SlotRepository slots, AddressTakeover takeover,
                BiFunction<SlotEntry, UnaryOperator<SlotRecord>, SlotEntry> updateHeld) {
        this.settings = settings;
        this.context = context;
        this.calls = calls;
        this.slots = slots;
        this.takeover = takeover;
        this.updateHeld = updateHeld;
    }

    /**
     * Fenced off while taking the address (a newer holder): what this run took so far is given back
     * before the error goes on; fenced off at a later step: {@link #undo} with the result's {@link Taken}.
     */
    Result ensure(InstanceIdentity me, SlotEntry held) {
        var network = settings.network();
        Optional<String> publicIp = Optional.empty();
        Optional<String> privateIp = Optional.empty();
        Optional<String> interfaceId = Optional.empty();
        boolean privateIpChanged = false;
        // what this call took so far, for the undo when it is fenced off midway (a local, never a field)
        var associationMade = new AtomicReference<String>();
        var attachmentMade = new AtomicReference<String>();
        try {
            if (network.elasticIp() != NetworkSettings.ElasticIp.NONE) {
                held = ensureAllocation(me, held);
                held = associate(me, held, associationMade::set);
                publicIp = Optional.of(address(held).publicIp());
            }
            if (network.interfaces() == NetworkSettings.Interfaces.PER_SLOT) {
                var before = address(held);
                if (before.interfaceId() != null && !me.zone().equals(before.interfaceZone())) {
                    held = retireInterface(me, held);
                    privateIpChanged = true;
                }
                held = ensureInterface(me, held);
                held = attach(me, held, attachmentMade::set);
                privateIp = Optional.of(address(held).privateIp());
                interfaceId = Optional.of(address(held).interfaceId());
            }
        } catch (ClaimException e) {
            if (e.kind() == ClaimException.Kind.FENCED) {
                undo(me, new Taken(Optional.ofNullable(associationMade.get()), Optional.ofNullable(attachmentMade.get())));
            }
            throw e;
        }
        return new Result(held, publicIp, privateIp, interfaceId, privateIpChanged,
                new Taken(Optional.ofNullable(associationMade.get()), Optional.ofNullable(attachmentMade.get())));
    }

    private static SlotRecord.AddressRef address(SlotEntry held) {
        return held.record().address() != null ? held.record().address() : SlotRecord.AddressRef.none();
    }

    private SlotEntry updateAddress(SlotEntry held, UnaryOperator<SlotRecord.AddressRef> change) {
        return updateHeld.apply(held, r -> r.withAddress(change.apply(
                r.address() != null ? r.address() : SlotRecord.AddressRef.none())));
    }

    // The Elastic IP ----------------------------------------------------------------------------

    private SlotEntry ensureAllocation(InstanceIdentity me, SlotEntry held) {
        var a = address(held);
        if (a.allocationId() != null) {
            return held;
        }
        int slot = held.slot();
        ElasticAddress found;
        if (settings.network().elasticIp() == NetworkSettings.ElasticIp.POOL) {
            var pool = settings.network().pool();
            if (slot >= pool.size()) {
                throw new ClaimException(ClaimException.Kind.REFUSED, "slot " + slot + " has no Elastic IP: network."
                        + "elasticIpPool lists " + pool.size() + " allocation ids (slot N takes the N-th); add one per"
                        + " slot (eipalloc-...) and re-run");
            }
            var allocationId = pool.get(slot);
            found = calls.run("describe Elastic IP " + allocationId, () -> context.cloud().describeAddress(allocationId))
                    .orElseThrow(() -> new ClaimException(ClaimException.Kind.REFUSED, "Elastic IP " + allocationId
                            + " of network.elasticIpPool (slot " + slot + ") does not exist in this region: check the"
                            + " allocation id in the console (EC2 > Elastic IPs)"));
        } else {
            var token = a.allocationToken();
            if (token == null) {
                var fresh = "berth-eip-" + VolumeClientToken.of(settings.cluster(), slot, "eip", held.record().epoch())
                        .substring("berth-".length(), "berth-".length() + 24);
                held = updateAddress(held, x -> x.withAllocationToken(fresh));
                token = fresh;
            }
            var tags = new LinkedHashMap<String, String>();
            tags.put("berth:cluster", settings.cluster());
            tags.put("berth:slot", Integer.toString(slot));
            tags.put(TAG_ADDRESS_TOKEN, token);
            tags.put("Name", settings.cluster() + "-slot-" + slot);
            found = calls.run("allocate the Elastic IP of slot " + slot, () -> context.cloud().allocateAddress(tags));
            log("Elastic IP " + found.publicIp() + " (" + found.allocationId() + ") for slot " + slot);
        }
        var chosen = found;
        return updateAddress(held, x -> x.withAllocation(chosen.allocationId(), chosen.publicIp()));
    }

    private SlotEntry associate(InstanceIdentity me, SlotEntry held, Consumer<String> took) {
        var a = address(held);
        var allocationId = a.allocationId();
        int slot = held.slot();
        long epoch = held.record().epoch();
        BoundedWait.forThe("Elastic IP " + a.publicIp() + " (" + allocationId + ") of slot " + slot + " to be free to"
                        + " associate with " + me.instanceId(), context.ticker(), context.log())
                .bound(BoundedWait.Bound.of("waits.holderSeconds", settings.waits().holderMillis()))
                .backoff(1_000, 15_000)
                .hint("the address is associated with a running instance that never held slot " + slot
                        + ": disassociate it by hand if it is not needed there, or give the slot another address")
                .until(() -> {
                    var seen = calls.run("describe Elastic IP " + allocationId, () -> context.cloud().describeAddress(allocationId));
                    if (seen.isEmpty()) {
                        return BoundedWait.Poll.pending("not visible yet");
                    }
                    var address = seen.get();
                    if (address.associatedWith(me.instanceId())) {
                        return BoundedWait.Poll.done(address);
                    }
                    var verdict = judge(address.instanceId(), Optional.ofNullable(a.associatedWith()), slot, me, epoch);
                    switch (verdict) {
                        case FENCED -> throw fenced(slot, epoch, "Elastic IP " + allocationId);
                        case NOT_OURS -> {
                            return BoundedWait.Poll.pending("associated with running instance " + address.instanceId().orElseThrow());
                        }
                        case TAKE -> {
                        }
                    }
                    if (address.associationId().isPresent()) {
                        var from = address.instanceId().orElse("?");
                        var associationId = address.associationId().get();
                        calls.run("disassociate Elastic IP " + allocationId + " from " + from,
                                () -> context.cloud().disassociateAddress(associationId));
                        log("took Elastic IP " + address.publicIp() + " of slot " + slot + " from " + from
                                + ", which no longer holds the slot");
                    }
                    try {
                        took.accept(calls.run("associate Elastic IP " + allocationId,
                                () -> context.cloud().associateAddress(allocationId)));
                    } catch (CloudException e) {
                        if (e.reason() == CloudException.Reason.CONFLICT || e.reason() == CloudException.Reason.NOT_FOUND) {
                            return BoundedWait.Poll.pending(e.reason() == CloudException.Reason.CONFLICT
                                    ? "still associated elsewhere" : "not visible to EC2 yet");
                        }
                        throw e;
                    }
                    return BoundedWait.Poll.done(address);
                });
        if (me.instanceId().equals(a.associatedWith())) {
            return held;
        }
        return updateAddress(held, x -> x.withAssociatedWith(me.instanceId()));
    }

    // The network interface ---------------------------------------------------------------------

    private SlotEntry retireInterface(InstanceIdentity me, SlotEntry held) {
        var a = address(held);
        if (settings.crossZone() == CrossZonePolicy.NEVER) {
            throw new ClaimException(ClaimException.Kind.REFUSED, "the network interface " + a.interfaceId() + " of slot "
                    + held.slot() + " is in zone " + a.interfaceZone() + " and this instance is in " + me.zone()
                    + "; the cross-zone policy is 'never', so the slot keeps it and waits for an instance in "
                    + a.interfaceZone());
        }
        var old = a.interfaceId();
        calls.run("tag the old network interface " + old, () -> context.cloud().tag(old,
                Map.of("berth:retired", "slot moved to " + me.zone())));
        log("network interface " + old + " of slot " + held.slot() + " stays in zone " + a.interfaceZone()
                + ": the slot gets a new one in " + me.zone() + " and a new private IP");
        var retired = new ArrayList<>(a.retiredInterfaces());
        retired.add(old);
        return updateAddress(held, x -> x.withInterfaceToken(null, null).withInterface(null, null, null, retired)
                .withAttachedTo(null));
    }

    private SlotEntry ensureInterface(InstanceIdentity me, SlotEntry held) {
        var a = address(held);
        if (a.interfaceId() != null) {
            return held;
        }
        int slot = held.slot();
        var token = a.interfaceToken();
        if (token == null || !me.zone().equals(a.interfaceZone())) {
            var fresh = "berth-eni-" + VolumeClientToken.of(settings.cluster(), slot, me.zone(), held.record().epoch())
                    .substring("berth-".length(), "berth-".length() + 30);
            held = updateAddress(held, x -> x.withInterfaceToken(fresh, me.zone()));
            token = fresh;
        }
        var tags = new LinkedHashMap<String, String>();
        tags.put("berth:cluster", settings.cluster());
        tags.put("berth:slot", Integer.toString(slot));
        tags.put("Name", settings.cluster() + "-slot-" + slot);
        var request = new NetworkInterfaceRequest(me.zone(), tags, token);
        NetworkInterface made = calls.run("create the network interface of slot " + slot,
                () -> context.cloud().createNetworkInterface(request));
        log("network interface " + made.interfaceId() + " (" + made.privateIp() + ") for slot " + slot + " in " + me.zone());
        var retired = a.retiredInterfaces();
        return updateAddress(held, x -> x.withInterface(made.interfaceId(), me.zone(), made.privateIp(), retired));
    }

    private SlotEntry attach(InstanceIdentity me, SlotEntry held, Consumer<String> took) {
        var a = address(held);
        var interfaceId = a.interfaceId();
        int slot = held.slot();
        long epoch = held.record().epoch();
        BoundedWait.forThe("network interface " + interfaceId + " of slot " + slot + " to attach to " + me.instanceId(),
                        context.ticker(), context.log())
                .bound(BoundedWait.Bound.of("waits.holderSeconds", settings.waits().holderMillis()))
                .backoff(1_000, 15_000)
                .hint("check the interface in the console (attached to a running instance that never held slot " + slot
                        + "? device index " + NetworkSettings.INTERFACE_DEVICE_INDEX + " taken by the launch template?)")
                .until(() -> {
                    var seen = calls.run("describe network interface " + interfaceId,
                            () -> context.cloud().describeNetworkInterface(interfaceId));
                    if (seen.isEmpty()) {
                        return BoundedWait.Poll.pending("not visible yet");
                    }
                    var ni = seen.get();
                    var attachment = ni.attachment();
                    if (attachment.isPresent() && attachment.get().instanceId().equals(me.instanceId())) {
                        return attachment.get().state() == AttachmentState.ATTACHED ? BoundedWait.Poll.done(ni)
                                : BoundedWait.Poll.pending(attachment.get().state().name().toLowerCase() + " here");
                    }
                    var verdict = judge(attachment.map(NetworkInterface.Attachment::instanceId),
                            Optional.ofNullable(a.attachedTo()), slot, me, epoch);
                    switch (verdict) {
                        case FENCED -> throw fenced(slot, epoch, "network interface " + interfaceId);
                        case NOT_OURS -> {
                            return BoundedWait.Poll.pending("attached to running instance " + attachment.get().instanceId());
                        }
                        case TAKE -> {
                        }
                    }
                    if (attachment.isPresent()) {
                        var from = attachment.get();
                        if (from.state() != AttachmentState.DETACHING) {
                            calls.run("detach network interface " + interfaceId + " from " + from.instanceId(),
                                    () -> context.cloud().detachNetworkInterface(from.attachmentId()));
                            log("detaching network interface " + interfaceId + " of slot " + slot + " from "
                                    + from.instanceId() + ", which no longer holds the slot");
                        }
                        return BoundedWait.Poll.pending("detaching from " + from.instanceId());
                    }
                    try {
                        took.accept(calls.run("attach network interface " + interfaceId, () ->
                                context.cloud().attachNetworkInterface(interfaceId, NetworkSettings.INTERFACE_DEVICE_INDEX)));
                    } catch (CloudException e) {
                        if (e.reason() == CloudException.Reason.CONFLICT || e.reason() == CloudException.Reason.NOT_FOUND) {
                            return BoundedWait.Poll.pending(e.reason() == CloudException.Reason.CONFLICT
                                    ? "still attached elsewhere" : "not visible to EC2 yet");
                        }
                        throw e;
                    }
                    return BoundedWait.Poll.pending("attaching");
                });
        if (me.instanceId().equals(a.attachedTo())) {
            return held;
        }
        return updateAddress(held, x -> x.withAttachedTo(me.instanceId()));
    }

    // Taking and letting go -----------------------------------------------------------------------

    private AddressTakeover.Verdict judge(Optional<String> current, Optional<String> lastGivenTo, int slot,
                                          InstanceIdentity me, long epoch) {
        return takeover.judge(current, lastGivenTo, () -> slots.read(slot).map(SlotEntry::record), me.instanceId(), epoch,
                id -> Optional.ofNullable(calls.run("describe instance " + id,
                        () -> context.cloud().instanceStates(List.of(id))).get(id)));
    }

    private ClaimException fenced(int slot, long epoch, String what) {
        return new ClaimException(ClaimException.Kind.FENCED, "slot " + slot + " is no longer held by this instance at"
                + " epoch " + epoch + ": it must not take " + what + ". Stop the workload here");
    }

    /** Fenced off after this run associated or attached: give back exactly what it took (best effort). */
    void undo(InstanceIdentity me, Taken taken) {
        taken.association().ifPresent(id -> bestEffort("disassociate Elastic IP association " + id + " from "
                + me.instanceId(), () -> context.cloud().disassociateAddress(id)));
        taken.attachment().ifPresent(id -> bestEffort("detach network interface attachment " + id + " from "
                + me.instanceId(), () -> context.cloud().detachNetworkInterface(id)));
    }

    /**
     * The keeper or {@code berth release}: lets go of the slot's address and interface while this instance
     * still holds the slot, so the next holder finds them free. Only what is associated or attached here.
     */
    void release(InstanceIdentity me, SlotRecord record) {
        var a = record.address();
        if (a == null) {
            return;
        }
        // The record says what this instance took; a describe call may lag behind that (eventual consistency),
        // so where the record names this instance, wait (bounded) until the cloud shows it before letting go.
        if (a.allocationId() != null) {
            var allocationId = a.allocationId();
            boolean recordedHere = me.instanceId().equals(a.associatedWith());
            bestEffort("release Elastic IP " + allocationId, () -> seen("Elastic IP " + allocationId
                    + " associated with " + me.instanceId(), recordedHere, () -> context.cloud().describeAddress(allocationId)
                    .filter(x -> x.associatedWith(me.instanceId()))
                    .flatMap(ElasticAddress::associationId))
                    .ifPresent(id -> context.cloud().disassociateAddress(id)));
        }
        if (a.interfaceId() != null) {
            var interfaceId = a.interfaceId();
            boolean recordedHere = me.instanceId().equals(a.attachedTo());
            bestEffort("detach network interface " + interfaceId, () -> seen("network interface " + interfaceId
                    + " attached to " + me.instanceId(), recordedHere, () -> context.cloud().describeNetworkInterface(interfaceId)
                    .flatMap(NetworkInterface::attachment)
                    .filter(x -> x.instanceId().equals(me.instanceId()))
                    .map(NetworkInterface.Attachment::attachmentId))
                    .ifPresent(id -> context.cloud().detachNetworkInterface(id)));
        }
    }

    /** How long a release waits for a lagging describe to show what the slot record says this instance took. */
    private static final long DESCRIBE_LAG_MILLIS = 60_000;

    /** What {@code look} finds; where the record says it must be there, looked for again (bounded) until it is. */
    private java.util.Optional<String> seen(String what, boolean recorded, java.util.function.Supplier<java.util.Optional<String>> look) {
        if (!recorded) {
            return look.get();
        }
        return BoundedWait.forThe(what + " to show in a describe call", context.ticker(), context.log())
                .bound(BoundedWait.Bound.of("the describe lag bound (60 s)", DESCRIBE_LAG_MILLIS))
                .backoff(500, 5_000)
                .hint("the slot record says it is there; let go of it by hand if it still is")
                .until(() -> look.get().<BoundedWait.Poll<java.util.Optional<String>>>map(id -> BoundedWait.Poll.done(java.util.Optional.of(id)))
                        .orElseGet(() -> BoundedWait.Poll.pending("not visible yet")));
    }

    private void bestEffort(String what, Runnable call) {
        try {
            calls.run(what, call);
            log(what + ": done");
        } catch (RuntimeException e) {
            log("could not " + what + " (" + e.getMessage() + "); the next holder takes it once this instance is gone");
        }
    }

    private void log(String message) {
        context.log().info(message);
    }
}
