package dev.berth.storecheck.history;

import java.util.Optional;

/** What one recorded operation returned, or {@link Lost} when its answer never came. */
public sealed interface Outcome {

    /** A get found this value at this version. */
    record Found(String value, String version) implements Outcome {
    }

    /** A get found no value. */
    record Absent() implements Outcome {
    }

    /** A put-if-absent or compare-and-set took effect; the key now has this version. */
    record Wrote(String version) implements Outcome {
    }

    /** A conditional write or delete did nothing; {@code current} is what the store said it saw, when it said. */
    record Refused(Optional<Found> current) implements Outcome {
    }

    /** A delete-if-version took effect. */
    record Removed() implements Outcome {
    }

    /** No answer (the client died, the store threw, the reply was dropped): it may or may not have taken effect. */
    record Lost() implements Outcome {
    }
}
