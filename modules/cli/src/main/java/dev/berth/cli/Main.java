package dev.berth.cli;

import dev.berth.spi.BerthException;
import dev.berth.spi.ConfigException;
import io.avaje.inject.BeanScope;
import io.avaje.jsonb.Jsonb;
import picocli.CommandLine;

/** The entry point: wires the commands (avaje-inject), parses the flags (picocli), maps errors to exit codes. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(new Console(), args));
    }

    /** Runs one berth command line and returns its exit code. */
    static int run(Console console, String... args) {
        return run(console, BerthCommand.needed(args), args);
    }

    /**
     * Runs one berth command line with only {@code subcommands} in picocli's tree: the one the line names (one
     * model to build instead of twelve, each a few hundred reflective calls), or all of them.
     */
    static int run(Console console, java.util.List<Class<?>> subcommands, String... args) {
        var logFormatEnv = java.util.Optional.ofNullable(System.getenv(LogFormat.ENV));
        var quick = QuickAnswer.answer(console, args, logFormatEnv);
        if (quick.isPresent()) {
            return quick.getAsInt();
        }
        // avaje-inject logs its wiring at INFO; an operator's terminal is not the place for it.
        java.util.logging.Logger.getLogger("io.avaje.inject").setLevel(java.util.logging.Level.WARNING);
        console.logFormat(LogFormat.of(args, logFormatEnv));
        // The run's one Jsonb (avaje-jsonb's defaults and the generated adapters): the commands get it injected, the
        // JSON log lines are written with it.
        var jsonb = Jsonb.builder().build();
        console.jsonLines(jsonb.type(Object.class));
        var root = java.util.logging.Logger.getLogger("");
        var handlers = root.getHandlers();
        var json = console.logFormat() == LogFormat.JSON ? new JsonLogHandler(console.err(), console.jsonLines()) : null;
        if (json != null) {   // every stderr line one JSON object: the JDK's text console handler steps aside
            for (var h : handlers) {
                root.removeHandler(h);
            }
            root.addHandler(json);
        }
        try {
            return execute(console, jsonb, subcommands, args);
        } finally {
            if (json != null) {
                root.removeHandler(json);
                for (var h : handlers) {
                    root.addHandler(h);
                }
            }
        }
    }

    private static int execute(Console console, Jsonb jsonb, java.util.List<Class<?>> subcommands, String... args) {
        try (var scope = BeanScope.builder().bean(Console.class, console).bean(Jsonb.class, jsonb).build()) {
            var cli = new CommandLine(scope.get(BerthCommand.class), new Factory(scope));
            for (var type : subcommands) {
                cli.addSubcommand(scope.get(type));
            }
            cli.setOut(new java.io.PrintWriter(console.out(), true));
            cli.setErr(new java.io.PrintWriter(console.err(), true));
            cli.setParameterExceptionHandler((e, a) -> {
                var name = e.getCommandLine().getCommandName();
                var command = name.equals("berth") ? "berth" : "berth " + name;
                console.log(name).error(e.getMessage() + " (see: " + command + " --help)");
                return ExitCodes.USAGE;
            });
            cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
                if (e instanceof UsageException || e instanceof ConfigException) {
                    console.log(commandLine.getCommandName()).error(e.getMessage());
                    return ExitCodes.USAGE;
                }
                if (e instanceof BerthException) {
                    console.log(commandLine.getCommandName()).error(e.getMessage());
                    return ExitCodes.FAILED;
                }
                throw e;
            });
            return cli.execute(args);
        }
    }

    /** Commands come from the bean scope; anything else picocli needs, it makes itself. */
    private record Factory(BeanScope scope) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            var bean = scope.getOptional(type);
            return bean.isPresent() ? bean.get() : CommandLine.defaultFactory().create(type);
        }
    }
}
