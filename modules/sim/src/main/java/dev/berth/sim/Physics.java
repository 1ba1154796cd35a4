package dev.berth.sim;

/**
 * How long things take in the simulated cloud, and how often its services stumble. Every
 * figure is a {@link HeavyTail}: the defaults follow what EC2, EBS, IMDS, S3 and etcd do on
 * a bad day as well as a good one; a test replaces one to force a delay.
 *
 * @param cloudCall           one EC2 / Auto Scaling API round trip
 * @param storeCall           one claim store round trip
 * @param createVolume        a new volume from 'creating' to 'available'
 * @param attach              an attachment from 'attaching' to 'attached'
 * @param detach              an attachment from 'detaching' to gone
 * @param terminationDetach   how long after an instance is terminated EC2 still shows its volumes attached
 * @param describeLag         how far behind an eventually consistent describe call answers
 * @param imdsDownShare       the share of boots whose instance metadata service refuses the first seconds
 * @param imdsDown            how long IMDS answers 401 / refuses connections after such a boot
 * @param storeHiccupEveryMillis the mean time between two store hiccups (0: none)
 * @param s3SlowDown          an S3 503 SlowDown burst: most requests fail, retryably
 * @param etcdElection        an etcd leader election: requests stall until a leader is elected
 */
record Physics(
        HeavyTail cloudCall,
        HeavyTail storeCall,
        HeavyTail createVolume,
        HeavyTail attach,
        HeavyTail detach,
        HeavyTail terminationDetach,
        HeavyTail describeLag,
        double imdsDownShare,
        HeavyTail imdsDown,
        long storeHiccupEveryMillis,
        HeavyTail s3SlowDown,
        HeavyTail etcdElection) {

    static Physics realistic() {
        return new Physics(
                HeavyTail.seconds(0.12, 1.5, 10),
                HeavyTail.seconds(0.015, 0.25, 3),
                HeavyTail.seconds(6, 45, 90),
                HeavyTail.seconds(5, 60, 240),
                HeavyTail.seconds(5, 60, 240),
                HeavyTail.fixed(0),
                HeavyTail.seconds(1, 10, 60),
                0.05,
                HeavyTail.seconds(2, 8, 10),
                10 * 60_000L,
                HeavyTail.seconds(1, 6, 10),
                HeavyTail.seconds(1.5, 5, 8));
    }

    Physics withAttach(HeavyTail tail) {
        return new Physics(cloudCall, storeCall, createVolume, tail, detach, terminationDetach, describeLag, imdsDownShare,
                imdsDown, storeHiccupEveryMillis, s3SlowDown, etcdElection);
    }

    /** Every API round trip takes exactly this long, and IMDS never refuses: instances that start together stay in step. */
    Physics inStep(long callMillis) {
        return new Physics(HeavyTail.fixed(callMillis), HeavyTail.fixed(callMillis), createVolume, attach, detach,
                terminationDetach, describeLag, 0, imdsDown, storeHiccupEveryMillis, s3SlowDown, etcdElection);
    }

    Physics withDescribeLag(HeavyTail tail) {
        return new Physics(cloudCall, storeCall, createVolume, attach, detach, terminationDetach, tail, imdsDownShare,
                imdsDown, storeHiccupEveryMillis, s3SlowDown, etcdElection);
    }

    Physics withTerminationDetach(HeavyTail tail) {
        return new Physics(cloudCall, storeCall, createVolume, attach, detach, tail, describeLag, imdsDownShare,
                imdsDown, storeHiccupEveryMillis, s3SlowDown, etcdElection);
    }
}
