package dev.berth.cli;

import java.util.Locale;
import java.util.Optional;

/** How berth writes its log lines on stderr: {@code text} for a terminal, {@code json} (one object a line) for shippers. */
enum LogFormat {
    TEXT, JSON;

    static final String ENV = "BERTH_LOG_FORMAT";

    /**
     * The format a command line asks for ({@code --log-format F} or {@code --log-format=F} anywhere), else the
     * environment's {@value #ENV}, else text. Read before picocli parses, so that its own errors follow the format; a
     * value that is neither is left to picocli, which refuses it (exit 2).
     */
    static LogFormat of(String[] args, Optional<String> env) {
        String asked = env.orElse(null);
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--")) {
                break;
            }
            if (args[i].equals("--log-format") && i + 1 < args.length) {
                asked = args[i + 1];
            } else if (args[i].startsWith("--log-format=")) {
                asked = args[i].substring("--log-format=".length());
            }
        }
        return asked != null && asked.trim().toLowerCase(Locale.ROOT).equals("json") ? JSON : TEXT;
    }

    /** {@code text} or {@code json}, any case, blanks around ignored; empty for anything else. */
    static Optional<LogFormat> named(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "text" -> Optional.of(TEXT);
            case "json" -> Optional.of(JSON);
            default -> Optional.empty();
        };
    }
}
