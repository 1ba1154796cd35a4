package dev.berth.spi;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A block volume (an EBS volume on AWS) as a describe call saw it. */
public record Volume(
        String volumeId,
        String zone,
        int sizeGiB,
        VolumeState state,
        Optional<String> snapshotId,
        Map<String, String> tags,
        List<VolumeAttachment> attachments) {

    public Volume {
        tags = Map.copyOf(tags);
        attachments = List.copyOf(attachments);
    }

    /** The attachment to the given instance, in whatever state, if any. */
    public Optional<VolumeAttachment> attachmentTo(String instanceId) {
        return attachments.stream().filter(a -> a.instanceId().equals(instanceId)).findFirst();
    }
}
