package dev.berth.aws;

import dev.berth.spi.AttachmentState;
import dev.berth.spi.CloudException;
import dev.berth.spi.CloudException.Reason;
import dev.berth.spi.CloudProvider;
import dev.berth.spi.GroupMember;
import dev.berth.spi.GroupView;
import dev.berth.spi.InstanceIdentity;
import dev.berth.spi.InstanceState;
import dev.berth.spi.LifecycleAction;
import dev.berth.spi.LifecycleState;
import dev.berth.spi.Snapshot;
import dev.berth.spi.SnapshotState;
import dev.berth.spi.Volume;
import dev.berth.spi.VolumeAttachment;
import dev.berth.spi.VolumeQuery;
import dev.berth.spi.VolumeRequest;
import dev.berth.spi.VolumeState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.CreateVolumeResponse;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * CloudProvider "aws": who am I from IMDSv2, the group from Auto Scaling, volumes from EC2.
 * Describe calls may lag; nothing here decides ownership (the claim store does). Every SDK
 * failure becomes a {@link CloudException} naming the action and the resource.
 */
final class AwsCloudProvider implements CloudProvider {
    /** Tag that carries the create call's client token, so a re-run finds the volume even where the token is not honoured. */
    static final String TAG_CLIENT_TOKEN = "berth:client-token";
    private static final System.Logger LOG = System.getLogger("dev.berth.aws");
    private static final int FILTER_VALUES_PER_CALL = 200;
    private static final List<String> DEVICE_LETTERS = List.of("f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p");
    private static final int DEVICE_ATTEMPTS = 3;

    private final AwsSettings settings;
    private final Imds imds;
    private InstanceIdentity metadata;
    private InstanceIdentity self;
    private Ec2Client ec2;
    private AutoScalingClient autoScaling;

    AwsCloudProvider(AwsSettings settings) {
        this.settings = settings;
        this.imds = new Imds(settings.imdsEndpoint(), settings.imdsTimeout());
    }

    /** IMDS, for the keeper: Auto Scaling's target lifecycle state of this instance, if published. */
    Optional<String> targetLifecycleState() {
        return imds.targetLifecycleState();
    }

    /** IMDS, for the keeper: the spot interruption notice, if one was given. */
    Optional<String> spotInstanceAction() {
        return imds.spotInstanceAction();
    }

    @Override
    public synchronized InstanceIdentity self() {
        if (self == null) {
            var found = metadata();
            var group = found.groupName().or(settings::group).or(() -> groupOf(found.instanceId()));
            self = new InstanceIdentity(found.instanceId(), found.zone(), found.region(), group, found.instanceType(),
                    found.privateIp(), found.publicIp());
        }
        return self;
    }

    private synchronized InstanceIdentity metadata() {
        if (metadata == null) {
            var found = imds.identity();
            settings.region().filter(r -> !r.equals(found.region())).ifPresent(r -> {
                throw new CloudException(Reason.INVALID, found.instanceId(), "setting '" + settings.section()
                        + ".region' is " + r + " but instance " + found.instanceId() + " runs in " + found.region()
                        + " (zone " + found.zone() + "): remove the setting or set it to " + found.region());
            });
            metadata = found;
        }
        return metadata;
    }

    private Optional<String> groupOf(String instanceId) {
        var response = call("autoscaling:DescribeAutoScalingInstances", instanceId,
                "find the Auto Scaling group of instance " + instanceId,
                () -> asg().describeAutoScalingInstances(r -> r.instanceIds(instanceId)));
        return response.autoScalingInstances().stream().map(i -> i.autoScalingGroupName()).findFirst();
    }

    private synchronized String region() {
        return settings.region().orElseGet(() -> metadata().region());
    }

    private synchronized Ec2Client ec2() {
        if (ec2 == null) {
            ec2 = AwsClients.ec2(settings, region());
        }
        return ec2;
    }

    private synchronized AutoScalingClient asg() {
        if (autoScaling == null) {
            autoScaling = AwsClients.autoScaling(settings, region());
        }
        return autoScaling;
    }

    private String groupName() {
        var me = self();
        return me.groupName().orElseThrow(() -> new CloudException(Reason.INVALID, me.instanceId(), "instance "
                + me.instanceId() + " is in no Auto Scaling group (neither its tags nor DescribeAutoScalingInstances name"
                + " one): launch it from the group, or set '" + settings.section() + ".group'"));
    }

