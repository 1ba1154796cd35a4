package dev.berth.core.slot;

import dev.berth.spi.BerthException;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/** Where a cluster's records live in the claim store: {@code clusters/<cluster>/slots/<slot>}. */
public final class SlotKeys {
    private static final Pattern CLUSTER = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
    public static final int MAX_SLOTS = 100_000;

    private final String cluster;
    private final String slotsPrefix;

    public SlotKeys(String cluster) {
        this.cluster = validCluster(cluster);
        this.slotsPrefix = "clusters/" + this.cluster + "/slots/";
    }

    public static String validCluster(String cluster) {
        if (cluster == null || !CLUSTER.matcher(cluster).matches()) {
            throw new BerthException("cluster name '" + cluster + "' is not valid: use 1 to 40 lowercase letters, digits"
                    + " and dashes, starting with a letter or digit (for example 'avax-mainnet')");
        }
        return cluster;
    }

    public String cluster() {
        return cluster;
    }

    public String slotsPrefix() {
        return slotsPrefix;
    }

    public String slot(int slot) {
        return slotsPrefix() + slot;
    }

    /** The slot number of a key under {@link #slotsPrefix()}; empty for anything else. */
    public OptionalInt slotOf(String key) {
        int start = slotsPrefix.length();
        int digits = key.length() - start;
        if (!key.startsWith(slotsPrefix) || digits < 1 || digits > 6 || (digits > 1 && key.charAt(start) == '0')) {
            return OptionalInt.empty();
        }
        int n = 0;
        for (int i = start; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < '0' || c > '9') {   // ASCII digits only: "٣" is not slot 3
                return OptionalInt.empty();
            }
            n = n * 10 + (c - '0');
        }
        return n < MAX_SLOTS ? OptionalInt.of(n) : OptionalInt.empty();
    }
}
