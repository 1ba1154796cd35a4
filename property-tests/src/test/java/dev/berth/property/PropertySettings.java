package dev.berth.property;

/** How hard the properties search: at least 1,000 tries per property in CI; -Dberth.tries=N locally for more. */
final class PropertySettings {
    static final int TRIES = Integer.getInteger("berth.tries", 1000);
    static final long BASE_SEED = Long.getLong("berth.seed", 20261125L);

    private PropertySettings() {
    }
}