    @Override
    public GroupView group() {
        String name = groupName();
        var response = call("autoscaling:DescribeAutoScalingGroups", name, "describe Auto Scaling group " + name,
                () -> asg().describeAutoScalingGroups(r -> r.autoScalingGroupNames(name)));
        var group = response.autoScalingGroups().stream().filter(g -> g.autoScalingGroupName().equals(name)).findFirst()
                .orElseThrow(() -> new CloudException(Reason.NOT_FOUND, name, "Auto Scaling group " + name
                        + " does not exist in " + region() + ": check the group name and the region"));
        var members = group.instances().stream()
                .map(i -> new GroupMember(i.instanceId(), i.availabilityZone(),
                        LifecycleState.fromAwsName(i.lifecycleStateAsString()), "Healthy".equalsIgnoreCase(i.healthStatus())))
                .toList();
        return new GroupView(name, group.desiredCapacity(), group.availabilityZones(), members);
    }

    @Override
    public Map<String, InstanceState> instanceStates(Collection<String> instanceIds) {
        var ids = new ArrayList<>(new TreeSet<>(instanceIds));
        var result = new TreeMap<String, InstanceState>();
        for (int from = 0; from < ids.size(); from += FILTER_VALUES_PER_CALL) {
            var batch = ids.subList(from, Math.min(ids.size(), from + FILTER_VALUES_PER_CALL));
            String what = "describe instances " + batch;
            // a filter, not InstanceIds: an id EC2 does not know is simply not returned
            call("ec2:DescribeInstances", String.join(",", batch), "describe instances " + batch, () -> {
                ec2().describeInstancesPaginator(r -> r.filters(Filter.builder().name("instance-id").values(batch).build())
                        .maxResults(1000)).reservations().forEach(reservation -> reservation.instances().forEach(i ->
                        instanceState(i.state().nameAsString()).ifPresent(s -> result.put(i.instanceId(), s))));
                return null;
            });
        }
        return result;
    }

    static Optional<InstanceState> instanceState(String name) {
        return Optional.ofNullable(switch (name == null ? "" : name) {
            case "pending" -> InstanceState.PENDING;
            case "running" -> InstanceState.RUNNING;
            case "stopping" -> InstanceState.STOPPING;
            case "stopped" -> InstanceState.STOPPED;
            case "shutting-down" -> InstanceState.SHUTTING_DOWN;
            case "terminated" -> InstanceState.TERMINATED;
            default -> null;
        });
    }

    @Override
    public List<Volume> findVolumes(VolumeQuery query) {
        var filters = new ArrayList<Filter>();
        new TreeMap<>(query.tags()).forEach((k, v) -> filters.add(Filter.builder().name("tag:" + k).values(v).build()));
        query.zone().ifPresent(z -> filters.add(Filter.builder().name("availability-zone").values(z).build()));
        String what = "find volumes tagged " + new TreeMap<>(query.tags()) + query.zone().map(z -> " in " + z).orElse("");
        return call("ec2:DescribeVolumes", "volumes " + new TreeMap<>(query.tags()), what, () -> {
            var found = new ArrayList<Volume>();
            ec2().describeVolumesPaginator(r -> r.filters(filters).maxResults(500)).volumes()
                    .forEach(v -> found.add(volume(v)));
            return found;
        });
    }

    @Override
    public Optional<Volume> describeVolume(String volumeId) {
        try {
            var response = ec2().describeVolumes(r -> r.volumeIds(volumeId));
            return response.volumes().stream().findFirst().map(AwsCloudProvider::volume);
        } catch (SdkException e) {
            if ("InvalidVolume.NotFound".equals(code(e))) {
                return Optional.empty();
            }
            throw AwsFailures.translate("ec2:DescribeVolumes", volumeId, "describe volume " + volumeId, e);
        }
    }

