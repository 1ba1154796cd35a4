package dev.berth.store.s3;

import dev.berth.spi.StoreStats;
import java.util.concurrent.atomic.LongAdder;

/** Counts the requests the store sends to S3, retries included, by kind. */
final class S3Requests {

    enum Kind { READ, WRITE, LIST, DELETE }

    private final LongAdder reads = new LongAdder();
    private final LongAdder writes = new LongAdder();
    private final LongAdder lists = new LongAdder();
    private final LongAdder deletes = new LongAdder();

    void count(Kind kind) {
        switch (kind) {
            case READ -> reads.increment();
            case WRITE -> writes.increment();
            case LIST -> lists.increment();
            case DELETE -> deletes.increment();
        }
    }

    StoreStats stats() {
        return new StoreStats(reads.sum(), writes.sum(), lists.sum(), deletes.sum());
    }
}
