package dev.berth.spi;

import java.util.Objects;

/**
 * A change of a volume's size (EBS ModifyVolume) and how far it got. The new size is usable
 * once the state is {@link State#OPTIMIZING} or {@link State#COMPLETED}; EBS then refuses
 * another modification of the same volume for six hours.
 *
 * @param startedMillis when the modification started (epoch milliseconds), 0 when unknown
 */
public record VolumeModification(String volumeId, int originalSizeGiB, int targetSizeGiB, State state, long startedMillis) {

    public enum State {
        MODIFYING, OPTIMIZING, COMPLETED, FAILED;

        /** Whether the volume already offers its new size (the filesystem may grow). */
        public boolean sizeUsable() {
            return this == OPTIMIZING || this == COMPLETED;
        }
    }

    public VolumeModification {
        Objects.requireNonNull(volumeId, "volumeId");
        Objects.requireNonNull(state, "state");
    }
}
