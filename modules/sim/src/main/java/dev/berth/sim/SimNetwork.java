package dev.berth.sim;

import dev.berth.core.slot.SlotRecord;
import dev.berth.spi.AttachmentState;
import dev.berth.spi.CloudException;
import dev.berth.spi.ElasticAddress;
import dev.berth.spi.NetworkInterface;
import dev.berth.spi.NetworkInterfaceRequest;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Elastic IPs and network interfaces of the simulated world (DESIGN step 6b): association and attachment
 * state machines, describes that lag like every other, and the invariants on them, checked whenever an
 * association, an attachment or a slot record changes: a slot's address or interface is on no live
 * instance but the slot's holder; once the holder has recorded it, it stays on the holder while the holder
 * lives; no two slots share one; no more addresses are allocated than there are slots.
 */
final class SimNetwork {
    private final World world;
    final Map<String, SimAddress> addresses = new LinkedHashMap<>();
    final Map<String, SimInterface> interfaces = new LinkedHashMap<>();
    private final Map<String, String> interfaceByToken = new HashMap<>();
    /** The last record written for each slot, as the invariants judge against it. */
    private final Map<Integer, SlotRecord> records = new HashMap<>();
    private final Map<String, Integer> slotOfAllocation = new HashMap<>();
    private final Map<String, Integer> slotOfInterface = new HashMap<>();
    /** slot/instance pairs that received a slot's address or interface from an earlier instance. */
    private final Set<String> moves = new TreeSet<>();
    private final Map<String, String> lastOnAddress = new HashMap<>();
    private final Map<String, String> lastOnInterface = new HashMap<>();
    /** Addresses and interfaces their own instance let go of (keeper, release): not taken from it. */
    private final Map<String, String> letGoBy = new HashMap<>();
    long allocated;
    long interfacesCreated;
    private int counter;

    SimNetwork(World world) {
        this.world = world;
    }

    long moves() {
        return moves.size();
    }

    // Elastic IPs ---------------------------------------------------------------------------------

    ElasticAddress allocate(SimInstance caller, Map<String, String> tags) {
        for (var a : addresses.values()) {
            if (a.tags.entrySet().containsAll(tags.entrySet())) {
                return view(a, world.now()).orElseThrow();
            }
        }
        if (!tags.containsKey("berth:cluster")) {
            world.trace.violation("every resource carries the cluster tag", -1, List.of(caller.id), "Elastic IP allocated untagged");
        }
        int n = ++counter;
        var a = new SimAddress(String.format("eipalloc-%017x", n), "198.51." + (n / 250) + "." + (n % 250 + 1), world.now());
        a.tags.putAll(tags);
        a.association.set(world.now(), null);
        addresses.put(a.allocationId, a);
        allocated++;
        int slots = Math.max(world.group.maxDesired, world.config.capacity());
        if (allocated > slots) {
            world.trace.violation("no address allocated beyond the slot count", slotTag(a.tags), List.of(caller.id),
                    allocated + " Elastic IPs allocated for at most " + slots + " slots");
        }
        return view(a, world.now()).orElseThrow();
    }

    Optional<ElasticAddress> describe(String allocationId) {
        var a = addresses.get(allocationId);
        return a == null ? Optional.empty() : view(a, world.viewTime());
    }

    private static Optional<ElasticAddress> view(SimAddress a, long t) {
        if (a.createdAt > t) {
            return Optional.empty();
        }
        var assoc = a.association.at(t);
        return Optional.of(new ElasticAddress(a.allocationId, a.publicIp,
                Optional.ofNullable(assoc).map(SimAddress.Association::instanceId),
                Optional.ofNullable(assoc).map(SimAddress.Association::associationId), a.tags));
    }

    String associate(SimInstance caller, String allocationId) {
        var a = addresses.get(allocationId);
        if (a == null) {
            throw new CloudException(CloudException.Reason.NOT_FOUND, allocationId, "address " + allocationId + " does not exist");
        }
        var now = a.now();
        if (now != null && now.instanceId().equals(caller.id)) {
            return now.associationId();
        }
        if (now != null) {
            throw new CloudException(CloudException.Reason.CONFLICT, allocationId, "Resource.AlreadyAssociated: "
                    + allocationId + " is associated with " + now.instanceId() + " (simulated)");
        }
        var id = String.format("eipassoc-%017x", ++counter);
        a.association.set(world.now(), new SimAddress.Association(caller.id, id));
        letGoBy.remove(allocationId);
        moved(lastOnAddress, allocationId, slotTag(a.tags), caller.id);
        world.trace.event(caller.id, "ec2: associate address", a.publicIp + " (" + allocationId + ")", slotTag(a.tags));
        check();
        return id;
    }

