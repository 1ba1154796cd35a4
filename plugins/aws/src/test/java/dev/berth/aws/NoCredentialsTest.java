package dev.berth.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NoCredentialsTest {

    @Test
    void noCredentialsAnywhereIsOneLineSayingWhereBerthLookedAndWhatToSet(@TempDir Path home) throws Exception {
        int closedPort;
        try (var socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var classPath = System.getProperty("java.class.path") + File.pathSeparator
                + System.getProperty("jdk.module.path", "");
        var pb = new ProcessBuilder(List.of(java, "-cp", classPath, NoCredentialsProbe.class.getName(),
                Integer.toString(closedPort)));
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/bin:/bin");
        pb.environment().put("HOME", home.toString());   // no ~/.aws here
        pb.environment().put("AWS_EC2_METADATA_DISABLED", "true");
        pb.redirectErrorStream(true);
        var out = home.resolve("out.txt");
        pb.redirectOutput(out.toFile());
        var process = pb.start();
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), "the probe finishes");
        var text = Files.readString(out).strip();
        var line = text.lines().reduce((a, b) -> b).orElse("");
        assertTrue(line.contains("no AWS credentials found"), text);
        for (var where : List.of("environment", "profile", "instance role", "IMDS", "AWS_ACCESS_KEY_ID")) {
            assertTrue(line.contains(where), where + " in: " + line);
        }
        assertFalse(line.contains("check the endpoint, the region and the network"), line);
        assertFalse(line.contains("AwsCredentialsProviderChain"), line);
        assertTrue(line.length() < 700, "one short line, not the SDK's dump: " + line.length() + " characters");
        assertEquals(0, process.exitValue(), text);
    }
}
