package dev.berth.cli;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.OptionalInt;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code berth --version} and {@code berth --help}, answered before the bean scope is wired and before picocli builds
 * the model of every subcommand (reflection over a few hundred options: most of such a start). Only these exact
 * one-word command lines are answered here, with the text the full way prints; anything else ({@code berth claim
 * --help}, {@code --log-format} beside {@code --version}, a {@value LogFormat#ENV} that picocli would refuse) goes
 * the full way.
 */
final class QuickAnswer {
    private QuickAnswer() {
    }

    /** The exit code, when this command line was answered here; empty when the full way must answer it. */
    static OptionalInt answer(Console console, String[] args, Optional<String> logFormatEnv) {
        if (args.length != 1 || logFormatEnv.isPresent() && LogFormat.named(logFormatEnv.get()).isEmpty()) {
            return OptionalInt.empty();
        }
        return switch (args[0]) {
            case "--version", "-V" -> {
                for (var line : new Version().getVersion()) {
                    console.out().println(line);
                }
                console.out().flush();
                yield OptionalInt.of(ExitCodes.OK);
            }
            case "--help", "-h" -> {
                var top = topLevel();
                top.usage(new PrintWriter(console.out(), true), top.getColorScheme());
                yield OptionalInt.of(ExitCodes.OK);
            }
            default -> OptionalInt.empty();
        };
    }

    /**
     * {@code berth} with each subcommand as its name, aliases and description only: all that the top-level usage
     * lists of them, read from their {@code @Command}.
     */
    private static CommandLine topLevel() {
        var top = new CommandLine(new BerthCommand());
        for (var type : BerthCommand.SUBCOMMANDS) {
            var command = type.getAnnotation(Command.class);
            var spec = CommandSpec.create().name(command.name()).aliases(command.aliases());
            spec.usageMessage().description(command.description()).hidden(command.hidden());
            top.addSubcommand(command.name(), new CommandLine(spec));
        }
        return top;
    }
}
