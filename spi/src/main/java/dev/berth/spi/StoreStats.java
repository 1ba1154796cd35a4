package dev.berth.spi;

/**
 * Requests a store plugin sent to its backend since it was opened, by kind, as the plugin counts
 * them (an S3 store: GET and HEAD are reads, PUT writes, LIST pages lists, DELETE deletes). For
 * benchmarks and cost estimates; a store that does not count returns {@link #NONE}.
 */
public record StoreStats(long reads, long writes, long lists, long deletes) {

    public static final StoreStats NONE = new StoreStats(0, 0, 0, 0);

    public long total() {
        return reads + writes + lists + deletes;
    }

    /** What happened between {@code earlier} and this. */
    public StoreStats minus(StoreStats earlier) {
        return new StoreStats(reads - earlier.reads, writes - earlier.writes, lists - earlier.lists, deletes - earlier.deletes);
    }
}
