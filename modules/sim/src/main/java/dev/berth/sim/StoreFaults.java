package dev.berth.sim;

/**
 * The claim store's own bad moments, drawn from the world's seeded source: now and then (a mean of
 * {@link Physics#storeHiccupEveryMillis()} apart) an S3 503 SlowDown burst or an etcd leader
 * election.
 */
final class StoreFaults {
    private final World world;
    private long nextStoreHiccupAt = -1;
    private long s3SlowDownUntil = -1;
    private long etcdElectionUntil = -1;

    StoreFaults(World world) {
        this.world = world;
    }

    /**
     * Before a store request: the store has a hiccup now and then (a mean of
     * {@link Physics#storeHiccupEveryMillis()} apart): an S3 503 SlowDown burst, when most
     * requests fail retryably, or an etcd leader election, when requests stall until a leader
     * is elected. Returns how long this request stalls; throws for a request S3 turns away.
     */
    long hiccup() {
        long every = world.physics.storeHiccupEveryMillis();
        if (every <= 0) {
            return 0;
        }
        if (nextStoreHiccupAt < 0) {
            nextStoreHiccupAt = world.now() + exponential(every);
        }
        while (world.now() >= nextStoreHiccupAt) {
            if (world.random.nextBoolean()) {
                s3SlowDownUntil = nextStoreHiccupAt + world.physics.s3SlowDown().draw(world.random);
                nextStoreHiccupAt = s3SlowDownUntil + exponential(every);
            } else {
                etcdElectionUntil = nextStoreHiccupAt + world.physics.etcdElection().draw(world.random);
                nextStoreHiccupAt = etcdElectionUntil + exponential(every);
            }
        }
        if (world.now() < s3SlowDownUntil && world.random.nextInt(4) != 0) {
            throw new dev.berth.spi.StoreException("503 SlowDown: please reduce your request rate (simulated)", true);
        }
        return world.now() < etcdElectionUntil ? etcdElectionUntil - world.now() : 0;
    }

    private long exponential(long mean) {
        return 1 + (long) (-mean * Math.log(1 - world.random.nextDouble()));
    }
}
