package dev.berth.property;

/** How hard the properties search: at least 1,000 tries per property in CI; -Dberth.tries=N locally for more. */
final class PropertySettings {
    static final int TRIES = Integer.getInteger("berth.tries", 1000);
    static final long DEFAULT_BASE_SEED = 20261125L;
    static final long BASE_SEED = Long.getLong("berth.seed", DEFAULT_BASE_SEED);

    private PropertySettings() {
    }
}
