package dev.berth.spi;

/** One attachment of a volume to an instance, with the device name asked for at attach time. */
public record VolumeAttachment(String volumeId, String instanceId, String deviceName, AttachmentState state) {
}
