package dev.berth.spi;

import java.util.Optional;

/** Completing a lifecycle hook: which hook, its token if the notice carried one, and the result. */
public record LifecycleAction(String hookName, Optional<String> token, Result result) {

    public enum Result { CONTINUE, ABANDON }
}
