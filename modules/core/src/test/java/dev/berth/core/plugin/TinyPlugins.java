package dev.berth.core.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.spi.ClaimStoreFactory;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.spi.ToolProvider;

/** Builds real plugin jars for the tests: a claim store factory per scheme, optionally using a library module. */
final class TinyPlugins {
    private TinyPlugins() {
    }

    /** A jar with module {@code module} providing a ClaimStoreFactory for {@code scheme}. */
    static Path store(Path work, Path jar, String module, String scheme, Path library) throws IOException {
        var src = work.resolve(module + "-src");
        var pkg = src.resolve(module.replace('.', '/'));
        Files.createDirectories(pkg);
        Files.writeString(src.resolve("module-info.java"), "module " + module + " {\n requires dev.berth.spi;\n"
                + (library != null ? " requires tiny.lib;\n" : "")
                + " provides dev.berth.spi.ClaimStoreFactory with " + module + ".Factory;\n}\n");
        Files.writeString(pkg.resolve("Factory.java"), "package " + module + ";\n"
                + "public final class Factory implements dev.berth.spi.ClaimStoreFactory {\n"
                + " public String scheme() { return " + (library != null ? "tiny.lib.Names.prefix() + " : "") + "\"" + scheme
                + "\"; }\n"
                + " public dev.berth.spi.ClaimStore open(java.net.URI uri, dev.berth.spi.PluginConfig config) {\n"
                + "  throw new dev.berth.spi.BerthException(\"tiny stores hold nothing\");\n }\n}\n");
        return compile(src, jar, library, src.resolve("module-info.java"), pkg.resolve("Factory.java"));
    }

    /** A library jar, module tiny.lib, exporting tiny.lib.Names. */
    static Path library(Path work, Path jar) throws IOException {
        var src = work.resolve("lib-src");
        var pkg = src.resolve("tiny/lib");
        Files.createDirectories(pkg);
        Files.writeString(src.resolve("module-info.java"), "module tiny.lib {\n exports tiny.lib;\n}\n");
        Files.writeString(pkg.resolve("Names.java"), "package tiny.lib;\npublic final class Names {\n"
                + " public static String prefix() { return \"lib-\"; }\n}\n");
        return compile(src, jar, null, src.resolve("module-info.java"), pkg.resolve("Names.java"));
    }

    private static Path compile(Path src, Path jar, Path library, Path... files) throws IOException {
        var classes = src.resolve("classes");
        var args = new ArrayList<String>();
        args.add("-d");
        args.add(classes.toString());
        args.add("--module-path");
        args.add(spi() + (library != null ? java.io.File.pathSeparator + library : ""));
        for (var file : files) {
            args.add(file.toString());
        }
        var javac = ToolProvider.findFirst("javac").orElseThrow(() -> new AssertionError("the tests need a JDK with javac"));
        assertEquals(0, javac.run(System.out, System.err, args.toArray(String[]::new)), "javac");
        Files.createDirectories(jar.getParent());
        try (var out = new JarOutputStream(Files.newOutputStream(jar)); var walk = Files.walk(classes)) {
            for (var file : walk.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                out.write(Files.readAllBytes(file));
                out.closeEntry();
            }
        }
        return jar;
    }

    private static Path spi() {
        try {
            return Path.of(ClaimStoreFactory.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
