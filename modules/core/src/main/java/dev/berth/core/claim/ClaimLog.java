package dev.berth.core.claim;

/** Progress lines of a claim, for an operator. Never given secret material. */
@FunctionalInterface
public interface ClaimLog {

    void info(String message);

    /**
     * The lines of one step of the claim ("volume", "filesystem", "identity"): a log that keeps
     * fields (a JSON log) gives them a {@code step} field. The same log otherwise.
     */
    default ClaimLog inStep(String step) {
        return this;
    }

    static ClaimLog silent() {
        return message -> {
        };
    }
}
