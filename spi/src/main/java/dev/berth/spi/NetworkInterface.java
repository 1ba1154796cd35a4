package dev.berth.spi;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A network interface: its zone, its primary private address, and its attachment (if any), as a
 * describe call saw it (describes may lag behind writes).
 */
public record NetworkInterface(
        String interfaceId,
        String zone,
        String privateIp,
        Optional<Attachment> attachment,
        Map<String, String> tags) {

    public NetworkInterface {
        Objects.requireNonNull(interfaceId, "interfaceId");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(privateIp, "privateIp");
        Objects.requireNonNull(attachment, "attachment");
        tags = Map.copyOf(tags);
    }

    /** One attachment of an interface to an instance at a device index. */
    public record Attachment(String attachmentId, String instanceId, int deviceIndex, AttachmentState state) {
    }

    public boolean attachedTo(String instance) {
        return attachment.filter(a -> a.instanceId().equals(instance)).isPresent();
    }
}
