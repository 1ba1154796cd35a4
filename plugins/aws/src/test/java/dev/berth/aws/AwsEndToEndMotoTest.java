package dev.berth.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.claim.ClaimContext;
import dev.berth.core.claim.ClaimOutcome;
import dev.berth.core.claim.ClaimProtocol;
import dev.berth.core.claim.ClaimSettings;
import dev.berth.core.claim.CrossZonePolicy;
import dev.berth.core.claim.EnvFileWriter;
import dev.berth.core.claim.FullPolicy;
import dev.berth.core.claim.IdentityPolicy;
import dev.berth.core.claim.SlotLease;
import dev.berth.core.claim.Ticker;
import dev.berth.core.slot.SlotCodec;
import dev.berth.core.slot.SlotKeys;
import dev.berth.core.slot.SlotRecord;
import dev.berth.identity.ethereum.EthereumIdentityProviderFactory;
import dev.berth.spi.ClaimStore;
import dev.berth.spi.CloudProvider;
import dev.berth.spi.KeyProvider;
import dev.berth.spi.PluginConfig;
import dev.berth.store.s3.S3ClaimStoreFactory;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Issue 6, "What it must show", first bullet: the real claim protocol of the core, run in-process
 * once per simulated instance, through the AWS provider (EC2, EBS, Auto Scaling on moto; IMDSv2 from
 * one {@link ImdsFixture} per instance), the S3 claim store on moto, the Ethereum identity and the
 * KMS key provider on moto for the identity's encrypted backup. EBS content is a shared directory
 * root ({@link EbsDirectories}): a volume's "disk" follows its id from instance to instance.
 *
 * <p>Each test has its own cluster name, group, store prefix and directories, and removes its group,
 * launch template, subnets, volumes and slot records afterwards. Claims run one after another, as
 * moto is served single-threaded.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class AwsEndToEndMotoTest {
    private static final String TAG_CLUSTER = "berth:cluster";
    private static final String TAG_SLOT = "berth:slot";
    private static final String BUCKET = "berth-e2e-" + UUID.randomUUID().toString().substring(0, 8);
    private static String kmsKeyArn;
    private static String kmsKeyId;

    @TempDir
    Path tmp;

    private String cluster;
    private Fleet fleet;

    @BeforeAll
    static void createBucketAndKey() {
        try (var s3 = s3()) {
            s3.createBucket(r -> r.bucket(BUCKET));
        }
        try (var kms = MotoWorld.kms()) {
            var key = kms.createKey(r -> r.description("berth end-to-end identity backups")).keyMetadata();
            kmsKeyArn = key.arn();
            kmsKeyId = key.keyId();
        }
    }

    @AfterAll
    static void deleteBucketAndKey() {
        try (var s3 = s3()) {
            s3.listObjectsV2Paginator(r -> r.bucket(BUCKET)).contents()
                    .forEach(o -> s3.deleteObject(r -> r.bucket(BUCKET).key(o.key())));
            s3.deleteBucket(r -> r.bucket(BUCKET));
        }
        try (var kms = MotoWorld.kms()) {
            // by key id: moto 5.2.1 answers ScheduleKeyDeletion with a key ARN with HTTP 500
            kms.scheduleKeyDeletion(r -> r.keyId(kmsKeyId).pendingWindowInDays(7));
        }
    }

    @BeforeEach
    void newCluster() {
        cluster = MotoWorld.unique("e2e");
    }

    @AfterEach
    void cleanUp() {
        if (fleet != null) {
            fleet.close();
        }
    }

    // 1 ------------------------------------------------------------------------------------------

    @Test
    void threeZoneGroupBootsAndEveryInstanceGetsItsOwnSlotVolumeAndIdentity() throws Exception {
        fleet = new Fleet(cluster, tmp, 3);
        var booted = fleet.bootAll();

        var leases = booted.values().stream().map(AwsEndToEndMotoTest::claimed).toList();
        assertEquals(Set.of(0, 1, 2), leases.stream().map(SlotLease::slot).collect(Collectors.toSet()), fleet.log());
        assertEquals(3, leases.stream().map(SlotLease::volumeId).distinct().count(), fleet.log());

        var records = fleet.records();
        assertEquals(3, records.size());
        var names = new HashSet<String>();
        for (var entry : booted.entrySet()) {
            var node = entry.getKey();
            var lease = claimed(entry.getValue());
            assertEquals(node.instanceId, lease.instanceId());
            assertEquals(node.zone, lease.zone());
            assertEquals(1, lease.epoch());

            // the volume: tagged for the cluster and the slot, created in this instance's zone, attached to it
            var volume = fleet.describeVolume(lease.volumeId());
            assertEquals(node.zone, volume.availabilityZone(), "volume " + volume.volumeId() + " of " + node.instanceId);
            assertEquals(cluster, tag(volume.tags(), TAG_CLUSTER));
            assertEquals(Integer.toString(lease.slot()), tag(volume.tags(), TAG_SLOT));
            assertTrue(volume.attachments().stream().anyMatch(a -> a.instanceId().equals(node.instanceId)),
                    volume.attachments().toString());

            // the slot record: held by this instance, with its volume, its identity and a KMS-sealed backup
            var record = records.get(lease.slot());
            assertEquals(node.instanceId, record.holder().instanceId());
            assertEquals(new SlotRecord.VolumeRef(lease.volumeId(), node.zone), record.volume());
            assertNull(record.volumeIntent());
            assertTrue(record.formatted());
            var identity = lease.identity().orElseThrow();
            assertEquals("ethereum", record.identity().kind());
            assertEquals(identity.publicName(), record.identity().publicName());
            assertEquals(identity.fingerprint(), record.identity().fingerprint());
            assertTrue(record.identity().publicName().matches("[0-9a-f]{128}"), "an enode id");
            assertTrue(names.add(record.identity().publicName()), "identity shared by two slots");
            assertBackupHoldsNoPlaintextKey(record, fleet.devices.diskOf(lease.volumeId()).resolve("geth/nodekey"));

            // the identity is on the volume, seen through this instance's mount point
            assertTrue(Files.isRegularFile(node.mountPoint.resolve("geth/nodekey")));
            assertTrue(Files.isSymbolicLink(node.mountPoint));

            // the env file for the workload
            var env = readEnv(node.envFile);
            assertEquals(cluster, env.get("BERTH_CLUSTER"));
            assertEquals(Integer.toString(lease.slot()), env.get("BERTH_SLOT"));
            assertEquals(node.instanceId, env.get("BERTH_INSTANCE_ID"));
            assertEquals(node.zone, env.get("BERTH_ZONE"));
            assertEquals(lease.volumeId(), env.get("BERTH_VOLUME_ID"));
            assertEquals(identity.publicName(), env.get("BERTH_NODE_ID"));
            assertEquals(node.mountPoint.toString(), env.get("BERTH_DATA_DIR"));
        }
        assertEquals(3, names.size());
        assertEquals(3, fleet.clusterVolumes().size(), "moto holds exactly the three slot volumes");
    }

    // 2 ------------------------------------------------------------------------------------------

    @Test
    void instanceRefreshKeepsEverySlotsVolumeAndIdentity() throws Exception {
        fleet = new Fleet(cluster, tmp, 3);
        var before = new LinkedHashMap<Node, SlotLease>();
        fleet.bootAll().forEach((node, outcome) -> before.put(node, claimed(outcome)));
        var recordsBefore = fleet.records();

        for (var old : before.entrySet()) {
            var oldNode = old.getKey();
            var oldLease = old.getValue();
            var replacement = fleet.replace(oldNode);
            assertEquals(oldNode.zone, replacement.zone);

            var lease = claimed(fleet.claim(replacement));
            assertEquals(oldLease.slot(), lease.slot(), "the replacement of " + oldNode.instanceId + " takes its slot\n"
                    + fleet.log());
            assertEquals(oldLease.volumeId(), lease.volumeId(), "the same volume");
            assertEquals(oldLease.identity().orElseThrow().fingerprint(), lease.identity().orElseThrow().fingerprint(),
                    "the same identity");
            assertEquals(oldLease.identity().orElseThrow().publicName(), lease.identity().orElseThrow().publicName());
            assertTrue(lease.epoch() > oldLease.epoch(), "epoch " + lease.epoch() + " after " + oldLease.epoch());
            assertEquals(replacement.instanceId, lease.instanceId());

            var record = fleet.records().get(lease.slot());
            assertEquals(replacement.instanceId, record.holder().instanceId());
            assertEquals(lease.epoch(), record.epoch());
            assertEquals(recordsBefore.get(lease.slot()).identity(), record.identity());
            assertEquals(recordsBefore.get(lease.slot()).identityBackup(), record.identityBackup(),
                    "the backup is kept, not re-made");
            var volume = fleet.describeVolume(lease.volumeId());
            assertTrue(volume.attachments().stream().anyMatch(a -> a.instanceId().equals(replacement.instanceId)),
                    volume.attachments().toString());
            assertEquals(lease.volumeId(), readEnv(replacement.envFile).get("BERTH_VOLUME_ID"));
            assertEquals(3, fleet.clusterVolumes().size(), "no extra volume with the cluster tag");
        }
        var records = fleet.records();
        var holders = records.values().stream().map(r -> r.holder().instanceId()).collect(Collectors.toSet());
        assertTrue(before.keySet().stream().noneMatch(n -> holders.contains(n.instanceId)), "every slot changed hands");
        assertEquals(Set.copyOf(fleet.memberIds()), holders, "the group's new members hold the three slots");
        assertEquals(before.values().stream().map(SlotLease::volumeId).collect(Collectors.toSet()),
                fleet.clusterVolumes().stream().map(software.amazon.awssdk.services.ec2.model.Volume::volumeId)
                        .collect(Collectors.toSet()));
    }

    /** DESIGN step 6b on moto: each slot's Elastic IP and interface follow it through a refresh; the old instances keep none. */
    @Test
    void instanceRefreshKeepsEverySlotsElasticIpAndInterface() throws Exception {
        fleet = new Fleet(cluster, tmp, 3);
        fleet.network = new dev.berth.core.claim.NetworkSettings(dev.berth.core.claim.NetworkSettings.ElasticIp.ALLOCATE,
                List.of(), dev.berth.core.claim.NetworkSettings.Interfaces.PER_SLOT);
        var before = new LinkedHashMap<Node, Map<String, String>>();
        for (var entry : fleet.bootAll().entrySet()) {
            claimed(entry.getValue());
            var env = readEnv(entry.getKey().envFile);
            assertTrue(env.containsKey("BERTH_SLOT_PUBLIC_IP") && env.containsKey("BERTH_SLOT_PRIVATE_IP")
                    && env.get("BERTH_INTERFACE_ID").startsWith("eni-"), env + "\n" + fleet.log());
            before.put(entry.getKey(), env);
        }
        assertEquals(3, before.values().stream().map(e -> e.get("BERTH_SLOT_PUBLIC_IP")).distinct().count(), "one address per slot");
        for (var old : before.entrySet()) {
            var replacement = fleet.replace(old.getKey());
            claimed(fleet.claim(replacement));
            var env = readEnv(replacement.envFile);
            for (var key : List.of("BERTH_SLOT", "BERTH_SLOT_PUBLIC_IP", "BERTH_SLOT_PRIVATE_IP", "BERTH_INTERFACE_ID")) {
                assertEquals(old.getValue().get(key), env.get(key), key + " after the refresh of " + old.getKey().instanceId
                        + "\n" + fleet.log());
            }
        }
        try (var ec2 = MotoWorld.ec2()) {
            var addresses = ec2.describeAddresses(r -> r.filters(Filter.builder().name("tag:" + TAG_CLUSTER).values(cluster)
                    .build())).addresses();
            assertEquals(3, addresses.size(), "no address beyond the three slots: " + addresses);
            var interfaces = ec2.describeNetworkInterfacesPaginator(r -> r.filters(Filter.builder().name("tag:" + TAG_CLUSTER)
                    .values(cluster).build())).networkInterfaces().stream().toList();
            assertEquals(3, interfaces.size(), "no interface beyond the three slots: " + interfaces);
            var oldIds = before.keySet().stream().map(n -> n.instanceId).collect(Collectors.toSet());
            for (var a : addresses) {
                assertTrue(a.instanceId() != null && !oldIds.contains(a.instanceId()), "address " + a.publicIp() + " on " + a.instanceId());
            }
            for (var n : interfaces) {
                assertTrue(n.attachment() != null && !oldIds.contains(n.attachment().instanceId()),
                        "interface " + n.networkInterfaceId() + " attached to " + n.attachment());
                assertEquals(1, n.attachment().deviceIndex());
            }
        }
        var records = fleet.records();
        for (var record : records.values()) {
            assertEquals(record.holder().instanceId(), record.address().associatedWith());
            assertEquals(record.holder().instanceId(), record.address().attachedTo());
        }
    }

    // 3 ------------------------------------------------------------------------------------------

    @Test
    void reRunAfterACrashBetweenCreateVolumeAndTheSlotUpdateMakesNoSecondVolume() throws Exception {
        fleet = new Fleet(cluster, tmp, 1);
        var node = fleet.nodes().getFirst();
        var volumeId = crashOnce(node);

        // the same instance runs berth claim again (systemd restarts it)
        var outcome = fleet.claim(node);
        var lease = assertInstanceOf(ClaimOutcome.Resumed.class, outcome, fleet.log()).lease();
        assertEquals(volumeId, lease.volumeId(), "the crashed run's volume is the slot's volume");
        assertOneVolumeAndAClaimedSlot(lease, node);
    }

    @Test
    void aReplacementAfterACrashBetweenCreateVolumeAndTheSlotUpdateMakesNoSecondVolume() throws Exception {
        fleet = new Fleet(cluster, tmp, 1);
        var node = fleet.nodes().getFirst();
        var volumeId = crashOnce(node);

        // the crashed instance is replaced; its replacement (same zone) takes the slot over
        var replacement = fleet.replace(node);
        var lease = claimed(fleet.claim(replacement));
        assertEquals(volumeId, lease.volumeId(), "the crashed run's volume is the slot's volume");
        assertEquals(2, lease.epoch());
        assertOneVolumeAndAClaimedSlot(lease, replacement);
    }

    /** Runs a claim that dies right after CreateVolume returns; returns the volume it made. */
    private String crashOnce(Node node) {
        var crashing = new CrashAfterCreateVolume(node.provider);
        var crash = assertThrows(CrashAfterCreateVolume.Crash.class, () -> fleet.claim(node, crashing));
        var volumeId = crashing.createdBeforeCrash.get();
        assertNotNull(volumeId, crash.getMessage());
        var record = fleet.records().get(0);
        assertEquals(node.instanceId, record.holder().instanceId());
        assertNull(record.volume(), "the slot update did not happen: the crash came first");
        assertNotNull(record.volumeIntent(), "the client token was recorded before CreateVolume");
        assertEquals(List.of(volumeId), fleet.clusterVolumes().stream()
                .map(software.amazon.awssdk.services.ec2.model.Volume::volumeId).toList());
        assertFalse(Files.exists(node.envFile));
        return volumeId;
    }

    private void assertOneVolumeAndAClaimedSlot(SlotLease lease, Node holder) throws IOException {
        var volumes = fleet.clusterVolumes();
        assertEquals(1, volumes.size(), "exactly one volume carries the cluster tag: " + volumes);
        assertEquals("0", tag(volumes.getFirst().tags(), TAG_SLOT));
        assertEquals(holder.zone, volumes.getFirst().availabilityZone());
        var record = fleet.records().get(0);
        assertEquals(holder.instanceId, record.holder().instanceId());
        assertEquals(new SlotRecord.VolumeRef(lease.volumeId(), holder.zone), record.volume());
        assertNull(record.volumeIntent());
        assertTrue(record.formatted());
        assertEquals(lease.identity().orElseThrow().fingerprint(), record.identity().fingerprint());
        assertNotNull(record.identityBackup());
        assertEquals(lease.volumeId(), readEnv(holder.envFile).get("BERTH_VOLUME_ID"));
    }

    // 4: day 2 (issue 13) --------------------------------------------------------------------------

    @Test
    void afterAScaleInFromSixToThreeGcRemovesTheUnheldSlotsOnlyWhenNamedAndAppliedAndFindsAnOrphan() throws Exception {
        fleet = new Fleet(cluster, tmp, 6);
        var bySlot = new TreeMap<Integer, Node>();
        var volumeOf = new TreeMap<Integer, String>();
        fleet.bootAll().forEach((node, outcome) -> {
            bySlot.put(claimed(outcome).slot(), node);
            volumeOf.put(claimed(outcome).slot(), claimed(outcome).volumeId());
        });
        assertEquals(Set.of(0, 1, 2, 3, 4, 5), bySlot.keySet());
        try (var asg = MotoWorld.autoScaling(); var ec2 = MotoWorld.ec2()) {
            for (int slot = 3; slot < 6; slot++) {
                var id = bySlot.get(slot).instanceId;
                asg.terminateInstanceInAutoScalingGroup(r -> r.instanceId(id).shouldDecrementDesiredCapacity(true));
                // EC2 detaches the volumes of a terminated instance; moto may leave the attachment: detach as EC2 would
                var volumeId = volumeOf.get(slot);
                for (var a : fleet.describeVolume(volumeId).attachments()) {
                    ec2.detachVolume(r -> r.volumeId(volumeId).instanceId(a.instanceId()).force(true));
                }
            }
        }
        String orphan;
        try (var ec2 = MotoWorld.ec2()) {
            orphan = ec2.createVolume(r -> r.availabilityZone("us-east-1a").size(1).volumeType("gp3")
                    .tagSpecifications(t -> t.resourceType("volume").tags(Tag.builder().key(TAG_CLUSTER).value(cluster).build())))
                    .volumeId();
        }
        var cloud = bySlot.get(0).provider;
        var calls = new dev.berth.core.claim.Calls(Ticker.system(), ClaimSettings.Waits.defaults(), m -> fleet.log.add(m));
        try (var store = fleet.store()) {
            var view = new dev.berth.core.fleet.FleetReader(cloud, store, calls, Ticker.system(),
                    new dev.berth.core.fleet.FleetReader.Options(cluster, OptionalInt.empty(), 60_000, 3_600_000)).read();
            assertEquals(3, view.capacity(), "the group's desired capacity after the scale-in");
            var gone = view.findings().stream().filter(f -> f.kind() == dev.berth.core.fleet.Finding.Kind.HOLDER_GONE)
                    .map(dev.berth.core.fleet.Finding::slot).collect(Collectors.toSet());
            assertEquals(Set.of(3, 4, 5), gone, view.findings().toString());
            assertTrue(view.findings().stream().anyMatch(f -> f.kind() == dev.berth.core.fleet.Finding.Kind.ORPHAN_VOLUME
                    && f.resource().equals(orphan)), view.findings().toString());

            var plain = dev.berth.core.fleet.GcPlanner.plan(view, Set.of(), Map.of(), 0);
            assertEquals(Set.of(orphan), volumes(plain.delete()), "without --slots-above-capacity: the orphan only");
            var named = dev.berth.core.fleet.GcPlanner.plan(view, Set.of(3, 4, 5), Map.of(), 0);
            assertEquals(Set.of(orphan, volumeOf.get(3), volumeOf.get(4), volumeOf.get(5)), volumes(named.delete()));
            for (int slot = 0; slot < 3; slot++) {
                assertFalse(volumes(named.delete()).contains(volumeOf.get(slot)), "slot " + slot + "'s volume is never listed");
            }
            assertEquals(7, fleet.clusterVolumes().size(), "a dry run deletes nothing");

            var done = new dev.berth.core.fleet.GcRun(cloud, store, calls, m -> fleet.log.add(m), cluster).apply(view, named);
            assertTrue(done.stream().allMatch(dev.berth.core.fleet.GcRun.Done::deleted), done.toString());
        }
        var left = fleet.clusterVolumes().stream().filter(v -> !"deleted".equals(v.stateAsString()))
                .map(software.amazon.awssdk.services.ec2.model.Volume::volumeId).collect(Collectors.toSet());
        assertEquals(Set.of(volumeOf.get(0), volumeOf.get(1), volumeOf.get(2)), left);
        var records = fleet.records();
        for (int slot = 3; slot < 6; slot++) {
            assertNull(records.get(slot).volume(), "slot " + slot + " emptied");
            assertNull(records.get(slot).holder());
        }
    }

    @Test
    void aLargerConfiguredSizeGrowsTheVolumeWithModifyVolumeThenTheFilesystem() throws Exception {
        fleet = new Fleet(cluster, tmp, 1);
        var node = fleet.nodes().getFirst();
        fleet.sizeGiB = 100;
        var lease = claimed(fleet.claim(node));
        assertEquals(100, fleet.describeVolume(lease.volumeId()).size());

        fleet.sizeGiB = 200;
        var again = assertInstanceOf(ClaimOutcome.Resumed.class, fleet.claim(node), fleet.log()).lease();
        assertEquals(lease.volumeId(), again.volumeId());
        assertEquals(200, fleet.describeVolume(lease.volumeId()).size(), fleet.log());
        assertTrue(fleet.log().contains("growing volume " + lease.volumeId() + " of slot 0 from 100 to 200 GiB"), fleet.log());
        var modification = node.provider.describeVolumeModification(lease.volumeId()).orElseThrow();
        assertEquals(200, modification.targetSizeGiB());
    }

    private static Set<String> volumes(List<dev.berth.core.fleet.GcPlan.Item> items) {
        return items.stream().filter(i -> i.kind() == dev.berth.core.fleet.GcPlan.Kind.VOLUME)
                .map(dev.berth.core.fleet.GcPlan.Item::id).collect(Collectors.toSet());
    }

    // helpers ------------------------------------------------------------------------------------

    private static SlotLease claimed(ClaimOutcome outcome) {
        return assertInstanceOf(ClaimOutcome.Claimed.class, outcome).lease();
    }

    private static String tag(List<Tag> tags, String key) {
        return tags.stream().filter(t -> t.key().equals(key)).map(Tag::value).findFirst().orElse(null);
    }

    private static Map<String, String> readEnv(Path file) throws IOException {
        var env = new TreeMap<String, String>();
        for (var line : Files.readAllLines(file)) {
            int eq = line.indexOf('=');
            if (!line.startsWith("#") && eq > 0) {
                var value = line.substring(eq + 1);
                env.put(line.substring(0, eq), value.startsWith("\"") ? value.substring(1, value.length() - 1) : value);
            }
        }
        return env;
    }

    /** The backup is sealed: neither the base64 text nor its bytes hold the node key (never printed). */
    private static void assertBackupHoldsNoPlaintextKey(SlotRecord record, Path nodekey) throws IOException {
        assertNotNull(record.identityBackup(), "the slot keeps an encrypted backup of its identity");
        var key = Files.readString(nodekey, StandardCharsets.UTF_8).strip();
        var text = record.identityBackup();
        var sealed = new String(Base64.getDecoder().decode(text.substring(text.indexOf(':') + 1)),
                StandardCharsets.ISO_8859_1);
        assertTrue(sealed.contains("kms:" + kmsKeyArn), "the backup's data key is wrapped by the test's KMS key");
        assertFalse(record.identityBackup().contains(key) || sealed.contains(key),
                "the backup of slot " + record.slot() + " holds the node key in the clear");
    }

    private static S3Client s3() {
        return S3Client.builder().httpClient(UrlConnectionHttpClient.create()).endpointOverride(MotoWorld.endpoint())
                .region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .build();
    }

    /** One simulated instance: its own IMDS, AWS provider, mount point and env file. */
    static final class Node {
        final String instanceId;
        final String zone;
        final ImdsFixture imds;
        final CloudProvider provider;
        final Path mountPoint;
        final Path envFile;

        Node(String instanceId, String zone, String group, Path home) throws IOException {
            this(instanceId, zone, group, home, "");
        }

        /** {@code interfaceSubnets}: the provider setting naming each zone's subnet for slot interfaces. */
        Node(String instanceId, String zone, String group, Path home, String interfaceSubnets) throws IOException {
            this.instanceId = instanceId;
            this.zone = zone;
            this.imds = ImdsFixture.of(instanceId, zone, group);
            var config = MotoWorld.config(imds.endpoint());
            this.provider = new AwsCloudProviderFactory().create(interfaceSubnets.isEmpty() ? config
                    : config.with("interfaceSubnets", interfaceSubnets));
            this.mountPoint = home.resolve(instanceId).resolve("data").toAbsolutePath();
            this.envFile = home.resolve(instanceId).resolve("etc/berth/slot.env").toAbsolutePath();
        }

        void close() {
            provider.close();
            imds.close();
        }
    }

    /**
     * A cluster's world on moto: a VPC with a subnet in each of us-east-1a/b/c, a launch template and
     * an Auto Scaling group over those subnets, the S3 store's prefix, the shared "EBS" root.
     */
    static final class Fleet implements AutoCloseable {
        final String cluster;
        final String group;
        final Path home;
        final EbsDirectories devices;
        final URI storeUri;
        private final List<Node> nodes = new ArrayList<>();
        final List<String> log = new CopyOnWriteArrayList<>();
        /** volume.sizeGiB of the next claims. */
        int sizeGiB = 1;
        private final String vpcId;
        private final List<String> subnetIds = new ArrayList<>();

        Fleet(String cluster, Path home, int desired) throws IOException {
            this.cluster = cluster;
            this.group = cluster + "-asg";
            this.home = home;
            this.devices = new EbsDirectories(home.resolve("ebs"));
            this.storeUri = URI.create("s3://" + BUCKET + "/" + cluster + "?region=us-east-1&pathStyle=true&endpoint="
                    + MotoWorld.endpoint());
            try (var ec2 = MotoWorld.ec2(); var asg = MotoWorld.autoScaling()) {
                vpcId = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
                for (int i = 0; i < MotoWorld.ZONES.size(); i++) {
                    var cidr = "10.0." + (i + 1) + ".0/24";
                    var zone = MotoWorld.ZONES.get(i);
                    subnetIds.add(ec2.createSubnet(r -> r.vpcId(vpcId).cidrBlock(cidr).availabilityZone(zone)).subnet().subnetId());
                }
                ec2.createLaunchTemplate(r -> r.launchTemplateName(group + "-lt")
                        .launchTemplateData(d -> d.imageId("ami-12c6146b").instanceType("t3.micro")));
                asg.createAutoScalingGroup(r -> r.autoScalingGroupName(group)
                        .launchTemplate(t -> t.launchTemplateName(group + "-lt"))
                        .minSize(0).maxSize(desired + 2).desiredCapacity(desired)
                        .vpcZoneIdentifier(String.join(",", subnetIds)));
            }
            // moto places every instance of a small group in one zone although the group spans three
            // subnets; each simulated instance gets its zone from its own IMDS fixture instead: a, b, c
            var members = MotoWorld.members(group);
            assertEquals(desired, members.size());
            for (int i = 0; i < members.size(); i++) {
                nodes.add(new Node(members.get(i).instanceId(), MotoWorld.ZONES.get(i % 3), group, home, interfaceSubnets()));
            }
        }

        List<Node> nodes() {
            return List.copyOf(nodes);
        }

        /** The network: section the fleet's claims run with; none unless a test sets it. */
        dev.berth.core.claim.NetworkSettings network = dev.berth.core.claim.NetworkSettings.none();

        String interfaceSubnets() {
            var pairs = new ArrayList<String>();
            for (int i = 0; i < subnetIds.size(); i++) {
                pairs.add(MotoWorld.ZONES.get(i) + "=" + subnetIds.get(i));
            }
            return String.join(",", pairs);
        }

        /** Runs berth claim on every instance, one after another. */
        Map<Node, ClaimOutcome> bootAll() {
            var outcomes = new LinkedHashMap<Node, ClaimOutcome>();
            for (var node : nodes) {
                outcomes.put(node, claim(node));
            }
            return outcomes;
        }

        ClaimOutcome claim(Node node) {
            return claim(node, node.provider);
        }

        /** crossZone, snapshots:, the clock and waits.snapshotSeconds of the next claims (issue 15's tests set them). */
        CrossZonePolicy crossZone = CrossZonePolicy.NEVER;
        ClaimSettings.SnapshotSettings snapshots = ClaimSettings.SnapshotSettings.defaults();
        Ticker ticker = Ticker.system();
        long snapshotWaitMillis = 60_000;

        /** One run of berth claim on {@code node}: a fresh store client and key provider, as a new process has. */
        ClaimOutcome claim(Node node, CloudProvider cloud) {
            try (var store = store()) {
                return new ClaimProtocol(settings(node), context(node, cloud, store)).claim();
            }
        }

        /** One run of berth snapshot on {@code node}, through {@code cloud}. */
        dev.berth.core.claim.SnapshotOutcome snapshot(Node node, CloudProvider cloud) {
            try (var store = store()) {
                return new dev.berth.core.claim.PeriodicSnapshot(settings(node), context(node, cloud, store)).run();
            }
        }

        ClaimSettings settings(Node node) {
            var volume = new ClaimSettings.VolumeSettings(sizeGiB, "gp3", OptionalInt.empty(), OptionalInt.empty(), true,
                    Optional.empty(), Optional.empty(), "ext4", List.of(), node.mountPoint, List.of());
            var identity = new ClaimSettings.IdentitySettings(Optional.of("ethereum"), Path.of("geth"), IdentityPolicy.AUTO);
            // every wait bounded and short: moto answers at once
            var waits = new ClaimSettings.Waits(500, 5_000, 30_000, 60_000, 10_000, snapshotWaitMillis, 30_000, 30_000, 8, 3);
            return new ClaimSettings(cluster, OptionalInt.empty(), volume, identity, FullPolicy.WAIT,
                    crossZone, waits, node.envFile, OptionalInt.empty()).withNetwork(network).withSnapshots(snapshots);
        }

        private ClaimContext context(Node node, CloudProvider cloud, ClaimStore store) {
            var ethereum = new EthereumIdentityProviderFactory().create(PluginConfig.empty("identity"));
            return new ClaimContext(cloud, store, devices, devices, Optional.of(ethereum), Optional.of(keys()),
                    ticker, message -> log.add(node.instanceId + ": " + message), EnvFileWriter.local());
        }

        ClaimStore store() {
            return new S3ClaimStoreFactory().open(storeUri, new PluginConfig("store", Map.of(
                    "accessKeyId", "testing", "secretAccessKey", "testing")));
        }

        static KeyProvider keys() {
            return new KmsKeyProviderFactory().create(new PluginConfig("keys", Map.of("keyId", kmsKeyArn,
                    "endpoint", MotoWorld.endpoint().toString(), "accessKeyId", "testing", "secretAccessKey", "testing")));
        }

        /**
         * Instance refresh, one instance: TerminateInstanceInAutoScalingGroup without decrementing the
         * capacity (moto launches the replacement at once); the replacement boots in the same zone.
         */
        Node replace(Node old) throws IOException {
            return replace(old, old.zone);
        }

        /** As {@link #replace(Node)}, the replacement booting in {@code zone} (its IMDS says so). */
        Node replace(Node old, String zone) throws IOException {
            var known = nodes.stream().map(n -> n.instanceId).collect(Collectors.toSet());
            try (var asg = MotoWorld.autoScaling()) {
                asg.terminateInstanceInAutoScalingGroup(r -> r.instanceId(old.instanceId).shouldDecrementDesiredCapacity(false));
            }
            var fresh = MotoWorld.members(group).stream().filter(m -> !known.contains(m.instanceId())).toList();
            assertEquals(1, fresh.size(), "one replacement for " + old.instanceId + ": " + fresh);
            var node = new Node(fresh.getFirst().instanceId(), zone, group, home, interfaceSubnets());
            nodes.add(node);
            return node;
        }

        List<String> memberIds() {
            return MotoWorld.members(group).stream().map(software.amazon.awssdk.services.autoscaling.model.Instance::instanceId)
                    .toList();
        }

        /** The slot records as the store has them now. */
        Map<Integer, SlotRecord> records() {
            var keys = new SlotKeys(cluster);
            var codec = new SlotCodec();
            var records = new TreeMap<Integer, SlotRecord>();
            try (var store = store()) {
                for (var item : store.list(keys.slotsPrefix())) {
                    var slot = keys.slotOf(item.key());
                    if (slot.isPresent()) {
                        records.put(slot.getAsInt(), codec.decode(item.key(), slot.getAsInt(), cluster, item.value()));
                    }
                }
            }
            return records;
        }

        List<software.amazon.awssdk.services.ec2.model.Volume> clusterVolumes() {
            try (var ec2 = MotoWorld.ec2()) {
                return ec2.describeVolumesPaginator(r -> r.filters(Filter.builder().name("tag:" + TAG_CLUSTER)
                        .values(cluster).build())).volumes().stream().toList();
            }
        }

        software.amazon.awssdk.services.ec2.model.Volume describeVolume(String volumeId) {
            try (var ec2 = MotoWorld.ec2()) {
                return ec2.describeVolumes(r -> r.volumeIds(volumeId)).volumes().getFirst();
            }
        }

        String log() {
            return String.join("\n", log);
        }

        /** Removes what the cluster made on moto; best effort, so that one failure does not hide the test's. */
        @Override
        public void close() {
            nodes.forEach(Node::close);
            try (var ec2 = MotoWorld.ec2(); var asg = MotoWorld.autoScaling(); var s3 = s3()) {
                quietly(() -> asg.deleteAutoScalingGroup(r -> r.autoScalingGroupName(group).forceDelete(true)));
                quietly(() -> ec2.deleteLaunchTemplate(r -> r.launchTemplateName(group + "-lt")));
                for (var volume : clusterVolumes()) {
                    for (var a : volume.attachments()) {
                        quietly(() -> ec2.detachVolume(r -> r.volumeId(volume.volumeId()).instanceId(a.instanceId()).force(true)));
                    }
                    quietly(() -> ec2.deleteVolume(r -> r.volumeId(volume.volumeId())));
                }
                quietly(() -> ec2.describeNetworkInterfacesPaginator(r -> r.filters(Filter.builder().name("tag:" + TAG_CLUSTER)
                        .values(cluster).build())).networkInterfaces().forEach(n -> {
                            if (n.attachment() != null) {
                                quietly(() -> ec2.detachNetworkInterface(r -> r.attachmentId(n.attachment().attachmentId()).force(true)));
                            }
                            quietly(() -> ec2.deleteNetworkInterface(r -> r.networkInterfaceId(n.networkInterfaceId())));
                        }));
                quietly(() -> ec2.describeAddresses(r -> r.filters(Filter.builder().name("tag:" + TAG_CLUSTER)
                        .values(cluster).build())).addresses().forEach(a -> {
                            if (a.associationId() != null) {
                                quietly(() -> ec2.disassociateAddress(r -> r.associationId(a.associationId())));
                            }
                            quietly(() -> ec2.releaseAddress(r -> r.allocationId(a.allocationId())));
                        }));
                subnetIds.forEach(id -> quietly(() -> ec2.deleteSubnet(r -> r.subnetId(id))));
                quietly(() -> ec2.deleteVpc(r -> r.vpcId(vpcId)));
                quietly(() -> s3.listObjectsV2Paginator(r -> r.bucket(BUCKET).prefix(cluster + "/")).contents()
                        .forEach(o -> s3.deleteObject(r -> r.bucket(BUCKET).key(o.key()))));
            }
        }

        private static void quietly(Runnable step) {
            try {
                step.run();
            } catch (RuntimeException e) {
                System.err.println("clean-up step failed: " + e.getMessage());
            }
        }
    }
}
