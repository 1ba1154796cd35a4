package dev.berth.cli.iam;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The statements a slot's Elastic IP and network interface need (DESIGN step 6b), and nothing when the
 * configuration has no {@code network:} section. Creation is scoped by the cluster tag on the request, every
 * later write by the cluster tag on the resource (or, for an operator's pool, by its allocation ids), and the
 * instance side of an association or attachment by the group's tag, as for volumes.
 */
final class NetworkStatements {
    private NetworkStatements() {
    }

    static List<IamPolicy.Statement> of(IamPolicy.Features f, IamPolicy.Network network) {
        var list = new ArrayList<IamPolicy.Statement>();
        if (!network.elasticIps() && !network.interfaces()) {
            return list;
        }
        String p = f.partition();
        String instances = "arn:" + p + ":ec2:*:*:instance/*";
        var requestTag = Map.of("StringEquals", Map.of("aws:RequestTag/" + IamPolicy.CLUSTER_TAG, List.of(f.cluster())));
        var resourceTag = Map.of("StringEquals", Map.of("ec2:ResourceTag/" + IamPolicy.CLUSTER_TAG, List.of(f.cluster())));
        var ownTagKeys = Map.of("ForAllValues:StringLike", Map.of("aws:TagKeys", List.of("berth:*", "Name")));
        Map<String, Map<String, List<String>>> groupInstances = f.groupName()
                .map(g -> Map.of("StringEquals", Map.of("aws:ResourceTag/" + IamPolicy.GROUP_TAG, List.of(g))))
                .orElse(Map.of("Null", Map.of("aws:ResourceTag/" + IamPolicy.GROUP_TAG, List.of("false"))));
        var describe = new ArrayList<String>();
        if (network.elasticIps()) {
            describe.add("ec2:DescribeAddresses");
        }
        if (network.interfaces()) {
            describe.add("ec2:DescribeNetworkInterfaces");
        }
        list.add(new IamPolicy.Statement("BerthDescribeNetwork", describe, List.of("*"), Map.of()));
        if (network.elasticIps()) {
            String addresses = "arn:" + p + ":ec2:*:*:elastic-ip/*";
            var associate = List.of("ec2:AssociateAddress", "ec2:DisassociateAddress");
            if (network.pool().isEmpty()) {
                list.add(new IamPolicy.Statement("BerthAllocateTaggedAddresses", List.of("ec2:AllocateAddress"),
                        List.of(addresses), requestTag));
                list.add(new IamPolicy.Statement("BerthTagAddressesOnAllocate", List.of("ec2:CreateTags"), List.of(addresses),
                        IamPolicy.merge(Map.of("StringEquals", Map.of("ec2:CreateAction", List.of("AllocateAddress"))),
                                ownTagKeys)));
                list.add(new IamPolicy.Statement("BerthAssociateOwnAddresses", associate, List.of(addresses), resourceTag));
            } else {
                var pool = network.pool().stream().map(id -> "arn:" + p + ":ec2:*:*:elastic-ip/" + id).toList();
                list.add(new IamPolicy.Statement("BerthAssociatePoolAddresses", associate, pool, Map.of()));
            }
            list.add(new IamPolicy.Statement("BerthAssociateWithGroupInstances", List.of("ec2:AssociateAddress"),
                    List.of(instances), groupInstances));
        }
        if (network.interfaces()) {
            String interfaces = "arn:" + p + ":ec2:*:*:network-interface/*";
            list.add(new IamPolicy.Statement("BerthCreateTaggedInterfaces", List.of("ec2:CreateNetworkInterface"),
                    List.of(interfaces), requestTag));
            list.add(new IamPolicy.Statement("BerthCreateInterfacesInSubnets", List.of("ec2:CreateNetworkInterface"),
                    List.of("arn:" + p + ":ec2:*:*:subnet/*", "arn:" + p + ":ec2:*:*:security-group/*"), Map.of()));
            list.add(new IamPolicy.Statement("BerthTagInterfaces", List.of("ec2:CreateTags"), List.of(interfaces),
                    IamPolicy.merge(Map.of("StringEquals", Map.of("ec2:CreateAction", List.of("CreateNetworkInterface"))),
                            ownTagKeys)));
            list.add(new IamPolicy.Statement("BerthTagOwnInterfaces", List.of("ec2:CreateTags"), List.of(interfaces),
                    IamPolicy.merge(resourceTag, ownTagKeys)));
            list.add(new IamPolicy.Statement("BerthAttachOwnInterfaces",
                    List.of("ec2:AttachNetworkInterface", "ec2:DetachNetworkInterface"), List.of(interfaces), resourceTag));
            list.add(new IamPolicy.Statement("BerthAttachInterfacesToGroupInstances",
                    List.of("ec2:AttachNetworkInterface", "ec2:DetachNetworkInterface"), List.of(instances), groupInstances));
        }
        return list;
    }
}
