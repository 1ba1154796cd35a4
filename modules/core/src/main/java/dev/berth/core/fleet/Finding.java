package dev.berth.core.fleet;

/**
 * Something wrong with the fleet that an operator should look at, as {@code berth status} lists it.
 *
 * @param slot     the slot it is about, or -1
 * @param resource the volume, snapshot, instance or key it is about
 */
public record Finding(Kind kind, int slot, String resource, String message) {

    public enum Kind {
        /** A volume tagged for the cluster that no slot names and no in-flight intent may produce. */
        ORPHAN_VOLUME("orphan volume"),
        /** A volume a cross-zone move left behind, still there. */
        RETIRED_VOLUME("retired volume"),
        /** A snapshot berth made that no slot and no in-flight intent needs any more. */
        ORPHAN_SNAPSHOT("orphan snapshot"),
        /** The slot's holder is terminated or unknown past the grace period: release the slot. */
        HOLDER_GONE("holder gone"),
        /** The slot's volume is attached to an instance that does not hold the slot. */
        ATTACHED_ELSEWHERE("attached elsewhere"),
        /** More slots than capacity (after a scale-in). */
        ABOVE_CAPACITY("above capacity"),
        /** A volume is being created for the slot for longer than the bound. */
        STALE_INTENT("stale intent"),
        /** A slot record berth cannot read. */
        CORRUPT_SLOT("corrupt slot"),
        /** berth store check found the store unsafe. */
        STORE_UNSAFE("store unsafe");

        private final String text;

        Kind(String text) {
            this.text = text;
        }

        /** Its name in output and JSON: "holder gone". */
        public String text() {
            return text;
        }
    }
}
