package dev.berth.storecheck.history;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A recorded history: every operation of every client, each with its invocation, completion and
 * answer. One text line per operation ({@link #line}) lets a client in another process append
 * its operations to a file as it goes: the invocation first, the completion later; a process
 * killed in between leaves the invocation only, which {@link #parse} reads as a lost answer.
 */
public record History(List<Operation> operations) {

    public History {
        operations = operations.stream().sorted(Comparator.comparingLong(Operation::invoked)
                .thenComparingLong(Operation::id)).toList();
    }

    public int size() {
        return operations.size();
    }

    /** Operations whose answer was lost. */
    public long unknown() {
        return operations.stream().filter(Operation::lost).count();
    }

    /** The operations of each key, in invocation order. */
    public Map<String, List<Operation>> byKey() {
        var keys = new TreeMap<String, List<Operation>>();
        for (var op : operations) {
            keys.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
        }
        return keys;
    }

    /** The line for one state of an operation (invoked, or completed). */
    public static String line(Operation op) {
        var fields = new ArrayList<String>(List.of(Long.toString(op.id()), Integer.toString(op.client()), encode(op.key()),
                op.kind().name(), encode(op.value()), encode(op.expected()), Long.toString(op.invoked()),
                Long.toString(op.completed())));
        switch (op.outcome()) {
            case Outcome.Found f -> fields.addAll(List.of("found", encode(f.value()), encode(f.version())));
            case Outcome.Absent a -> fields.add("absent");
            case Outcome.Wrote w -> fields.addAll(List.of("wrote", encode(w.version())));
            case Outcome.Refused r -> {
                fields.add("refused");
                r.current().ifPresent(c -> fields.addAll(List.of(encode(c.value()), encode(c.version()))));
            }
            case Outcome.Removed r -> fields.add("removed");
            case Outcome.Lost l -> fields.add("lost");
        }
        return String.join("\t", fields);
    }

    /** Reads lines written by {@link #line}; a later line for an operation id replaces an earlier one. */
    public static History parse(List<String> lines) {
        var byId = new LinkedHashMap<Long, Operation>();
        int number = 0;
        for (var text : lines) {
            number++;
            if (text.isBlank()) {
                continue;
            }
            try {
                var op = parseLine(text.split("\t", -1));
                byId.put(op.id(), op);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("history line " + number + " is not an operation (" + e.getMessage()
                        + "): '" + text + "'", e);
            }
        }
        return new History(new ArrayList<>(byId.values()));
    }

    private static Operation parseLine(String[] f) {
        Outcome outcome = switch (f[8]) {
            case "found" -> new Outcome.Found(decode(f[9]), decode(f[10]));
            case "absent" -> new Outcome.Absent();
            case "wrote" -> new Outcome.Wrote(decode(f[9]));
            case "refused" -> new Outcome.Refused(f.length > 10
                    ? Optional.of(new Outcome.Found(decode(f[9]), decode(f[10]))) : Optional.empty());
            case "removed" -> new Outcome.Removed();
            case "lost" -> new Outcome.Lost();
            default -> throw new IllegalArgumentException("unknown outcome " + f[8]);
        };
        return new Operation(Long.parseLong(f[0]), Integer.parseInt(f[1]), decode(f[2]), Operation.Kind.valueOf(f[3]),
                decode(f[4]), decode(f[5]), Long.parseLong(f[6]), Long.parseLong(f[7]), outcome);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
}
