package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.avaje.jsonb.Jsonb;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code berth iam-policy} for representative configurations against golden policies in
 * {@code src/test/resources/iam}: the example config of the image, a GovCloud config with every feature on, and an
 * operator's address pool. Compared as JSON values (statement order, actions, resources, conditions), not as text.
 * Run with {@code -Dberth.golden.write=true} to rewrite the golden files after a deliberate change (and review the diff).
 */
class IamPolicyGoldenTest {
    private static final Path GOLDEN = Path.of("src/test/resources/iam");
    private static final Jsonb JSONB = Jsonb.builder().build();

    @ParameterizedTest
    @ValueSource(strings = {"example", "full", "pool"})
    void thePolicyIsTheGoldenOne(String name) throws Exception {
        var config = name.equals("example") ? Path.of("../../runtime-image/src/main/image/conf/berth.yaml")
                : GOLDEN.resolve(name + ".yaml");
        var r = MainTest.run("iam-policy", "--config", TestPlugins.withAwsPlugins(config).toString());
        assertEquals(0, r.code(), r.err());
        var golden = GOLDEN.resolve(name + ".json");
        if (Boolean.getBoolean("berth.golden.write")) {
            Files.writeString(golden, r.out());
        }
        var object = JSONB.type(Object.class);
        assertEquals(object.fromJson(Files.readString(golden)), object.fromJson(r.out()), r.out());
    }

    @org.junit.jupiter.api.Test
    void theOperatorsPolicyAddsGcsDeletesWhichTheInstancesLacks() {
        var config = TestPlugins.withAwsPlugins(Path.of("../../runtime-image/src/main/image/conf/berth.yaml"));
        var instance = MainTest.run("iam-policy", "--config", config.toString());
        var operator = MainTest.run("iam-policy", "--config", config.toString(), "--operator");
        assertEquals(0, operator.code(), operator.err());
        for (var action : new String[] {"ec2:DeleteVolume", "ec2:DeleteSnapshot"}) {
            org.junit.jupiter.api.Assertions.assertTrue(operator.out().contains("\"" + action + "\""), operator.out());
            org.junit.jupiter.api.Assertions.assertFalse(instance.out().contains(action), instance.out());
        }
    }
}