    @Override
    public Volume createVolume(VolumeRequest request) {
        String region = region();
        if (!request.zone().startsWith(region)) {
            throw new CloudException(Reason.INVALID, request.zone(), "zone " + request.zone() + " is not in region "
                    + region + ": volumes are created in this instance's region; check the zones in the configuration");
        }
        // EC2 honours the client token; moto does not, and a look-up by the token's tag costs one call
        var earlier = findVolumes(new VolumeQuery(Map.of(TAG_CLIENT_TOKEN, request.clientToken()),
                Optional.of(request.zone())));
        // a volume of this token that failed or is being deleted can never serve: the caller sees its state
        // through describeVolume after CreateVolume (EC2 returns it again for the same token) and makes a new intent
        var usable = earlier.stream().filter(v -> v.state() != VolumeState.ERROR && v.state() != VolumeState.DELETING
                && v.state() != VolumeState.DELETED).findFirst();
        if (usable.isPresent()) {
            return usable.get();
        }
        var tags = new LinkedHashMap<>(request.tags());
        tags.put(TAG_CLIENT_TOKEN, request.clientToken());
        String what = "create a " + request.sizeGiB() + " GiB " + request.volumeType() + " volume in " + request.zone()
                + request.snapshotId().map(s -> " from snapshot " + s).orElse("");
        var response = call("ec2:CreateVolume", request.snapshotId().orElse(request.zone()), what, () -> ec2().createVolume(r -> {
            r.availabilityZone(request.zone()).size(request.sizeGiB()).volumeType(request.volumeType())
                    .clientToken(request.clientToken())
                    .encrypted(request.encrypted() || request.kmsKeyId().isPresent())
                    .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.VOLUME).tags(tags(tags)).build());
            request.iops().ifPresent(r::iops);
            request.throughputMiBps().ifPresent(r::throughput);
            request.kmsKeyId().ifPresent(r::kmsKeyId);
            request.snapshotId().ifPresent(r::snapshotId);
        }));
        LOG.log(System.Logger.Level.INFO, "created volume {0} in {1} (client token {2})", response.volumeId(),
                request.zone(), request.clientToken());
        return volume(response);
    }

    @Override
    public VolumeAttachment attachVolume(String volumeId) {
        var me = self();
        var volume = describeVolume(volumeId).orElseThrow(() -> new CloudException(Reason.NOT_FOUND, volumeId, "volume "
                + volumeId + " is not known to EC2 in " + region() + " (or not visible yet: describe calls lag behind"
                + " CreateVolume); berth waits and retries"));
        if (!volume.zone().equals(me.zone())) {
            throw new CloudException(Reason.INVALID, volumeId, "volume " + volumeId + " is in zone " + volume.zone()
                    + " but instance " + me.instanceId() + " runs in " + me.zone() + ": a volume attaches only in its own"
                    + " zone; allow the cross-zone move (through a snapshot) in the configuration, or wait for an"
                    + " instance in " + volume.zone());
        }
        var mine = volume.attachmentTo(me.instanceId());
        if (mine.isPresent() && (mine.get().state() == AttachmentState.ATTACHED || mine.get().state() == AttachmentState.ATTACHING
                || mine.get().state() == AttachmentState.BUSY)) {
            return mine.get();
        }
        // EC2 refuses this too (VolumeInUse); checking first also keeps servers that accept it honest
        var other = volume.attachments().stream()
                .filter(a -> !a.instanceId().equals(me.instanceId()) && a.state() != AttachmentState.DETACHED).findFirst();
        if (other.isPresent()) {
            throw new CloudException(Reason.CONFLICT, volumeId, "volume " + volumeId + " is still "
                    + other.get().state().name().toLowerCase(Locale.ROOT) + " to instance " + other.get().instanceId()
                    + ": berth waits for it to let go; if that instance is gone, detach the volume by hand");
        }
        var used = usedDeviceLetters(me.instanceId());
        for (int attempt = 1; ; attempt++) {
            String device = DEVICE_LETTERS.stream().filter(l -> !used.contains(l)).findFirst().map(l -> "/dev/sd" + l)
                    .orElseThrow(() -> new CloudException(Reason.CONFLICT, me.instanceId(), "instance " + me.instanceId()
                            + " has no free device name left in /dev/sdf../dev/sdp for volume " + volumeId
                            + ": detach volumes it no longer needs"));
            try {
                var response = ec2().attachVolume(r -> r.volumeId(volumeId).instanceId(me.instanceId()).device(device));
                return new VolumeAttachment(volumeId, me.instanceId(), device, attachmentState(response.stateAsString()));
            } catch (SdkException e) {
                String message = e instanceof AwsServiceException s && s.awsErrorDetails() != null
                        ? String.valueOf(s.awsErrorDetails().errorMessage()) : "";
                if (attempt < DEVICE_ATTEMPTS && "InvalidParameterValue".equals(code(e)) && message.contains("already in use")) {
                    used.add(device.substring("/dev/sd".length()));
                    continue; // another attach took this name a moment ago
                }
                throw AwsFailures.translate("ec2:AttachVolume", volumeId, "attach volume " + volumeId + " to instance "
                        + me.instanceId() + " as " + device, e);
            }
        }
    }

    /** Device letters taken on the instance: its block device mappings and volumes attaching to it. */
    private Set<String> usedDeviceLetters(String instanceId) {
        var used = new HashSet<String>();
        var instances = call("ec2:DescribeInstances", instanceId, "describe instance " + instanceId,
                () -> ec2().describeInstances(r -> r.instanceIds(instanceId)));
        instances.reservations().forEach(r -> r.instances().forEach(i -> i.blockDeviceMappings()
                .forEach(m -> used.add(deviceLetter(m.deviceName())))));
        var attached = call("ec2:DescribeVolumes", instanceId, "describe the volumes of instance " + instanceId,
                () -> ec2().describeVolumes(r -> r.filters(Filter.builder().name("attachment.instance-id").values(instanceId).build())));
        attached.volumes().forEach(v -> v.attachments().stream().filter(a -> instanceId.equals(a.instanceId()))
                .forEach(a -> used.add(deviceLetter(a.device()))));
        return used;
    }

    /** "/dev/sdf", "/dev/xvdf", "sdf1" → "f". */
    static String deviceLetter(String device) {
        if (device == null) {
            return "";
        }
        String name = device.replaceFirst("^/dev/", "").replaceFirst("^(xvd|sd|hd)", "").replaceAll("\\d+$", "");
        return name.toLowerCase(Locale.ROOT);
    }

    @Override
    public void detachVolume(String volumeId) {
        var me = self();
        var mine = describeVolume(volumeId).flatMap(v -> v.attachmentTo(me.instanceId()))
                .filter(a -> a.state() != AttachmentState.DETACHED && a.state() != AttachmentState.DETACHING);
        if (mine.isEmpty()) {
            return; // not attached here: nothing of ours to let go
        }
        try {
            // always with our instance id: never detach another instance's attachment
            ec2().detachVolume(r -> r.volumeId(volumeId).instanceId(me.instanceId()).device(mine.get().deviceName()));
        } catch (SdkException e) {
            String code = code(e);
            if ("InvalidAttachment.NotFound".equals(code) || "IncorrectState".equals(code)) {
                return; // detached (or detaching) since we looked
            }
            throw AwsFailures.translate("ec2:DetachVolume", volumeId, "detach volume " + volumeId + " from instance "
                    + me.instanceId(), e);
        }
    }

    @Override
    public Snapshot createSnapshot(String volumeId, Map<String, String> tags) {
        var earlier = earlierSnapshot(volumeId, tags);
        if (earlier.isPresent()) {
            return earlier.get();
        }
        var response = call("ec2:CreateSnapshot", volumeId, "snapshot volume " + volumeId, () -> ec2().createSnapshot(r -> r
                .volumeId(volumeId).description("berth: " + tags.getOrDefault("berth:cluster", "") + " " + volumeId)
                .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.SNAPSHOT).tags(tags(tags)).build())));
        return new Snapshot(response.snapshotId(), response.volumeId(), snapshotState(response.stateAsString()),
                progress(response.progress()), size(response.volumeSize()), tagMap(response.tags()));
    }

    /** A pending or completed snapshot of the volume, ours, carrying all the tags (CreateSnapshot has no client token). */
    private Optional<Snapshot> earlierSnapshot(String volumeId, Map<String, String> tags) {
        var filters = new ArrayList<Filter>();
        filters.add(Filter.builder().name("volume-id").values(volumeId).build());
        filters.add(Filter.builder().name("status").values("pending", "completed").build());
        new TreeMap<>(tags).forEach((k, v) -> filters.add(Filter.builder().name("tag:" + k).values(v).build()));
        var response = call("ec2:DescribeSnapshots", volumeId, "look for an earlier snapshot of volume " + volumeId,
                () -> ec2().describeSnapshots(r -> r.ownerIds("self").filters(filters)));
        return response.snapshots().stream()
                .filter(s -> tagMap(s.tags()).entrySet().containsAll(tags.entrySet()))
                .filter(s -> snapshotState(s.stateAsString()) != SnapshotState.ERROR)
                .min(java.util.Comparator.comparing(s -> s.startTime() == null ? java.time.Instant.MAX : s.startTime()))
                .map(AwsCloudProvider::snapshot);
    }

    private static Snapshot snapshot(software.amazon.awssdk.services.ec2.model.Snapshot s) {
        return new Snapshot(s.snapshotId(), s.volumeId(), snapshotState(s.stateAsString()), progress(s.progress()),
                size(s.volumeSize()), tagMap(s.tags()));
    }

    private static int size(Integer volumeSizeGiB) {
        return volumeSizeGiB == null ? 0 : volumeSizeGiB;
    }

    @Override
    public Optional<Snapshot> describeSnapshot(String snapshotId) {
        try {
            var response = ec2().describeSnapshots(r -> r.snapshotIds(snapshotId));
            return response.snapshots().stream().findFirst().map(AwsCloudProvider::snapshot);
        } catch (SdkException e) {
            if ("InvalidSnapshot.NotFound".equals(code(e))) {
                return Optional.empty();
            }
            throw AwsFailures.translate("ec2:DescribeSnapshots", snapshotId, "describe snapshot " + snapshotId, e);
        }
    }

    @Override
    public List<Snapshot> findSnapshots(Map<String, String> tags) {
        var filters = new ArrayList<Filter>();
        new TreeMap<>(tags).forEach((k, v) -> filters.add(Filter.builder().name("tag:" + k).values(v).build()));
        var found = new ArrayList<Snapshot>();
        String[] next = {null};
        do {
            var response = call("ec2:DescribeSnapshots", tags.getOrDefault("berth:cluster", "snapshots"),
                    "list snapshots tagged " + new TreeMap<>(tags), () -> ec2().describeSnapshots(r -> r.ownerIds("self")
                            .filters(filters).nextToken(next[0])));
            response.snapshots().stream().filter(s -> tagMap(s.tags()).entrySet().containsAll(tags.entrySet()))
                    .map(AwsCloudProvider::snapshot).forEach(found::add);
            next[0] = response.nextToken();
        } while (next[0] != null && !next[0].isEmpty());
        return found;
    }

    @Override
    public void deleteSnapshot(String snapshotId) {
        var seen = describeSnapshot(snapshotId);
        if (seen.isEmpty()) {
            return;
        }
        if (!seen.get().tags().containsKey("berth:cluster")) {
            throw new CloudException(CloudException.Reason.INVALID, snapshotId, "snapshot " + snapshotId + " has no"
                    + " berth:cluster tag: berth deletes only the snapshots it made");
        }
        try {
            ec2().deleteSnapshot(r -> r.snapshotId(snapshotId));
        } catch (SdkException e) {
            if ("InvalidSnapshot.NotFound".equals(code(e))) {
                return;
            }
            throw AwsFailures.translate("ec2:DeleteSnapshot", snapshotId, "delete snapshot " + snapshotId, e);
        }
    }

    @Override
    public void tag(String resourceId, Map<String, String> tags) {
        call("ec2:CreateTags", resourceId, "tag " + resourceId + " with " + new TreeMap<>(tags).keySet(),
                () -> ec2().createTags(r -> r.resources(resourceId).tags(tags(tags))));
    }

    // Addresses and network interfaces (DESIGN step 6b), in AwsNetwork ----------------------------

    private AwsNetwork network() {
        return new AwsNetwork(this::ec2, () -> self().instanceId(), settings.interfaceSubnets(), settings.interfaceSecurityGroups());
    }

    @Override
    public dev.berth.spi.ElasticAddress allocateAddress(Map<String, String> tags) {
        return network().allocateAddress(tags);
    }

    @Override
    public Optional<dev.berth.spi.ElasticAddress> describeAddress(String allocationId) {
        return network().describeAddress(allocationId);
    }

    @Override
    public String associateAddress(String allocationId) {
        return network().associateAddress(allocationId);
    }

    @Override
    public void disassociateAddress(String associationId) {
        network().disassociateAddress(associationId);
    }

    @Override
    public dev.berth.spi.NetworkInterface createNetworkInterface(dev.berth.spi.NetworkInterfaceRequest request) {
        return network().createNetworkInterface(request);
    }

    @Override
    public Optional<dev.berth.spi.NetworkInterface> describeNetworkInterface(String interfaceId) {
        return network().describeNetworkInterface(interfaceId);
    }

    @Override
    public String attachNetworkInterface(String interfaceId, int deviceIndex) {
        return network().attachNetworkInterface(interfaceId, deviceIndex);
    }

    @Override
    public void detachNetworkInterface(String attachmentId) {
        network().detachNetworkInterface(attachmentId);
    }

    @Override
    public void markSelfUnhealthy(String reason) {
        var me = self();
        LOG.log(System.Logger.Level.WARNING, "marking instance {0} unhealthy: {1}", me.instanceId(), reason);
        call("autoscaling:SetInstanceHealth", me.instanceId(), "mark instance " + me.instanceId() + " unhealthy",
                () -> asg().setInstanceHealth(r -> r.instanceId(me.instanceId()).healthStatus("Unhealthy")
                        .shouldRespectGracePeriod(false)));
    }

    @Override
    public void terminateSelf(String reason) {
        var me = self();
        LOG.log(System.Logger.Level.WARNING, "terminating instance {0}: {1}", me.instanceId(), reason);
        call("autoscaling:TerminateInstanceInAutoScalingGroup", me.instanceId(), "terminate instance " + me.instanceId()
                        + " (keeping the group's desired capacity)",
                () -> asg().terminateInstanceInAutoScalingGroup(r -> r.instanceId(me.instanceId())
                        .shouldDecrementDesiredCapacity(false)));
    }

    /**
     * The keeper's notice: Auto Scaling's target lifecycle state says Terminated (scale-in, refresh,
     * health check), or a spot interruption is scheduled. The hook to complete is the configured one.
     */
    @Override
    public Optional<dev.berth.spi.TerminationNotice> terminationNotice() {
        var target = targetLifecycleState();
        if (target.isPresent() && target.get().equalsIgnoreCase("Terminated")) {
            return Optional.of(new dev.berth.spi.TerminationNotice("Auto Scaling target lifecycle state is Terminated",
                    settings.lifecycleHook(), dev.berth.spi.TerminationNotice.Kind.TERMINATE));
        }
        if (target.isPresent() && target.get().regionMatches(true, 0, "Warmed:", 0, 7)) {
            // a scale-in with ReuseOnScaleIn: the instance goes back to the warm pool, stopped; let go of the slot
            return Optional.of(new dev.berth.spi.TerminationNotice("Auto Scaling target lifecycle state is "
                    + target.get() + " (back to the warm pool)", Optional.empty(), dev.berth.spi.TerminationNotice.Kind.WARM_POOL));
        }
        var spot = spotInstanceAction();
        if (spot.isPresent()) {
            return Optional.of(new dev.berth.spi.TerminationNotice("spot interruption notice: " + spot.get(),
                    Optional.empty(), dev.berth.spi.TerminationNotice.Kind.SPOT));
        }
        return Optional.empty();
    }

    @Override
    public void heartbeatLifecycleAction(String hookName) {
        var me = self();
        String group = groupName();
        call("autoscaling:RecordLifecycleActionHeartbeat", group, "heartbeat lifecycle hook " + hookName + " of group "
                        + group + " for instance " + me.instanceId(),
                () -> asg().recordLifecycleActionHeartbeat(r -> r.autoScalingGroupName(group).lifecycleHookName(hookName)
                        .instanceId(me.instanceId())));
    }

    @Override
    public void completeLifecycleAction(LifecycleAction action) {
        var me = self();
        String group = groupName();
        call("autoscaling:CompleteLifecycleAction", group, "complete lifecycle hook " + action.hookName() + " of group "
                        + group + " for instance " + me.instanceId() + " with " + action.result(),
                () -> asg().completeLifecycleAction(r -> {
                    r.autoScalingGroupName(group).lifecycleHookName(action.hookName())
                            .lifecycleActionResult(action.result().name());
                    action.token().ifPresentOrElse(r::lifecycleActionToken, () -> r.instanceId(me.instanceId()));
                }));
    }

    // Day 2 (issue 13) ----------------------------------------------------------------------------

    /** Warm pools: IMDS's target lifecycle state ("Warmed:Running" while warming, "InService" in service). */
    @Override
    public Optional<LifecycleState> selfLifecycleState() {
        return targetLifecycleState().map(LifecycleState::fromAwsName);
    }

    @Override
    public dev.berth.spi.VolumeModification modifyVolume(String volumeId, int sizeGiB) {
        var current = describeVolume(volumeId).orElseThrow(() -> new CloudException(Reason.NOT_FOUND, volumeId, "volume "
                + volumeId + " is not known to EC2 in " + region() + ": nothing to grow"));
        if (sizeGiB < current.sizeGiB()) {
            throw new CloudException(Reason.INVALID, volumeId, "volume " + volumeId + " has " + current.sizeGiB()
                    + " GiB and EBS never shrinks a volume (asked for " + sizeGiB + " GiB)");
        }
        try {
            var m = ec2().modifyVolume(r -> r.volumeId(volumeId).size(sizeGiB)).volumeModification();
            LOG.log(System.Logger.Level.INFO, "modifying volume {0} from {1} to {2} GiB", volumeId, current.sizeGiB(), sizeGiB);
            return modification(m, volumeId, current.sizeGiB(), sizeGiB);
        } catch (SdkException e) {
            String code = code(e);
            if (code != null && (code.contains("ModificationRate") || code.equals("IncorrectModificationState"))) {
                throw new CloudException(Reason.CONFLICT, volumeId, "EBS refuses to modify volume " + volumeId + " now ("
                        + code + "): a volume may be modified once per six hours; it keeps " + current.sizeGiB() + " GiB", e);
            }
            throw AwsFailures.translate("ec2:ModifyVolume", volumeId, "grow volume " + volumeId + " to " + sizeGiB + " GiB", e);
        }
    }

    private static dev.berth.spi.VolumeModification modification(software.amazon.awssdk.services.ec2.model.VolumeModification m,
                                                                 String volumeId, int from, int to) {
        if (m == null) {
            return new dev.berth.spi.VolumeModification(volumeId, from, to, dev.berth.spi.VolumeModification.State.MODIFYING, 0);
        }
        var state = switch (m.modificationStateAsString() == null ? "" : m.modificationStateAsString()) {
            case "optimizing" -> dev.berth.spi.VolumeModification.State.OPTIMIZING;
            case "completed" -> dev.berth.spi.VolumeModification.State.COMPLETED;
            case "failed" -> dev.berth.spi.VolumeModification.State.FAILED;
            default -> dev.berth.spi.VolumeModification.State.MODIFYING;
        };
        return new dev.berth.spi.VolumeModification(volumeId, m.originalSize() == null ? from : m.originalSize(),
                m.targetSize() == null ? to : m.targetSize(), state, m.startTime() == null ? 0 : m.startTime().toEpochMilli());
    }

    @Override
    public Optional<dev.berth.spi.VolumeModification> describeVolumeModification(String volumeId) {
        try {
            var response = ec2().describeVolumesModifications(r -> r.volumeIds(volumeId));
            return response.volumesModifications().stream()
                    .max(java.util.Comparator.comparing(m -> m.startTime() == null ? java.time.Instant.MIN : m.startTime()))
                    .map(m -> modification(m, volumeId, 0, 0));
        } catch (SdkException e) {
            String code = code(e);
            if (code != null && (code.endsWith(".NotFound") || code.equals("InvalidVolumeModification.NotFound"))) {
                return Optional.empty();
            }
            throw AwsFailures.translate("ec2:DescribeVolumesModifications", volumeId,
                    "describe the modifications of volume " + volumeId, e);
        }
    }

    @Override
    public void deleteVolume(String volumeId) {
        try {
            ec2().deleteVolume(r -> r.volumeId(volumeId));
            LOG.log(System.Logger.Level.INFO, "deleted volume {0}", volumeId);
        } catch (SdkException e) {
            if ("InvalidVolume.NotFound".equals(code(e))) {
                return;
            }
            throw AwsFailures.translate("ec2:DeleteVolume", volumeId, "delete volume " + volumeId, e);
        }
    }

    @Override
    public Map<String, Long> createdMillis(java.util.Collection<String> resourceIds) {
        var result = new TreeMap<String, Long>();
        var volumes = resourceIds.stream().filter(id -> id.startsWith("vol-")).sorted().toList();
        var snapshots = resourceIds.stream().filter(id -> id.startsWith("snap-")).sorted().toList();
        for (int from = 0; from < volumes.size(); from += FILTER_VALUES_PER_CALL) {
            var batch = volumes.subList(from, Math.min(volumes.size(), from + FILTER_VALUES_PER_CALL));
            call("ec2:DescribeVolumes", String.join(",", batch), "describe volumes " + batch, () -> {
                ec2().describeVolumesPaginator(r -> r.filters(Filter.builder().name("volume-id").values(batch).build()))
                        .volumes().forEach(v -> {
                            if (v.createTime() != null) {
                                result.put(v.volumeId(), v.createTime().toEpochMilli());
                            }
                        });
                return null;
            });
        }
        for (int from = 0; from < snapshots.size(); from += FILTER_VALUES_PER_CALL) {
            var batch = snapshots.subList(from, Math.min(snapshots.size(), from + FILTER_VALUES_PER_CALL));
            call("ec2:DescribeSnapshots", String.join(",", batch), "describe snapshots " + batch, () -> {
                ec2().describeSnapshotsPaginator(r -> r.ownerIds("self").filters(Filter.builder().name("snapshot-id")
                        .values(batch).build())).snapshots().forEach(s -> {
                            if (s.startTime() != null) {
                                result.put(s.snapshotId(), s.startTime().toEpochMilli());
                            }
                        });
                return null;
            });
        }
        return result;
    }

    /** An operator's release of a dead holder's slot: DetachVolume with that instance id, forced. */
    @Override
    public void detachVolumeFrom(String volumeId, String instanceId) {
        try {
            ec2().detachVolume(r -> r.volumeId(volumeId).instanceId(instanceId).force(true));
        } catch (SdkException e) {
            String code = code(e);
            if ("InvalidAttachment.NotFound".equals(code) || "IncorrectState".equals(code) || "InvalidVolume.NotFound".equals(code)) {
                return;
            }
            throw AwsFailures.translate("ec2:DetachVolume", volumeId, "detach volume " + volumeId + " from instance "
                    + instanceId, e);
        }
    }

    @Override
    public synchronized void close() {
        if (ec2 != null) {
            ec2.close();
        }
        if (autoScaling != null) {
            autoScaling.close();
        }
    }

    static <T> T call(String action, String resource, String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException e) {
            throw AwsFailures.translate(action, resource, what, e);
        }
    }

    static String code(SdkException e) {
        return e instanceof AwsServiceException s && s.awsErrorDetails() != null ? s.awsErrorDetails().errorCode() : null;
    }

    static List<Tag> tags(Map<String, String> tags) {
        return new TreeMap<>(tags).entrySet().stream().map(t -> Tag.builder().key(t.getKey()).value(t.getValue()).build()).toList();
    }

    static Map<String, String> tagMap(List<Tag> tags) {
        var map = new TreeMap<String, String>();
        if (tags != null) {
            tags.forEach(t -> map.put(t.key(), t.value()));
        }
        return map;
    }

    static Volume volume(software.amazon.awssdk.services.ec2.model.Volume v) {
        return new Volume(v.volumeId(), v.availabilityZone(), v.size() == null ? 0 : v.size(), volumeState(v.stateAsString()),
                Optional.ofNullable(v.snapshotId()).filter(s -> !s.isEmpty()), tagMap(v.tags()),
                v.attachments().stream().map(a -> new VolumeAttachment(a.volumeId() == null ? v.volumeId() : a.volumeId(),
                        a.instanceId(), a.device(), attachmentState(a.stateAsString()))).toList());
    }

    private static Volume volume(CreateVolumeResponse v) {
        return new Volume(v.volumeId(), v.availabilityZone(), v.size() == null ? 0 : v.size(), volumeState(v.stateAsString()),
                Optional.ofNullable(v.snapshotId()).filter(s -> !s.isEmpty()), tagMap(v.tags()), List.of());
    }

    static VolumeState volumeState(String name) {
        return switch (name == null ? "" : name) {
            case "creating" -> VolumeState.CREATING;
            case "available" -> VolumeState.AVAILABLE;
            case "in-use" -> VolumeState.IN_USE;
            case "deleting" -> VolumeState.DELETING;
            case "deleted" -> VolumeState.DELETED;
            default -> VolumeState.ERROR;
        };
    }

    static AttachmentState attachmentState(String name) {
        return switch (name == null ? "" : name) {
            case "attaching" -> AttachmentState.ATTACHING;
            case "attached" -> AttachmentState.ATTACHED;
            case "detaching" -> AttachmentState.DETACHING;
            case "busy" -> AttachmentState.BUSY;
            default -> AttachmentState.DETACHED;
        };
    }

    static SnapshotState snapshotState(String name) {
        return switch (name == null ? "" : name) {
            case "completed" -> SnapshotState.COMPLETED;
            case "error" -> SnapshotState.ERROR;
            default -> SnapshotState.PENDING; // pending, recoverable, recovering
        };
    }

    private static int progress(String progress) {
        if (progress == null) {
            return 0;
        }
        try {
            return Integer.parseInt(progress.replace("%", "").trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
