package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class QuickAnswerTest {

    /** {@code --log-format text} beside it sends a command line the full way: bean scope, every subcommand's model. */
    private static MainTest.Result fullWay(String arg) {
        return MainTest.run("--log-format", "text", arg);
    }

    @Test
    void versionAndHelpPrintWhatTheFullWayPrints() {
        for (var arg : List.of("--version", "-V", "--help", "-h")) {
            var quick = MainTest.run(arg);
            var full = fullWay(arg);
            assertEquals(0, quick.code(), () -> arg + ": " + quick.err());
            assertEquals(full.out(), quick.out(), arg);
            assertEquals("", quick.err(), arg);
        }
        assertTrue(MainTest.run("--version").out().startsWith("berth "));
        assertTrue(MainTest.run("--help").out().contains("  release     Free a slot whose holder is gone"));
    }

    @Test
    void subcommandHelpAndOtherLinesStillGoTheFullWay() {
        var store = MainTest.run("store", "--help");
        assertEquals(0, store.code());
        assertTrue(store.out().contains("check"), store.out());
        assertEquals(2, MainTest.run("--versions").code());
    }

    /** A fresh JVM, as an operator starts berth: which of berth's classes did {@code berth ARG} load? */
    private static String loadedClasses(String arg) throws Exception {
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var process = new ProcessBuilder(java, "-Xshare:off", "-Xlog:class+load=info", "--module-path",
                System.getProperty("jdk.module.path"), "-m", "dev.berth.cli/dev.berth.cli.Main", arg)
                .redirectErrorStream(true).start();
        var said = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), said);
        return said;
    }

    @Test
    void versionAndHelpWireNoBeansAndBuildNoSubcommandModel() throws Exception {
        for (var arg : List.of("--version", "--help")) {
            var loaded = loadedClasses(arg);
            assertTrue(loaded.contains("dev.berth.cli.Main "), loaded);
            // the generated avaje wiring: loaded only when the bean scope is built
            assertFalse(loaded.contains("dev.berth.cli.CliModule "), arg + " built the bean scope");
            // the mixin of a nested subcommand's field: loaded only when picocli reflects on the store commands' fields
            assertFalse(loaded.contains("dev.berth.cli.StoreCommand$StoreOptions "), arg + " built the subcommands' models");
        }
        assertFalse(loadedClasses("--version").contains("picocli.CommandLine$Model$CommandSpec "),
                "--version built a picocli model");
    }
}
