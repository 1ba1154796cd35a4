package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Known test secrets go in through every place a secret can be given (store and provider settings,
 * a store URI's user information, a passphrase file), through the claim, store check, keeper and
 * identity paths; none of them may come out on stdout, stderr or in any file berth wrote. The
 * assertions name which secret leaked where, never its value.
 */
class SecretsNeverPrintedTest {
    private static final Map<String, String> SECRETS = Map.of(
            "storeSettings.password", "pw-7Hq2-store",
            "providerSettings.secretAccessKey", "wJalr-9Xk4-provider",
            "providerSettings.sessionToken", "tok-3Mv8-session",
            "store URI password", "pw-2Lp5-uri",
            "passphrase file", "phrase-8Rt1-backup");

    private final List<String> outputs = new ArrayList<>();

    private MainTest.Result run(String... args) {
        var r = MainTest.run(args);
        outputs.add(r.out());
        outputs.add(r.err());
        return r;
    }

    @Test
    void noSecretAppearsInOutputOrInFilesBerthWrote(@TempDir Path dir) throws Exception {
        var passphrase = Files.writeString(dir.resolve("passphrase"), SECRETS.get("passphrase file"));
        var store = dir.resolve("store");
        var env = dir.resolve("berth.env");
        var config = dir.resolve("berth.yaml");

        // a good claim, then the same claim with a secret in a setting the file store does not take
        Files.writeString(config, "cluster: demo\nprovider: sim\nstore: file://" + store + "\nenvFile: " + env + "\n"
                + "keys:\n  provider: passphrase\n  settings:\n    file: " + passphrase + "\n");
        assertEquals(0, run("claim", "--config", config.toString(), "--capacity", "1").code());
        Files.writeString(config, Files.readString(config) + "storeSettings:\n  password: "
                + SECRETS.get("storeSettings.password") + "\n");
        var refused = run("claim", "--config", config.toString(), "--capacity", "1");
        assertEquals(2, refused.code());
        assertTrue(refused.err().contains("storeSettings.password"), "the key is named");

        // a cloud provider's credentials, with the static provider that takes none
        Files.writeString(config, "cluster: demo\nprovider: static\nstore: file://" + store + "\nenvFile: " + env + "\n"
                + "providerSettings:\n  instance-id: n1\n  zone: z\n  capacity: 1\n  accessKeyId: AKIDTEST\n"
                + "  secretAccessKey: " + SECRETS.get("providerSettings.secretAccessKey") + "\n"
                + "  sessionToken: " + SECRETS.get("providerSettings.sessionToken") + "\n");
        assertEquals(2, run("claim", "--config", config.toString()).code());

        // the keeper, with the aws provider's credentials and a store URI carrying a password
        Files.writeString(config, "cluster: demo\nprovider: aws\nstore: etcd://berth:" + SECRETS.get("store URI password")
                + "@127.0.0.1:1/berth\nenvFile: " + env + "\nplugins: " + dir.resolve("no-plugins") + "\n"
                + "providerSettings:\n  accessKeyId: AKIDTEST\n"
                + "  secretAccessKey: " + SECRETS.get("providerSettings.secretAccessKey") + "\n"
                + "  sessionToken: " + SECRETS.get("providerSettings.sessionToken") + "\n"
                + "storeSettings:\n  password: " + SECRETS.get("storeSettings.password") + "\n");
        assertEquals(2, run("keeper", "--config", config.toString()).code());
        assertEquals(2, run("claim", "--config", config.toString()).code());
        assertEquals(2, run("keeper", "--config", config.toString(), "--log-format", "json").code());
        assertEquals(2, run("claim", "--config", config.toString(), "--log-format", "json").code());

        // store check, on a URI with a password and on the file store
        run("store", "check", "--store", "etcd://berth:" + SECRETS.get("store URI password") + "@127.0.0.1:1/berth",
                "--plugins", dir.resolve("no-plugins").toString());
        run("store", "check", "--store", "etcd://berth:" + SECRETS.get("store URI password") + "@127.0.0.1:1/b^ad");
        assertEquals(0, run("store", "check", "--store", "file://" + store).code());

        // identity restore with the passphrase key provider named in the config
        Files.writeString(config, "cluster: demo\nstore: file://" + store + "\nkeys:\n  provider: passphrase\n"
                + "  settings:\n    file: " + passphrase + "\n");
        run("identity", "restore", "--config", config.toString(), "--slot", "0", "--dir", dir.resolve("restored").toString());
        run("identity", "show", "--config", config.toString(), "--slot", "0");

        for (var secret : SECRETS.entrySet()) {
            for (int i = 0; i < outputs.size(); i++) {
                assertFalse(outputs.get(i).contains(secret.getValue()), secret.getKey() + " appeared in the "
                        + (i % 2 == 0 ? "stdout" : "stderr") + " of run " + (i / 2 + 1));
            }
        }
        var ours = Set.of(passphrase, config);
        try (Stream<Path> files = Files.walk(dir)) {
            for (var file : files.filter(Files::isRegularFile).filter(f -> !ours.contains(f)).toList()) {
                var text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                for (var secret : SECRETS.entrySet()) {
                    assertFalse(text.contains(secret.getValue()), secret.getKey() + " appeared in " + dir.relativize(file));
                }
            }
        }
        assertTrue(Files.readString(env).contains("BERTH_SLOT=0"), "the good claim wrote the env file");
    }
}
