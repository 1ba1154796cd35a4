package dev.berth.core.claim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.spi.BlockDevice;
import dev.berth.spi.DeviceSignature;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Step 6's rule: mkfs only a blank device of a never-formatted slot; data safety stops everything else it cannot mount. */
class FilesystemStepDecisionTest {
    private static final BlockDevice DEVICE = new BlockDevice(Path.of("/dev/nvme1n1"), 1L << 30, Optional.of("vol0a"));

    private static FilesystemStep.Decision decide(DeviceSignature signature, boolean formatted) {
        return FilesystemStep.decide(signature, formatted, 4, "vol-0a", DEVICE);
    }

    @Test
    void aBlankDeviceOfANeverFormattedSlotGetsAFilesystem() {
        assertEquals(new FilesystemStep.Decision.MakeFilesystem(), decide(new DeviceSignature.Blank(), false));
    }

    @Test
    void aBlankDeviceOfAFormattedSlotIsLoudDataLossNeverFormatted() {
        var refuse = assertInstanceOf(FilesystemStep.Decision.Refuse.class, decide(new DeviceSignature.Blank(), true));
        assertTrue(refuse.reason().contains("slot 4 says its volume vol-0a was formatted, but device /dev/nvme1n1 is blank"),
                refuse.reason());
        assertTrue(refuse.reason().contains("restore it from a snapshot"), refuse.reason());
    }

    @Test
    void aMountableFilesystemIsKeptAndOnlyAnUnformattedSlotSaysSo() {
        var ext4 = new DeviceSignature.Recognized("ext4", true, Optional.empty(), OptionalLong.empty());
        assertEquals(new FilesystemStep.Decision.Keep("ext4", false), decide(ext4, true));
        assertEquals(new FilesystemStep.Decision.Keep("ext4", true), decide(ext4, false));
    }

    @Test
    void aSignatureBerthCannotMountIsNeverFormattedOver() {
        var luks = new DeviceSignature.Recognized("crypto_LUKS", false, Optional.empty(), OptionalLong.empty());
        var refuse = assertInstanceOf(FilesystemStep.Decision.Refuse.class, decide(luks, false));
        assertTrue(refuse.reason().contains("holds crypto_LUKS, which berth cannot mount and will never format over"),
                refuse.reason());
    }

    @Test
    void unknownDataIsNeverFormattedOverEvenOnANeverFormattedSlot() {
        var refuse = assertInstanceOf(FilesystemStep.Decision.Refuse.class, decide(new DeviceSignature.UnknownData(4096), false));
        assertTrue(refuse.reason().contains("first non-zero byte at offset 4096"), refuse.reason());
    }
}
