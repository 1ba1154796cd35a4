package dev.berth.sim;

import dev.berth.spi.BerthException;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * What one logical claim store call costs in backend requests, as the real store plugin makes
 * them ({@code berth simulate --store-model}). {@link #NONE} keeps the simulator's abstract
 * store: one round trip per call, no request accounting (the default; its runs are unchanged).
 */
public enum StoreModel {
    /** One abstract round trip per logical call; no requests counted. */
    NONE("none"),
    /**
     * S3 as the plugin does it now: a claim's listing is the LIST pages (1,000 keys each) of the
     * values and of the writers' hints, no values; the claim then GETs the record of each slot it
     * tries; every write also PUTs its hint (and deletes the one it replaces).
     */
    S3("s3"),
    /**
     * S3 as the plugin of commit 56b75eb does it: LIST pages, then a GET of every key's highest
     * sequence object, one after the other.
     */
    S3_READ_ALL("s3-read-all"),
    /** etcd: every call is one request (a range, a txn), a list is one range over the prefix. */
    ETCD("etcd"),
    /** A file store on a local or shared file system: a list is a directory read and a read per file. */
    FILE("file");

    private final String cliName;

    StoreModel(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    public static StoreModel parse(String text) {
        for (var m : values()) {
            if (m.cliName.equals(text)) {
                return m;
            }
        }
        throw new BerthException("--store-model '" + text + "' is not a store model: give one of "
                + Arrays.stream(values()).map(StoreModel::cliName).collect(Collectors.joining(", ")));
    }
}
