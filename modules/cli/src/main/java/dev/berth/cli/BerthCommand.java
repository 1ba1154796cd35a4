package dev.berth.cli;

import jakarta.inject.Singleton;
import picocli.CommandLine.Command;

/** The top-level {@code berth} command. */
@Singleton
@Command(name = "berth", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Gives every node of an autoscaled fleet its own slot: the same data volume and the same identity"
                + " across instance replacements, decided by compare-and-set on a linearizable store.",
        subcommands = {ClaimCommand.class, KeeperCommand.class, SimulateCommand.class, StoreCommand.class, DeviceCommand.class,
                IdentityCommand.class, IamPolicyCommand.class, PluginsCommand.class, SnapshotCommand.class})
final class BerthCommand {
}
