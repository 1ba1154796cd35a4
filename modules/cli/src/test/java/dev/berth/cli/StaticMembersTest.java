package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A machine that is not in the static provider's members list is refused before it writes anything. */
class StaticMembersTest {

    @Test
    void aHostOutsideTheMembersIsAUsageErrorNamingTheHostAndTheList(@TempDir Path dir) throws Exception {
        var config = dir.resolve("berth.yaml");
        Files.writeString(config, """
                cluster: lab
                providerSettings:
                  members: pc-1, pc-2
                  data-root: %s
                """.formatted(dir.resolve("volumes")));
        var r = MainTest.run("claim", "--config", config.toString(), "--provider", "static", "--instance-id", "pc-9",
                "--zone", "rack-a", "--capacity", "2", "--store", "file://" + dir.resolve("store"),
                "--env-file", dir.resolve("berth.env").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("'pc-9'") && r.err().contains("[pc-1, pc-2]"), r.err());
        assertTrue(!Files.exists(dir.resolve("store").resolve("keys")) || Files.list(dir.resolve("store").resolve("keys"))
                .noneMatch(f -> f.getFileName().toString().contains("leases")), "no lease was written");
    }
}
