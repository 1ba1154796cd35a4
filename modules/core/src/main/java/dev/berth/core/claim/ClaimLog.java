package dev.berth.core.claim;

/** Progress lines of a claim, for an operator. Never given secret material. */
@FunctionalInterface
public interface ClaimLog {

    void info(String message);

    static ClaimLog silent() {
        return message -> {
        };
    }
}
