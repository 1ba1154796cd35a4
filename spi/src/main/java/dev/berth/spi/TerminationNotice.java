package dev.berth.spi;

import java.util.Optional;

/**
 * This instance is being taken away: Auto Scaling moved it towards Terminated (a scale-in, an
 * instance refresh, a failed health check), or a spot interruption is coming. {@code hookName}
 * names the lifecycle hook that waits for the keeper, when there is one.
 */
public record TerminationNotice(String reason, Optional<String> hookName) {
}
