package dev.berth.cli;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.file.Path;

/** The image's root (bin/berth sets -Dberth.home): its plugins/ and conf/ folders. */
@Singleton
final class BerthHome {
    private final Path root;

    @Inject
    BerthHome() {
        this(Path.of(System.getProperty("berth.home", ".")));
    }

    BerthHome(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    Path plugins() {
        return root.resolve("plugins");
    }

    Path conf() {
        return root.resolve("conf");
    }
}
