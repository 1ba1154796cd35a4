package dev.berth.cli.iam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.spi.BerthException;
import dev.berth.spi.PolicyStatement;
import io.avaje.jsonb.Jsonb;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyDocumentTest {

    @Test
    void quotesEveryValueSafely() {
        var weird = "we\"ird\\name\n\t\u0001";
        var doc = new PolicyDocument(List.of(new PolicyDocument.Contribution("cloud provider x", List.of(
                new PolicyStatement("S", List.of("x:Do"), List.of("*"),
                        Map.of("StringEquals", Map.of("x:tag", List.of(weird))))))));
        @SuppressWarnings("unchecked")
        var parsed = (Map<String, Object>) Jsonb.builder().build().type(Object.class).fromJson(doc.json(Jsonb.builder().build()));
        @SuppressWarnings("unchecked")
        var statement = (Map<String, Object>) ((List<Object>) parsed.get("Statement")).getFirst();
        assertEquals(Map.of("StringEquals", Map.of("x:tag", weird)), statement.get("Condition"));
        assertEquals("Allow", statement.get("Effect"));
    }

    @Test
    void twoStatementsOfOneSidAreRefusedNamingBothPlugins() {
        var one = new PolicyStatement("Same", List.of("x:A"), List.of("*"));
        var e = assertThrows(BerthException.class, () -> new PolicyDocument(List.of(
                new PolicyDocument.Contribution("cloud provider a", List.of(one)),
                new PolicyDocument.Contribution("claim store b", List.of(one)))));
        assertTrue(e.getMessage().contains("cloud provider a") && e.getMessage().contains("claim store b")
                && e.getMessage().contains("Same"), e.getMessage());
    }
}
