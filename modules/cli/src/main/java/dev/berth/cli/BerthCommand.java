package dev.berth.cli;

import jakarta.inject.Singleton;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The top-level {@code berth} command. */
@Singleton
@Command(name = "berth", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Gives every node of an autoscaled fleet its own slot: the same data volume and the same identity"
                + " across instance replacements, decided by compare-and-set on a linearizable store.")
final class BerthCommand {

    /**
     * The subcommands, in the order {@code berth --help} lists them. Added by {@link Main} (not named in
     * {@code @Command}, which would make picocli build all their models for {@code berth --help} too: see
     * {@link QuickAnswer}).
     */
    static final List<Class<?>> SUBCOMMANDS = List.of(ClaimCommand.class, KeeperCommand.class, SimulateCommand.class,
            StoreCommand.class, DeviceCommand.class, IdentityCommand.class, IamPolicyCommand.class, PluginsCommand.class,
            SnapshotCommand.class, StatusCommand.class, GcCommand.class, ReleaseCommand.class);

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
            return LogFormat.named(value).orElseThrow(
                    () -> new CommandLine.TypeConversionException("'" + value + "' is not a log format: use text or json"));
        }
    }
}