    void disassociate(SimInstance caller, String associationId) {
        for (var a : addresses.values()) {
            var now = a.now();
            if (now != null && now.associationId().equals(associationId)) {
                if (now.instanceId().equals(caller.id)) {
                    letGoBy.put(a.allocationId, caller.id);
                }
                a.association.set(world.now(), null);
                world.trace.event(caller.id, "ec2: disassociate address", a.publicIp + " from " + now.instanceId(), slotTag(a.tags));
                check();
                return;
            }
        }
    }

    // Network interfaces --------------------------------------------------------------------------

    NetworkInterface create(SimInstance caller, NetworkInterfaceRequest request) {
        world.faults.checkZoneUp(request.zone(), request.zone());
        var known = interfaceByToken.get(request.clientToken());
        if (known != null) {
            return view(interfaces.get(known), world.now()).orElseThrow();
        }
        if (!request.tags().containsKey("berth:cluster")) {
            world.trace.violation("every resource carries the cluster tag", -1, List.of(caller.id), "interface created untagged");
        }
        int n = ++counter;
        var ni = new SimInterface(String.format("eni-%017x", n), request.zone(), "10.1." + (n / 250) + "." + (n % 250 + 4),
                world.now());
        ni.tags.putAll(request.tags());
        ni.attachment.set(world.now(), null);
        interfaces.put(ni.id, ni);
        interfaceByToken.put(request.clientToken(), ni.id);
        interfacesCreated++;
        return view(ni, world.now()).orElseThrow();
    }

    Optional<NetworkInterface> describeInterface(String interfaceId) {
        var ni = interfaces.get(interfaceId);
        return ni == null ? Optional.empty() : view(ni, world.viewTime());
    }

    private static Optional<NetworkInterface> view(SimInterface ni, long t) {
        if (ni.createdAt > t) {
            return Optional.empty();
        }
        return Optional.of(new NetworkInterface(ni.id, ni.zone, ni.privateIp, Optional.ofNullable(ni.attachment.at(t)), ni.tags));
    }

    String attach(SimInstance caller, String interfaceId, int deviceIndex) {
        var ni = interfaces.get(interfaceId);
        if (ni == null || ni.createdAt > world.viewTime()) {
            throw new CloudException(CloudException.Reason.NOT_FOUND, interfaceId, "interface " + interfaceId + " does not exist (yet)");
        }
        world.faults.checkZoneUp(ni.zone, interfaceId);
        if (!ni.zone.equals(caller.zone)) {
            throw new CloudException(CloudException.Reason.INVALID, interfaceId, "interface " + interfaceId + " is in zone "
                    + ni.zone + " and instance " + caller.id + " in " + caller.zone);
        }
        var now = ni.now();
        if (now != null) {
            if (now.instanceId().equals(caller.id)) {
                return now.attachmentId();
            }
            throw new CloudException(CloudException.Reason.CONFLICT, interfaceId, "InvalidNetworkInterface.InUse: "
                    + interfaceId + " is attached to " + now.instanceId() + " (simulated)");
        }
        var id = String.format("eni-attach-%017x", ++counter);
        var attaching = new NetworkInterface.Attachment(id, caller.id, deviceIndex, AttachmentState.ATTACHING);
        ni.attachment.set(world.now(), attaching);
        letGoBy.remove(interfaceId);
        moved(lastOnInterface, interfaceId, slotTag(ni.tags), caller.id);
        world.trace.event(caller.id, "ec2: attach network interface", interfaceId + " (" + ni.privateIp + ")", slotTag(ni.tags));
        check();
        world.scheduler.at(world.now() + world.physics.attach().draw(world.random), () -> {
            var current = ni.now();
            if (current != null && current.attachmentId().equals(id) && current.state() == AttachmentState.ATTACHING) {
                ni.attachment.set(world.now(), new NetworkInterface.Attachment(id, caller.id, deviceIndex, AttachmentState.ATTACHED));
            }
        });
        return id;
    }

    void detach(SimInstance caller, String attachmentId) {
        for (var ni : interfaces.values()) {
            var now = ni.now();
            if (now != null && now.attachmentId().equals(attachmentId) && now.state() != AttachmentState.DETACHING) {
                if (now.instanceId().equals(caller.id)) {
                    letGoBy.put(ni.id, caller.id);
                }
                ni.attachment.set(world.now(), new NetworkInterface.Attachment(attachmentId, now.instanceId(), now.deviceIndex(),
                        AttachmentState.DETACHING));
                world.trace.event(caller.id, "ec2: detach network interface", ni.id + " from " + now.instanceId(), slotTag(ni.tags));
                world.scheduler.at(world.now() + world.physics.detach().draw(world.random), () -> dropAttachment(ni, attachmentId));
                return;
            }
        }
    }

