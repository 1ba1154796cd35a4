package dev.berth.core.claim;

import dev.berth.spi.NodeIdentity;
import java.nio.file.Path;
import java.util.Optional;

/** What a ready slot gives the workload. */
public record SlotLease(
        String cluster,
        int slot,
        long epoch,
        String instanceId,
        String zone,
        String volumeId,
        Path device,
        Path mountPoint,
        Optional<NodeIdentity> identity,
        Optional<String> privateIp,
        Optional<String> publicIp) {
}
