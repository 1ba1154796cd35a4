package dev.berth.aws;

import static dev.berth.aws.AwsCloudProvider.call;
import static dev.berth.aws.AwsCloudProvider.code;
import static dev.berth.aws.AwsCloudProvider.tagMap;
import static dev.berth.aws.AwsCloudProvider.tags;

import dev.berth.spi.AttachmentState;
import dev.berth.spi.CloudException;
import dev.berth.spi.CloudException.Reason;
import dev.berth.spi.ElasticAddress;
import dev.berth.spi.NetworkInterface;
import dev.berth.spi.NetworkInterfaceRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Address;
import software.amazon.awssdk.services.ec2.model.DomainType;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.GroupIdentifier;
import software.amazon.awssdk.services.ec2.model.NetworkInterfaceAttachment;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * A slot's Elastic IP and network interface on EC2 (DESIGN step 6b): AllocateAddress, AssociateAddress,
 * DisassociateAddress, DescribeAddresses, CreateNetworkInterface, AttachNetworkInterface,
 * DetachNetworkInterface, DescribeNetworkInterfaces, and nothing else (so the IAM policy can name exactly
 * these). Associations never reassociate: taking an address from another instance is always a
 * disassociation of that one association, by its id. A new interface goes into the subnet the settings name
 * for its zone (else this instance's own subnet) with the settings' security groups (else this instance's);
 * attached after launch, it is kept when the instance terminates (EC2's default for such attachments).
 */
final class AwsNetwork {
    private static final System.Logger LOG = System.getLogger("dev.berth.aws");
    static final String TAG_CLIENT_TOKEN = "berth:client-token";

    private final Supplier<Ec2Client> ec2;
    private final Supplier<String> instanceId;
    private final Map<String, String> subnets;
    private final List<String> securityGroups;

    AwsNetwork(Supplier<Ec2Client> ec2, Supplier<String> instanceId, Map<String, String> subnets, List<String> securityGroups) {
        this.ec2 = ec2;
        this.instanceId = instanceId;
        this.subnets = subnets;
        this.securityGroups = securityGroups;
    }

    // Elastic IPs -----------------------------------------------------------------------------------

    ElasticAddress allocateAddress(Map<String, String> tags) {
        var filters = new ArrayList<Filter>();
        new TreeMap<>(tags).forEach((k, v) -> filters.add(Filter.builder().name("tag:" + k).values(v).build()));
        var earlier = call("ec2:DescribeAddresses", "addresses " + new TreeMap<>(tags), "find the Elastic IP tagged "
                + new TreeMap<>(tags), () -> ec2.get().describeAddresses(r -> r.filters(filters)).addresses());
        var found = earlier.stream().filter(a -> tagMap(a.tags()).entrySet().containsAll(tags.entrySet())).findFirst();
        if (found.isPresent()) {
            return address(found.get());
        }
        var response = call("ec2:AllocateAddress", "elastic-ip", "allocate an Elastic IP", () -> ec2.get().allocateAddress(r -> r
                .domain(DomainType.VPC)
                .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.ELASTIC_IP).tags(tags(tags)).build())));
        LOG.log(System.Logger.Level.INFO, "allocated Elastic IP {0} ({1})", response.publicIp(), response.allocationId());
        return new ElasticAddress(response.allocationId(), response.publicIp(), Optional.empty(), Optional.empty(), tags);
    }

    Optional<ElasticAddress> describeAddress(String allocationId) {
        try {
            return ec2.get().describeAddresses(r -> r.allocationIds(allocationId)).addresses().stream().findFirst()
                    .map(AwsNetwork::address);
        } catch (SdkException e) {
            if ("InvalidAllocationID.NotFound".equals(code(e))) {
                return Optional.empty();
            }
            throw AwsFailures.translate("ec2:DescribeAddresses", allocationId, "describe Elastic IP " + allocationId, e);
        }
    }

    String associateAddress(String allocationId) {
        var me = instanceId.get();
        var now = describeAddress(allocationId);
        if (now.isPresent() && now.get().associatedWith(me) && now.get().associationId().isPresent()) {
            return now.get().associationId().get();
        }
        return call("ec2:AssociateAddress", allocationId, "associate Elastic IP " + allocationId + " with instance " + me,
                () -> ec2.get().associateAddress(r -> r.allocationId(allocationId).instanceId(me).allowReassociation(false)))
                .associationId();
    }

    void disassociateAddress(String associationId) {
        try {
            ec2.get().disassociateAddress(r -> r.associationId(associationId));
        } catch (SdkException e) {
            if ("InvalidAssociationID.NotFound".equals(code(e))) {
                return; // ended since it was seen
            }
            throw AwsFailures.translate("ec2:DisassociateAddress", associationId, "disassociate Elastic IP association "
                    + associationId, e);
        }
    }

    private static ElasticAddress address(Address a) {
        return new ElasticAddress(a.allocationId(), a.publicIp(), Optional.ofNullable(a.instanceId()).filter(s -> !s.isEmpty()),
                Optional.ofNullable(a.associationId()).filter(s -> !s.isEmpty()), tagMap(a.tags()));
    }

    // Network interfaces ----------------------------------------------------------------------------

    NetworkInterface createNetworkInterface(NetworkInterfaceRequest request) {
        // EC2 honours the client token; a look-up by the token's tag also covers endpoints that do not
        var filters = List.of(Filter.builder().name("tag:" + TAG_CLIENT_TOKEN).values(request.clientToken()).build());
        var earlier = call("ec2:DescribeNetworkInterfaces", request.zone(), "find the network interface with client token "
                + request.clientToken(), () -> ec2.get().describeNetworkInterfaces(r -> r.filters(filters)).networkInterfaces());
        if (!earlier.isEmpty()) {
            return networkInterface(earlier.getFirst());
        }
        var me = instanceId.get();
        var instance = call("ec2:DescribeInstances", me, "find the subnet of instance " + me, () -> ec2.get()
                .describeInstances(r -> r.instanceIds(me)).reservations().stream()
                .flatMap(x -> x.instances().stream()).findFirst()).orElseThrow(() -> new CloudException(Reason.NOT_FOUND, me,
                "instance " + me + " is not visible to DescribeInstances yet; re-run in a moment"));
        var subnet = subnets.get(request.zone());
        if (subnet == null && !request.zone().equals(instance.placement().availabilityZone())) {
            throw new CloudException(Reason.INVALID, request.zone(), "no subnet for a network interface in zone "
                    + request.zone() + ": instance " + me + " is in " + instance.placement().availabilityZone()
                    + "; name one in providerSettings.interfaceSubnets (" + request.zone() + "=subnet-...)");
        }
        var subnetId = subnet != null ? subnet : instance.subnetId();
        var groups = !securityGroups.isEmpty() ? securityGroups
                : instance.securityGroups().stream().map(GroupIdentifier::groupId).toList();
        var tags = new LinkedHashMap<>(request.tags());
        tags.put(TAG_CLIENT_TOKEN, request.clientToken());
        var made = call("ec2:CreateNetworkInterface", subnetId, "create a network interface in subnet "
                + subnetId, () -> ec2.get().createNetworkInterface(r -> r.subnetId(subnetId)
                .groups(groups).clientToken(request.clientToken()).description("berth " + tags.getOrDefault("Name", ""))
                .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.NETWORK_INTERFACE)
                        .tags(tags(tags)).build()))).networkInterface();
        LOG.log(System.Logger.Level.INFO, "created network interface {0} ({1}) in {2}", made.networkInterfaceId(),
                made.privateIpAddress(), subnetId);
        return networkInterface(made);
    }

    Optional<NetworkInterface> describeNetworkInterface(String interfaceId) {
        try {
            return ec2.get().describeNetworkInterfaces(r -> r.networkInterfaceIds(interfaceId)).networkInterfaces().stream()
                    .findFirst().map(AwsNetwork::networkInterface);
        } catch (SdkException e) {
            if ("InvalidNetworkInterfaceID.NotFound".equals(code(e))) {
                return Optional.empty();
            }
            throw AwsFailures.translate("ec2:DescribeNetworkInterfaces", interfaceId, "describe network interface "
                    + interfaceId, e);
        }
    }

    String attachNetworkInterface(String interfaceId, int deviceIndex) {
        var me = instanceId.get();
        return call("ec2:AttachNetworkInterface", interfaceId, "attach network interface " + interfaceId + " to instance "
                + me + " at device index " + deviceIndex, () -> ec2.get().attachNetworkInterface(r -> r
                .networkInterfaceId(interfaceId).instanceId(me).deviceIndex(deviceIndex))).attachmentId();
    }

    void detachNetworkInterface(String attachmentId) {
        try {
            ec2.get().detachNetworkInterface(r -> r.attachmentId(attachmentId));
        } catch (SdkException e) {
            if ("InvalidAttachmentID.NotFound".equals(code(e))) {
                return;
            }
            throw AwsFailures.translate("ec2:DetachNetworkInterface", attachmentId, "detach network interface attachment "
                    + attachmentId, e);
        }
    }

    private static NetworkInterface networkInterface(software.amazon.awssdk.services.ec2.model.NetworkInterface n) {
        return new NetworkInterface(n.networkInterfaceId(), n.availabilityZone(), n.privateIpAddress(),
                Optional.ofNullable(n.attachment()).filter(a -> a.instanceId() != null).map(AwsNetwork::attachment),
                tagMap(n.tagSet()));
    }

    private static NetworkInterface.Attachment attachment(NetworkInterfaceAttachment a) {
        var state = switch (a.statusAsString() == null ? "attached" : a.statusAsString()) {
            case "attaching" -> AttachmentState.ATTACHING;
            case "detaching" -> AttachmentState.DETACHING;
            case "detached" -> AttachmentState.DETACHED;
            default -> AttachmentState.ATTACHED;
        };
        return new NetworkInterface.Attachment(a.attachmentId(), a.instanceId(),
                a.deviceIndex() == null ? -1 : a.deviceIndex(), state);
    }

    // Helpers ----------------------------------------------------------------------------------------

}
