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

    /**
     * The subcommands a command line needs in picocli's tree: the one it names first ({@code berth claim ...},
     * {@code berth --log-format json status ...}), so that picocli builds that model only; all of them when it names
     * none or starts with another option, so that picocli's own answers (a missing or misspelled subcommand, with
     * its suggestions) stay what they were.
     */
    static List<Class<?>> needed(String[] args) {
        for (int i = 0; i < args.length; i++) {
            var arg = args[i];
            if (arg.equals("--log-format")) {
                i++;
            } else if (!arg.startsWith("--log-format=")) {
                if (arg.startsWith("-")) {
                    return SUBCOMMANDS;
                }
                for (var type : SUBCOMMANDS) {
                    var command = type.getAnnotation(Command.class);
                    if (command.name().equals(arg) || List.of(command.aliases()).contains(arg)) {
                        return List.of(type);
                    }
                }
                return SUBCOMMANDS;
            }
        }
        return SUBCOMMANDS;
    }

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
