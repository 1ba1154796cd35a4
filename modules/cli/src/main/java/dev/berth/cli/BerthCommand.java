package dev.berth.cli;

import jakarta.inject.Singleton;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The top-level {@code berth} command. */
@Singleton
@Command(name = "berth", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Gives every node of an autoscaled fleet its own slot: the same data volume and the same identity"
                + " across instance replacements, decided by compare-and-set on a linearizable store.",
        subcommands = {ClaimCommand.class, KeeperCommand.class, SimulateCommand.class, StoreCommand.class, DeviceCommand.class,
                IdentityCommand.class, IamPolicyCommand.class, PluginsCommand.class, SnapshotCommand.class,
                StatusCommand.class, GcCommand.class, ReleaseCommand.class})
final class BerthCommand {

    /** Read by {@link Main} before parsing ({@link LogFormat#of}); declared here so that every command accepts it. */
    @Option(names = "--log-format", scope = CommandLine.ScopeType.INHERIT, paramLabel = "text|json",
            defaultValue = "${env:BERTH_LOG_FORMAT:-text}", converter = BerthCommand.Format.class,
            description = "Log lines on stderr as text (default) or one JSON object a line (time, level, logger, message,"
                    + " durationMillis, cluster, instance, slot, epoch, volume); env BERTH_LOG_FORMAT.")
    LogFormat logFormat;

    /** text or json, any case; anything else is a usage error naming both. */
    static final class Format implements CommandLine.ITypeConverter<LogFormat> {
        @Override
        public LogFormat convert(String value) {
            return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "text" -> LogFormat.TEXT;
                case "json" -> LogFormat.JSON;
                default -> throw new CommandLine.TypeConversionException("'" + value + "' is not a log format: use text or json");
            };
        }
    }
}
