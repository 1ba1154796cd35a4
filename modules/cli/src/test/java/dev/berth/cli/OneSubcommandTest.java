package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OneSubcommandTest {

    private static MainTest.Result run(List<Class<?>> subcommands, String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = Main.run(new Console(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false), subcommands, args);
        return new MainTest.Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theSubcommandALineNamesIsTheOneInTheTree() {
        assertEquals(List.of(ClaimCommand.class), BerthCommand.needed(new String[] {"claim", "--provider", "sim"}));
        assertEquals(List.of(StatusCommand.class), BerthCommand.needed(new String[] {"--log-format", "json", "status"}));
        assertEquals(List.of(StoreCommand.class), BerthCommand.needed(new String[] {"--log-format=json", "store", "check"}));
        for (var all : List.of(new String[] {}, new String[] {"clam"}, new String[] {"-x", "claim"},
                new String[] {"--log-format"})) {
            assertEquals(BerthCommand.SUBCOMMANDS, BerthCommand.needed(all), List.of(all).toString());
        }
    }

    @Test
    void everyCommandAnswersAsWithTheWholeTree() {
        var lines = new ArrayList<String[]>();
        for (var type : BerthCommand.SUBCOMMANDS) {
            var name = type.getAnnotation(picocli.CommandLine.Command.class).name();
            lines.add(new String[] {name, "--help"});
            lines.add(new String[] {name, "--no-such-flag"});
            lines.add(new String[] {"--log-format", "json", name, "--no-such-flag"});
        }
        lines.add(new String[] {"store", "check", "--help"});
        lines.add(new String[] {"store", "chek"});
        lines.add(new String[] {"identity"});
        lines.add(new String[] {"simulate", "--nodes", "-3"});
        for (var line : lines) {
            var one = run(BerthCommand.needed(line), line);
            var all = run(BerthCommand.SUBCOMMANDS, line);
            assertEquals(all.code(), one.code(), List.of(line).toString());
            assertEquals(all.out(), one.out(), List.of(line).toString());
            assertEquals(all.err().replaceAll("\"time\":\"[^\"]*\"", "").replaceAll("\"durationMillis\":\\d+", ""),
                    one.err().replaceAll("\"time\":\"[^\"]*\"", "").replaceAll("\"durationMillis\":\\d+", ""),
                    List.of(line).toString());
        }
    }

    @Test
    void aSubcommandsHelpBuildsNoOtherSubcommandsModel() throws Exception {
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var process = new ProcessBuilder(java, "-Xshare:off", "-Xlog:class+load=info", "--module-path",
                System.getProperty("jdk.module.path"), "-m", "dev.berth.cli/dev.berth.cli.Main", "claim", "--help")
                .redirectErrorStream(true).start();
        var said = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), said);
        assertTrue(said.contains("Usage: berth claim"), said);
        // the mixin of the store commands' fields: loaded only when picocli reflects on them
        assertFalse(said.contains("dev.berth.cli.StoreCommand$StoreOptions "), "berth claim --help built the store commands' models");
    }
}
