package dev.berth.core.plugin;

import dev.berth.core.claim.ClaimLog;
import dev.berth.core.claim.ClaimOutcome;
import dev.berth.core.claim.ClaimSettings;
import dev.berth.core.claim.EnvFileWriter;
import dev.berth.spi.ClaimStore;
import dev.berth.spi.IdentityProvider;
import dev.berth.spi.KeyProvider;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A claim that a provider runs itself, rather than berth running the claim protocol around its
 * cloud: the bare-metal provider keeps its lease alive for as long as the slot is held, the sim
 * provider runs the protocol inside a one-node world on virtual time. Made by a
 * {@link ClaimRunnerFactory}; {@code berth claim} asks for one by the provider's name like any
 * other provider, and runs it when the factory it finds makes one.
 */
public interface ClaimRunner {

    /**
     * Claims a slot; reports the outcome to {@code onOutcome} as soon as it is known (a runner that
     * then keeps the slot returns only when it lets go of it).
     */
    ClaimOutcome claim(ClaimSettings settings, Parts parts, Consumer<ClaimOutcome> onOutcome);

    /**
     * What berth resolved for the claim: the store, the log and the env file, and the identity and key
     * providers, made only when a runner asks for them (the sim provider brings its own).
     */
    record Parts(ClaimStore store, Supplier<Optional<IdentityProvider>> identity, Supplier<Optional<KeyProvider>> keys,
                 ClaimLog log, EnvFileWriter envFile) {
        public Parts {
            Objects.requireNonNull(store, "store");
            Objects.requireNonNull(identity, "identity");
            Objects.requireNonNull(keys, "keys");
            Objects.requireNonNull(log, "log");
            Objects.requireNonNull(envFile, "envFile");
        }
    }
}
