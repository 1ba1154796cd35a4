package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.avaje.inject.BeanScope;
import io.avaje.jsonb.Jsonb;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class OneJsonbTest {

    @Test
    void theRunsJsonbIsTheOneTheCommandsGet() {
        var jsonb = Jsonb.builder().build();
        try (var scope = BeanScope.builder().bean(Console.class, new Console()).bean(Jsonb.class, jsonb).build()) {
            // not the default one avaje-jsonb's inject plugin would provide (built from system properties)
            assertSame(jsonb, scope.get(Jsonb.class));
        }
    }

    @Test
    void theCliBuildsOneJsonbOnly() throws IOException {
        try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
            var builders = sources.filter(p -> p.toString().endsWith(".java")).flatMap(p -> {
                try {
                    return Files.readAllLines(p).stream().filter(l -> l.contains("Jsonb.builder(") || l.contains("Jsonb.instance("))
                            .map(l -> p.getFileName() + ": " + l.trim());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
            assertEquals(1, builders.size(), () -> "one Jsonb, built by Main and injected; found: " + builders);
            assertEquals(true, builders.getFirst().startsWith("Main.java"), builders::toString);
        }
    }
}
