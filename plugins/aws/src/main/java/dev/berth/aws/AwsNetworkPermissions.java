package dev.berth.aws;

import dev.berth.spi.PermissionRequest;
import dev.berth.spi.PermissionRequest.Use;
import dev.berth.spi.PolicyStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The statements a slot's Elastic IP and network interface need (DESIGN step 6b, {@link AwsNetwork}'s calls), and
 * nothing when the configuration has no {@code network:} section. Creation is scoped by the cluster tag on the
 * request, every later write by the cluster tag on the resource (or, for an operator's pool, by its allocation ids),
 * and the instance side of an association or attachment by the group's tag, as for volumes.
 */
final class AwsNetworkPermissions {
    private AwsNetworkPermissions() {
    }

    static List<PolicyStatement> of(PermissionRequest r, AwsPermissions.Scope s) {
        var list = new ArrayList<PolicyStatement>();
        boolean addresses = r.uses(Use.ELASTIC_IPS);
        boolean interfaces = r.uses(Use.INTERFACES);
        if (!addresses && !interfaces) {
            return list;
        }
        String instances = s.arn("ec2", "instance/*");
        var describe = new ArrayList<String>();
        if (addresses) {
            describe.add("ec2:DescribeAddresses");
        }
        if (interfaces) {
            describe.add("ec2:DescribeNetworkInterfaces");
        }
        list.add(new PolicyStatement("BerthDescribeNetwork", describe, List.of("*")));
        if (addresses) {
            String eips = s.arn("ec2", "elastic-ip/*");
            var associate = List.of("ec2:AssociateAddress", "ec2:DisassociateAddress");
            if (r.addressPool().isEmpty()) {
                list.add(new PolicyStatement("BerthAllocateTaggedAddresses", List.of("ec2:AllocateAddress"),
                        List.of(eips), s.requestTag()));
                list.add(new PolicyStatement("BerthTagAddressesOnAllocate", List.of("ec2:CreateTags"), List.of(eips),
                        PolicyStatement.merge(Map.of("StringEquals", Map.of("ec2:CreateAction", List.of("AllocateAddress"))),
                                s.ownTagKeys())));
                list.add(new PolicyStatement("BerthAssociateOwnAddresses", associate, List.of(eips), s.resourceTag()));
            } else {
                var pool = r.addressPool().stream().map(id -> s.arn("ec2", "elastic-ip/" + id)).toList();
                list.add(new PolicyStatement("BerthAssociatePoolAddresses", associate, pool));
            }
            list.add(new PolicyStatement("BerthAssociateWithGroupInstances", List.of("ec2:AssociateAddress"),
                    List.of(instances), s.groupInstances()));
        }
        if (interfaces) {
            String enis = s.arn("ec2", "network-interface/*");
            list.add(new PolicyStatement("BerthCreateTaggedInterfaces", List.of("ec2:CreateNetworkInterface"),
                    List.of(enis), s.requestTag()));
            list.add(new PolicyStatement("BerthCreateInterfacesInSubnets", List.of("ec2:CreateNetworkInterface"),
                    List.of(s.arn("ec2", "subnet/*"), s.arn("ec2", "security-group/*"))));
            list.add(new PolicyStatement("BerthTagInterfaces", List.of("ec2:CreateTags"), List.of(enis),
                    PolicyStatement.merge(Map.of("StringEquals", Map.of("ec2:CreateAction",
                            List.of("CreateNetworkInterface"))), s.ownTagKeys())));
            list.add(new PolicyStatement("BerthTagOwnInterfaces", List.of("ec2:CreateTags"), List.of(enis),
                    PolicyStatement.merge(s.resourceTag(), s.ownTagKeys())));
            list.add(new PolicyStatement("BerthAttachOwnInterfaces",
                    List.of("ec2:AttachNetworkInterface", "ec2:DetachNetworkInterface"), List.of(enis), s.resourceTag()));
            list.add(new PolicyStatement("BerthAttachInterfacesToGroupInstances",
                    List.of("ec2:AttachNetworkInterface", "ec2:DetachNetworkInterface"), List.of(instances),
                    s.groupInstances()));
        }
        return list;
    }
}
