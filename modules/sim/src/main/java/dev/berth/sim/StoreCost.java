package dev.berth.sim;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Charges each logical store call the backend requests the real plugin makes for it, their
 * latencies (one after the other, as the plugins send them), and, on S3, the per-prefix request
 * rate: beyond {@value #S3_GETS_PER_SECOND} GET-class (GET, HEAD, LIST) or
 * {@value #S3_PUTS_PER_SECOND} PUT-class requests in one second, S3 answers 503 SlowDown.
 * Requests are counted in the second they are sent; all slot keys share one prefix.
 */
final class StoreCost {
    static final int S3_GETS_PER_SECOND = 5_500;
    static final int S3_PUTS_PER_SECOND = 3_500;
    static final int S3_PAGE = 1_000;
    enum Op { GET, GET_VERSION, LIST, PUT_IF_ABSENT, COMPARE_AND_SET, DELETE }

    /** What a call cost: its latency, and whether S3 turned one of its requests away (then the call fails there). */
    record Charge(long millis, boolean slowDown) {
    }

    private static final HeavyTail S3_READ = HeavyTail.seconds(0.015, 0.08, 1);
    private static final HeavyTail S3_LIST = HeavyTail.seconds(0.03, 0.15, 2);
    private static final HeavyTail S3_WRITE = HeavyTail.seconds(0.03, 0.2, 2);
    private static final HeavyTail ETCD_REQUEST = HeavyTail.seconds(0.002, 0.02, 0.5);
    /** A directory read or a conditional write (a rename, an fsync) on a local file system. */
    private static final HeavyTail FILE_REQUEST = HeavyTail.seconds(0.001, 0.005, 0.1);

    final StoreModel model;
    long requests;
    long slowDowns;
    private final Map<Long, int[]> perSecond = new HashMap<>();
    private long pruned;

    StoreCost(StoreModel model) {
        this.model = model;
    }

    /** Charges a call made at {@code now}; {@code keys} is how many keys a list finds (0 for other calls). */
    Charge charge(Op op, int keys, boolean exists, long now, SplittableRandom random) {
        prune(now);
        var c = new Cursor(now, random);
        switch (model) {
            case S3, S3_READ_ALL -> s3(op, keys, exists, c);
            case ETCD -> c.send(ETCD_REQUEST, -1, 1);
            case FILE -> {
                c.send(FILE_REQUEST, -1, 1);
                if (op == Op.LIST) {
                    c.readFiles(keys);
                }
            }
            case NONE -> throw new IllegalStateException("no store model");
        }
        return new Charge(c.elapsed, c.slowDown);
    }

    private void s3(Op op, int keys, boolean exists, Cursor c) {
        switch (op) {
            case LIST -> {
                int pages = Math.max(1, (keys + S3_PAGE - 1) / S3_PAGE);
                if (model == StoreModel.S3) {
                    c.send(S3_LIST, 0, 2 * pages);   // the values' LIST and the hints' LIST: a claim then reads its candidates
                } else {
                    c.send(S3_LIST, 0, pages);
                    c.send(S3_READ, 0, keys);
                }
            }
            case GET_VERSION -> c.send(S3_READ, 0, 1);   // the listed sequence object: one GET
            case GET -> {
                c.send(S3_LIST, 0, 1);   // the key's sequence objects
                c.send(S3_READ, 0, exists ? 1 : 0);
            }
            case PUT_IF_ABSENT -> {
                c.send(S3_LIST, 0, 1);
                c.send(S3_READ, 0, exists ? 1 : 0);
                c.send(S3_WRITE, 1, exists ? 0 : hinted(1));
            }
            case COMPARE_AND_SET -> {
                c.send(S3_READ, 0, 1);   // HEAD of the expected sequence
                c.send(S3_WRITE, 1, hinted(1) + (model == StoreModel.S3 ? 1 : 0));  // the create-only PUT of the next one (then its hint, and the old hint's DELETE)
            }
            case DELETE -> {
                c.send(S3_READ, 0, 1);
                c.send(S3_WRITE, 1, 1);  // a tombstone
            }
        }
    }

    /** The PUTs of a write: with the hint beside the value on the {@code s3} model. */
    private int hinted(int puts) {
        return model == StoreModel.S3 ? puts + 1 : puts;
    }

    private final class Cursor {
        final long start;
        final SplittableRandom random;
        long elapsed;
        boolean slowDown;

        Cursor(long start, SplittableRandom random) {
            this.start = start;
            this.random = random;
        }

        /** Reads {@code n} small files of a directory just listed: about 50 microseconds each (page cache, local disk). */
        void readFiles(int n) {
            requests += n;
            elapsed += (n + 19) / 20;
        }

        /** Sends {@code n} requests one after the other; {@code rateClass} 0 GET-class, 1 PUT-class, -1 unlimited. */
        void send(HeavyTail latency, int rateClass, int n) {
            for (int i = 0; i < n && !slowDown; i++) {
                requests++;
                elapsed += latency.draw(random);
                if (rateClass >= 0) {
                    var second = perSecond.computeIfAbsent((start + elapsed) / 1000, s -> new int[2]);
                    int limit = rateClass == 0 ? S3_GETS_PER_SECOND : S3_PUTS_PER_SECOND;
                    if (++second[rateClass] > limit) {
                        slowDown = true;
                        slowDowns++;
                    }
                }
            }
        }
    }

    private void prune(long now) {
        if (now - pruned > 60_000) {
            perSecond.keySet().removeIf(s -> s < now / 1000 - 5);
            pruned = now;
        }
    }
}
