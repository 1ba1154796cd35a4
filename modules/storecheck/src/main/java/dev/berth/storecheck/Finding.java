package dev.berth.storecheck;

/** One thing the check found unsafe: which probe, and what the store did wrong. */
public record Finding(String probe, String problem) {

    @Override
    public String toString() {
        return probe + ": " + problem;
    }
}
