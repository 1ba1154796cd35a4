package dev.berth.core.claim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.core.slot.SlotEntry;
import dev.berth.core.slot.SlotRecord;
import dev.berth.spi.NodeIdentity;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Step 8's env file: what the workload reads, in a stable order. */
class EnvFileStepTest {
    private static final SlotEntry HELD = new SlotEntry(3, SlotRecord.fresh("c1", 3), "v1");

    @Test
    void aLeaseWithIdentityAndSlotAddressesGivesEveryEntryInOrder() {
        var lease = new SlotLease("c1", 3, 7, "i-1", "us-east-1a", "vol-a", Path.of("/dev/nvme1n1"), Path.of("/data"),
                Optional.of(new NodeIdentity("x509", "node-3", "sha256:ab")), Optional.of("10.0.0.5"), Optional.empty());
        var address = new AddressStep.Result(HELD, Optional.of("3.3.3.3"), Optional.of("10.0.9.9"), Optional.of("eni-1"), true,
                AddressStep.Taken.NOTHING);
        var env = EnvFileStep.entries(lease, address, Path.of("identity"));
        assertEquals(List.of("BERTH_CLUSTER", "BERTH_SLOT", "BERTH_EPOCH", "BERTH_INSTANCE_ID", "BERTH_ZONE",
                "BERTH_VOLUME_ID", "BERTH_DEVICE", "BERTH_DATA_DIR", "BERTH_IDENTITY_KIND", "BERTH_NODE_ID",
                "BERTH_IDENTITY_FINGERPRINT", "BERTH_IDENTITY_DIR", "BERTH_PRIVATE_IP", "BERTH_SLOT_PUBLIC_IP",
                "BERTH_SLOT_PRIVATE_IP", "BERTH_INTERFACE_ID", "BERTH_SLOT_PRIVATE_IP_CHANGED"), List.copyOf(env.keySet()));
        assertEquals("7", env.get("BERTH_EPOCH"));
        assertEquals("node-3", env.get("BERTH_NODE_ID"));
        assertEquals("/data/identity", env.get("BERTH_IDENTITY_DIR"));
        assertEquals("1", env.get("BERTH_SLOT_PRIVATE_IP_CHANGED"));
    }

    @Test
    void aBareLeaseGivesOnlyTheSlotTheVolumeAndTheDataDir() {
        var lease = new SlotLease("c1", 0, 1, "i-2", "us-east-1b", "vol-b", Path.of("/dev/xvdf"), Path.of("/var/lib/app"),
                Optional.empty(), Optional.empty(), Optional.empty());
        var address = new AddressStep.Result(HELD, Optional.empty(), Optional.empty(), Optional.empty(), false,
                AddressStep.Taken.NOTHING);
        var env = EnvFileStep.entries(lease, address, Path.of("identity"));
        assertEquals(List.of("BERTH_CLUSTER", "BERTH_SLOT", "BERTH_EPOCH", "BERTH_INSTANCE_ID", "BERTH_ZONE",
                "BERTH_VOLUME_ID", "BERTH_DEVICE", "BERTH_DATA_DIR"), List.copyOf(env.keySet()));
        assertEquals("/var/lib/app", env.get("BERTH_DATA_DIR"));
    }
}
