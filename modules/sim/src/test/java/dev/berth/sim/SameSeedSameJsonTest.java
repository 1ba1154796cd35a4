package dev.berth.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.core.claim.CrossZonePolicy;
import dev.berth.core.claim.FullPolicy;
import io.avaje.jsonb.Jsonb;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The simulator's speed-ups and refactorings must not change a single run: the {@code --json}
 * of each named scenario, for a fixed seed, hashes to what the simulator of commit 56b75eb
 * printed. A change of the model that is meant to change results updates these hashes and says
 * so in its commit.
 */
class SameSeedSameJsonTest {

    static Stream<Arguments> runs() {
        return Stream.of(
                Arguments.of(Scenario.MASS_BOOT, 40, 3, 1L, false),
                Arguments.of(Scenario.INSTANCE_REFRESH, 20, 3, 2L, false),
                Arguments.of(Scenario.ZONE_OUTAGE, 20, 3, 3L, false),
                Arguments.of(Scenario.SCALE_IN, 12, 3, 4L, false),
                Arguments.of(Scenario.CHAOS, 10, 3, 1L, false),
                Arguments.of(Scenario.CHAOS, 10, 3, 7L, true));
    }

    @ParameterizedTest
    @MethodSource("runs")
    void sameSeedGivesTheSameJson(Scenario scenario, int nodes, int zones, long seed, boolean elasticIp)
            throws Exception {
        var request = new SimulationRequest(scenario, nodes, zones, seed, FullPolicy.WAIT, CrossZonePolicy.NEVER, true,
                List.of()).withNetwork(elasticIp, false);
        var json = Jsonb.builder().build().toJson(Simulation.run(request));
        var hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8)));
        System.out.println("golden " + scenario.cliName() + " " + nodes + " " + seed + " " + elasticIp + " " + hash);
        assertEquals(expected(scenario, seed), hash, json);
    }

    private static String expected(Scenario scenario, long seed) {
        return switch (scenario.cliName() + "/" + seed) {
            case "mass-boot/1" -> "175ebb5f2283a2ab60448d52082753600ac6fa9bdaddc082922620ac8bb671f6";
            case "instance-refresh/2" -> "1a093f0147c6a2857927c0ab0bf0b71f762e3126af9e0945d111acaeb77cdf5f";
            case "zone-outage/3" -> "d48e100db89b0054befbb4d84fc9395aa0f46057cbd2cb0cb0b6a0eaf49217bb";
            case "scale-in/4" -> "37b3265e3f06ce011ae536ce4a26f5dfaf1fa2e604f684c01f0cc97a8e7009b5";
            case "chaos/1" -> "bf11fe7c498b899e6e1561f448b19d806c82f065b876ca1e59acf8532b9bc075";
            case "chaos/7" -> "dde94fc37fb5a342873f49dbf70b066cb7802585ee03d292c2103fd843d8fffc";
            default -> throw new IllegalArgumentException("no golden hash for " + scenario.cliName() + " seed " + seed);
        };
    }
}
