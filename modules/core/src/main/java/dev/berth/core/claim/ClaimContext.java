package dev.berth.core.claim;

import dev.berth.spi.BlockDevices;
import dev.berth.spi.ClaimStore;
import dev.berth.spi.CloudProvider;
import dev.berth.spi.FileSystemDriver;
import dev.berth.spi.IdentityProvider;
import dev.berth.spi.KeyProvider;
import java.util.Objects;
import java.util.Optional;

/** The providers a claim runs against, and its clock, log and env-file writer. */
public record ClaimContext(
        CloudProvider cloud,
        ClaimStore store,
        BlockDevices devices,
        FileSystemDriver filesystems,
        Optional<IdentityProvider> identity,
        Optional<KeyProvider> keys,
        Ticker ticker,
        ClaimLog log,
        EnvFileWriter envFiles) {

    public ClaimContext {
        Objects.requireNonNull(cloud, "cloud");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(devices, "devices");
        Objects.requireNonNull(filesystems, "filesystems");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(ticker, "ticker");
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(envFiles, "envFiles");
    }

    /** The same providers with another log (a step's). */
    public ClaimContext withLog(ClaimLog log) {
        return new ClaimContext(cloud, store, devices, filesystems, identity, keys, ticker, log, envFiles);
    }
}
