package dev.berth.cli.iam;

import dev.berth.spi.BerthException;
import dev.berth.spi.PolicyStatement;
import io.avaje.jsonb.Jsonb;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The least-privilege policy document (IAM JSON, Version 2012-10-17) made of what the loaded plugins ask for: each
 * plugin declares the statements its calls need for the configuration ({@code permissions} on its factory); this
 * class only puts them together in order, refuses two statements of one name, and prints the JSON (avaje-jsonb does
 * the encoding). A single action, resource or condition value is printed as a string, more as an array, as IAM
 * writes them.
 */
public final class PolicyDocument {
    /** The statements one plugin contributes, with the provider they came from (for errors). */
    public record Contribution(String provider, List<PolicyStatement> statements) {
        public Contribution {
            statements = List.copyOf(statements);
        }
    }

    private final List<Contribution> contributions;

    public PolicyDocument(List<Contribution> contributions) {
        this.contributions = List.copyOf(contributions);
        var seen = new LinkedHashMap<String, String>();
        for (var c : this.contributions) {
            for (var s : c.statements()) {
                var other = seen.putIfAbsent(s.sid(), c.provider());
                if (other != null) {
                    throw new BerthException("statement '" + s.sid() + "' is declared twice (by " + other + " and by "
                            + c.provider() + "), and IAM refuses a policy with two statements of one Sid: report this to"
                            + " the plugin's authors");
                }
            }
        }
    }

    public List<PolicyStatement> statements() {
        return contributions.stream().flatMap(c -> c.statements().stream()).toList();
    }

    /** Every action the policy allows, sorted. */
    public List<String> actions() {
        var all = new TreeSet<String>();
        statements().forEach(s -> all.addAll(s.actions()));
        return List.copyOf(all);
    }

    /** The policy document as pretty-printed JSON. */
    public String json(Jsonb jsonb) {
        var statements = new ArrayList<Object>();
        for (var s : statements()) {
            var one = new LinkedHashMap<String, Object>();
            one.put("Sid", s.sid());
            one.put("Effect", "Allow");
            one.put("Action", oneOrMany(s.actions()));
            one.put("Resource", oneOrMany(s.resources()));
            if (!s.conditions().isEmpty()) {
                var condition = new LinkedHashMap<String, Object>();
                s.conditions().forEach((op, kv) -> {
                    var values = new LinkedHashMap<String, Object>();
                    kv.forEach((k, v) -> values.put(k, oneOrMany(v)));
                    condition.put(op, values);
                });
                one.put("Condition", condition);
            }
            statements.add(one);
        }
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("Version", "2012-10-17");
        document.put("Statement", statements);
        return jsonb.type(Object.class).toJsonPretty(document);
    }

    private static Object oneOrMany(List<String> values) {
        return values.size() == 1 ? values.getFirst() : values;
    }
}
