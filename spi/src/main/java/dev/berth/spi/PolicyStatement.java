package dev.berth.spi;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One statement a plugin asks for in berth's least-privilege policy ({@code berth iam-policy}): the actions it
 * calls, on which resources, under which conditions (operator → key → values, as IAM writes them). Always an
 * allow. Actions are named as the cloud's policy language names them ({@code ec2:CreateVolume}); berth only
 * merges the statements of the loaded plugins and prints them.
 *
 * @param sid        a name for the statement, unique in the policy ({@code BerthCreateTaggedVolumes})
 * @param actions    the actions, in the order to print them
 * @param resources  the resources ({@code *} where the cloud cannot scope an action)
 * @param conditions operator → condition key → values; empty for none
 */
public record PolicyStatement(String sid, List<String> actions, List<String> resources,
                              Map<String, Map<String, List<String>>> conditions) {

    public PolicyStatement {
        Objects.requireNonNull(sid, "sid");
        actions = List.copyOf(actions);
        resources = List.copyOf(resources);
        if (actions.isEmpty() || resources.isEmpty()) {
            throw new IllegalArgumentException("statement " + sid + " needs at least one action and one resource");
        }
        var copy = new LinkedHashMap<String, Map<String, List<String>>>();
        conditions.forEach((op, kv) -> {
            var values = new LinkedHashMap<String, List<String>>();
            kv.forEach((k, v) -> values.put(k, List.copyOf(v)));
            copy.put(op, Collections.unmodifiableMap(values));
        });
        conditions = Collections.unmodifiableMap(copy);
    }

    /** A statement without conditions. */
    public PolicyStatement(String sid, List<String> actions, List<String> resources) {
        this(sid, actions, resources, Map.of());
    }

    /**
     * Two condition blocks together (keys of one operator in both are joined), in order: for a plugin that builds a
     * statement's condition from parts.
     */
    public static Map<String, Map<String, List<String>>> merge(Map<String, Map<String, List<String>>> a,
                                                               Map<String, Map<String, List<String>>> b) {
        var all = new LinkedHashMap<String, Map<String, List<String>>>();
        a.forEach((op, kv) -> all.put(op, new LinkedHashMap<>(kv)));
        b.forEach((op, kv) -> all.merge(op, new LinkedHashMap<>(kv), (x, y) -> {
            var both = new LinkedHashMap<>(x);
            both.putAll(y);
            return both;
        }));
        return all;
    }

    /**
     * The ARN partition of an AWS-style region ({@code aws-us-gov} for {@code us-gov-*}, {@code aws-cn} for
     * {@code cn-*}, {@code aws-iso(-b)} for {@code us-iso(b)-*}, else {@code aws}): shared by the plugins that name
     * resources by ARN, so that each needs no copy.
     */
    public static String partitionOf(String region) {
        if (region.startsWith("us-gov-")) {
            return "aws-us-gov";
        }
        if (region.startsWith("cn-")) {
            return "aws-cn";
        }
        if (region.startsWith("us-isob-")) {
            return "aws-iso-b";
        }
        if (region.startsWith("us-iso-")) {
            return "aws-iso";
        }
        return "aws";
    }
}
