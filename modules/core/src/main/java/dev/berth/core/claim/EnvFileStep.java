package dev.berth.core.claim;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.SequencedMap;

/**
 * Step 8 of DESIGN.md, second half: the env file the workload reads (slot, epoch, node id, data
 * dir, addresses).
 */
final class EnvFileStep {

    private EnvFileStep() {
    }

    /** The file's entries, in the order they are written; {@code identityDirectory} is relative to the mount point. */
    static SequencedMap<String, String> entries(SlotLease lease, AddressStep.Result address, Path identityDirectory) {
        var env = new LinkedHashMap<String, String>();
        env.put("BERTH_CLUSTER", lease.cluster());
        env.put("BERTH_SLOT", Integer.toString(lease.slot()));
        env.put("BERTH_EPOCH", Long.toString(lease.epoch()));
        env.put("BERTH_INSTANCE_ID", lease.instanceId());
        env.put("BERTH_ZONE", lease.zone());
        env.put("BERTH_VOLUME_ID", lease.volumeId());
        env.put("BERTH_DEVICE", lease.device().toString());
        env.put("BERTH_DATA_DIR", lease.mountPoint().toString());
        lease.identity().ifPresent(id -> {
            env.put("BERTH_IDENTITY_KIND", id.kind());
            env.put("BERTH_NODE_ID", id.publicName());
            env.put("BERTH_IDENTITY_FINGERPRINT", id.fingerprint());
            env.put("BERTH_IDENTITY_DIR", lease.mountPoint().resolve(identityDirectory).toString());
        });
        lease.privateIp().ifPresent(ip -> env.put("BERTH_PRIVATE_IP", ip));
        lease.publicIp().ifPresent(ip -> env.put("BERTH_PUBLIC_IP", ip));
        address.publicIp().ifPresent(ip -> env.put("BERTH_SLOT_PUBLIC_IP", ip));
        address.privateIp().ifPresent(ip -> env.put("BERTH_SLOT_PRIVATE_IP", ip));
        address.interfaceId().ifPresent(id -> env.put("BERTH_INTERFACE_ID", id));
        if (address.privateIpChanged()) {
            env.put("BERTH_SLOT_PRIVATE_IP_CHANGED", "1");
        }
        return env;
    }

    static void write(ClaimRun run, SlotLease lease, AddressStep.Result address) {
        run.context().envFiles().write(run.settings().envFile(), entries(lease, address, run.settings().identity().directory()));
    }
}