    private void dropAttachment(SimInterface ni, String attachmentId) {
        var current = ni.now();
        if (current != null && current.attachmentId().equals(attachmentId)) {
            ni.attachment.set(world.now(), null);
            check();
        }
    }

    /** EC2 on termination: an Elastic IP is disassociated, an interface kept (delete-on-termination off) is detached. */
    void onTerminated(SimInstance instance) {
        for (var a : addresses.values()) {
            var now = a.now();
            if (now != null && now.instanceId().equals(instance.id)) {
                a.association.set(world.now(), null);
            }
        }
        for (var ni : interfaces.values()) {
            var now = ni.now();
            if (now != null && now.instanceId().equals(instance.id)) {
                ni.attachment.set(world.now(), null);
            }
        }
    }

    private void moved(Map<String, String> last, String resource, int slot, String to) {
        var before = last.put(resource, to);
        if (before != null && !before.equals(to)) {
            moves.add(slot + "/" + to);
        }
    }

    static int slotTag(Map<String, String> tags) {
        var s = tags.get("berth:slot");
        return s == null ? -1 : Integer.parseInt(s);
    }

    // Invariants ----------------------------------------------------------------------------------

    void onSlotWritten(SimInstance writer, int slot, SlotRecord record) {
        records.put(slot, record);
        var a = record.address();
        if (a != null) {
            same(slotOfAllocation, a.allocationId(), slot, writer, "Elastic IP");
            same(slotOfInterface, a.interfaceId(), slot, writer, "network interface");
        }
        check();
    }

    private void same(Map<String, Integer> owner, String id, int slot, SimInstance writer, String what) {
        if (id == null) {
            return;
        }
        var first = owner.putIfAbsent(id, slot);
        if (first != null && first != slot) {
            world.trace.violation("no two slots share an address", slot, List.of(writer.id),
                    what + " " + id + " is recorded by slot " + first + " and slot " + slot);
        }
    }

    /**
     * Running and staying: an instance EC2 is taking away (termination requested, or a spot notice: it is
     * reclaimed within two minutes whatever it does) is on its way out like one in Terminating:Wait. Its
     * release may fail to disassociate (a throttled API for the whole notice) and still let the slot go, as
     * the spot rule demands; the address then goes with the instance, and the next holder takes it over.
     */
    private boolean live(String instanceId) {
        var i = world.group.instances.get(instanceId);
        return i != null && !i.terminated() && !i.terminationRequested && i.spotNoticeAt < 0 && i.running();
    }

    private void check() {
        for (var a : addresses.values()) {
            var on = a.now();
            var instance = on == null ? null : on.instanceId();
            judge(slotTag(a.tags), a.allocationId, "Elastic IP " + a.publicIp, instance, instance, true);
        }
        for (var ni : interfaces.values()) {
            var on = ni.now();
            // an interface detaching has been let go of: its instance no longer has it for the rule, though it is still there
            var instance = on == null ? null : on.instanceId();
            var using = on == null || on.state() == AttachmentState.DETACHING ? null : instance;
            judge(slotTag(ni.tags), ni.id, "network interface " + ni.id, using, instance, false);
        }
    }

    /** Each broken state is reported once, not again at every later check. */
    private final Set<String> reported = new TreeSet<>();

    private void report(int slot, List<String> who, String detail) {
        if (reported.add(slot + "|" + who + "|" + detail)) {
            world.trace.violation("an address is associated only with its slot's live holder", slot, who, detail);
        }
    }

    /** {@code on}: the instance using it now; {@code there}: the instance it is on, detaching or not. */
    private void judge(int slot, String id, String what, String on, String there, boolean address) {
        var record = records.get(slot);
        var holder = record == null || record.holder() == null ? null : record.holder().instanceId();
        if (on != null && live(on) && !on.equals(holder)) {
            report(slot, List.of(on),
                    what + " of slot " + slot + " is on running instance " + on + ", which does not hold the slot ("
                            + (holder == null ? "nobody does" : holder + " does") + ")");
            return;
        }
        if (holder == null || record.address() == null || !live(holder)) {
            return;
        }
        // only for the address or interface the slot names now (not one retired by a move to another zone)
        var named = address ? record.address().allocationId() : record.address().interfaceId();
        var given = address ? record.address().associatedWith() : record.address().attachedTo();
        if (id.equals(named) && holder.equals(given) && !holder.equals(there) && !holder.equals(letGoBy.get(id))) {
            report(slot,
                    there == null ? List.of(holder) : List.of(holder, there),
                    what + " of slot " + slot + " was taken from its live holder " + holder
                            + (there == null ? "" : " and given to " + there));
        }
    }
}
