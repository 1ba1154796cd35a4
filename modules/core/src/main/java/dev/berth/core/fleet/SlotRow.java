package dev.berth.core.fleet;

import dev.berth.core.claim.HolderStatus;

/**
 * One slot as {@code berth status} shows it. Strings are null where there is nothing to show.
 *
 * @param holderState   what the cloud says of the holder: none, alive, terminating, gone
 * @param sinceMillis   when the holder claimed the slot (epoch milliseconds), 0 when free
 * @param sizeGiB       the volume's size as the cloud shows it, 0 when unknown
 * @param attachedTo    the instances the volume is attached to, comma-separated
 * @param modification  a pending size change ("modifying to 200 GiB"), or null
 * @param intent        a volume being created (its zone and client token), or null
 */
public record SlotRow(
        int slot,
        String holder,
        HolderStatus holderState,
        long epoch,
        long sinceMillis,
        String volumeId,
        String zone,
        int sizeGiB,
        String attachedTo,
        String identity,
        boolean backup,
        String modification,
        String intent) {
}
