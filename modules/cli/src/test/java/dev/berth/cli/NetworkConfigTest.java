package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The network: section (DESIGN step 6b): off by default, and exactly its actions in the IAM policy when on. */
class NetworkConfigTest {
    private static final Path EXAMPLE = Path.of("../../runtime-image/src/main/image/conf/berth.yaml");
    private static final String[] ADDRESS_ACTIONS = {"ec2:AllocateAddress", "ec2:AssociateAddress",
            "ec2:DisassociateAddress", "ec2:DescribeAddresses"};
    private static final String[] INTERFACE_ACTIONS = {"ec2:CreateNetworkInterface", "ec2:AttachNetworkInterface",
            "ec2:DetachNetworkInterface", "ec2:DescribeNetworkInterfaces"};

    private static Path exampleWith(Path dir, String network) throws Exception {
        var config = dir.resolve("berth.yaml");
        Files.writeString(config, Files.readString(EXAMPLE) + "\n" + network);
        return config;
    }

    @Test
    void theExampleConfigWithoutANetworkSectionAsksForNoAddressOrInterfaceAction() {
        var r = MainTest.run("iam-policy", "--config", TestPlugins.withAwsPlugins(EXAMPLE).toString());
        assertEquals(0, r.code(), r.err());
        assertFalse(r.out().contains("Address") || r.out().contains("NetworkInterface") || r.out().contains("elastic-ip"),
                r.out());
    }

    @Test
    void allocatedElasticIpsAddExactlyTheAddressActions(@TempDir Path dir) throws Exception {
        var r = MainTest.run("iam-policy", "--config",
                TestPlugins.withAwsPlugins(exampleWith(dir, "network:\n  elasticIp: allocate\n")).toString());
        assertEquals(0, r.code(), r.err());
        for (var action : ADDRESS_ACTIONS) {
            assertTrue(r.out().contains("\"" + action + "\""), action + " in " + r.out());
        }
        for (var action : INTERFACE_ACTIONS) {
            assertFalse(r.out().contains(action), action + " without interface: per-slot: " + r.out());
        }
        assertTrue(r.out().contains("\"aws:RequestTag/berth:cluster\": \"avax-mainnet\""), r.out());
    }

    @Test
    void perSlotInterfacesAddTheInterfaceActions(@TempDir Path dir) throws Exception {
        var r = MainTest.run("iam-policy", "--config",
                TestPlugins.withAwsPlugins(exampleWith(dir, "network:\n  interface: per-slot\n")).toString());
        assertEquals(0, r.code(), r.err());
        for (var action : INTERFACE_ACTIONS) {
            assertTrue(r.out().contains("\"" + action + "\""), action + " in " + r.out());
        }
        assertFalse(r.out().contains("ec2:AllocateAddress"), r.out());
    }

    @Test
    void aPoolNamesItsAddressesAndAllocatesNone(@TempDir Path dir) throws Exception {
        var r = MainTest.run("iam-policy", "--config", TestPlugins.withAwsPlugins(exampleWith(dir,
                "network:\n  elasticIp: pool\n  elasticIpPool: [eipalloc-0123456789abcdef0]\n")).toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("elastic-ip/eipalloc-0123456789abcdef0"), r.out());
        assertFalse(r.out().contains("ec2:AllocateAddress"), r.out());
    }

    @Test
    void badNetworkSettingsAreUsageErrors(@TempDir Path dir) throws Exception {
        var unknown = MainTest.run("iam-policy", "--config", exampleWith(dir, "network:\n  elasticIp: always\n").toString());
        assertEquals(2, unknown.code(), unknown.err());
        assertTrue(unknown.err().contains("network.elasticIp 'always'") && unknown.err().contains("allocate"), unknown.err());
        var emptyPool = MainTest.run("iam-policy", "--config", exampleWith(dir, "network:\n  elasticIp: pool\n").toString());
        assertEquals(2, emptyPool.code(), emptyPool.err());
        assertTrue(emptyPool.err().contains("elasticIpPool"), emptyPool.err());
    }

    @Test
    void theStaticProviderRefusesANetworkSection(@TempDir Path dir) throws Exception {
        var config = dir.resolve("berth.yaml");
        Files.writeString(config, "cluster: lab\nprovider: static\nnetwork:\n  elasticIp: allocate\n");
        var r = MainTest.run("iam-policy", "--config", config.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("static") && r.err().contains("network"), r.err());
    }

    @Test
    void simulateWithElasticIpsReportsEverySlotsAddressMovingToItsReplacement() {
        for (var flag : new String[] {"--elastic-ip", "--interface"}) {
            var r = MainTest.run("simulate", "--scenario", "instance-refresh", "--nodes", "30", "--zones", "3", "--seed", "1",
                    flag, "--json");
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("\"violations\":0"), r.out());
            assertTrue(r.out().contains(flag.equals("--elastic-ip") ? "\"addressesAllocated\":30" : "\"interfacesCreated\":30"),
                    r.out());
            assertTrue(r.out().contains("\"addressMoves\":30"), r.out());
        }
    }
}
