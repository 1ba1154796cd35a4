package dev.berth.core.fleet;

import java.util.List;

/** What {@code berth gc} would delete, and what it keeps on purpose (and why). */
public record GcPlan(List<Item> delete, List<Item> keep) {

    public GcPlan {
        delete = List.copyOf(delete);
        keep = List.copyOf(keep);
    }

    public enum Kind {
        VOLUME, SNAPSHOT, SLOT;

        public String text() {
            return name().toLowerCase();
        }
    }

    /**
     * One resource: a volume, a snapshot, or a slot record above capacity (its volume is listed too).
     *
     * @param slot the slot it belonged to, or -1
     */
    public record Item(Kind kind, String id, int slot, String reason) {
    }
}
