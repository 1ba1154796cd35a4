package dev.berth.core.slot;

import dev.berth.spi.BerthException;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/** Where a cluster's records live in the claim store: {@code clusters/<cluster>/slots/<slot>}. */
public final class SlotKeys {
    private static final Pattern CLUSTER = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
    public static final int MAX_SLOTS = 100_000;

    private final String cluster;

    public SlotKeys(String cluster) {
        this.cluster = validCluster(cluster);
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
        return "clusters/" + cluster + "/slots/";
    }

    public String slot(int slot) {
        return slotsPrefix() + slot;
    }

    /** The slot number of a key under {@link #slotsPrefix()}; empty for anything else. */
    public OptionalInt slotOf(String key) {
        if (!key.startsWith(slotsPrefix())) {
            return OptionalInt.empty();
        }
        var tail = key.substring(slotsPrefix().length());
        if (tail.isEmpty() || tail.length() > 6 || !tail.chars().allMatch(Character::isDigit)
                || (tail.length() > 1 && tail.charAt(0) == '0')) {
            return OptionalInt.empty();
        }
        int n = Integer.parseInt(tail);
        return n < MAX_SLOTS ? OptionalInt.of(n) : OptionalInt.empty();
    }
}
