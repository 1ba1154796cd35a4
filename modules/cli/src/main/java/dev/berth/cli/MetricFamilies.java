package dev.berth.cli;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Metric families being gathered for one exposition: gauges with labels, rendered by the Prometheus Java client's
 * text-format writer (no hand-written lines). Every sample carries the {@code cluster} label.
 */
final class MetricFamilies {
    private final String cluster;
    private final Map<String, GaugeSnapshot.Builder> gauges = new LinkedHashMap<>();

    MetricFamilies(String cluster) {
        this.cluster = cluster;
    }

    /** One sample of gauge {@code name}; {@code labels} are name, value pairs beside {@code cluster}. */
    MetricFamilies gauge(String name, String help, double value, String... labels) {
        var names = new ArrayList<String>(List.of("cluster"));
        var values = new ArrayList<String>(List.of(cluster));
        for (int i = 0; i + 1 < labels.length; i += 2) {
            names.add(labels[i]);
            values.add(labels[i + 1]);
        }
        gauges.computeIfAbsent(name, n -> GaugeSnapshot.builder().name(n).help(help))
                .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(Labels.of(names, values)).value(value).build());
        return this;
    }

    MetricFamilies flag(String name, String help, boolean value, String... labels) {
        return gauge(name, help, value ? 1 : 0, labels);
    }

    /** The families in the text exposition format (version 0.0.4), as node_exporter's textfile collector reads it. */
    String text() {
        var snapshots = new ArrayList<MetricSnapshot>();
        gauges.values().forEach(b -> snapshots.add(b.build()));
        var out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, new MetricSnapshots(snapshots), EscapingScheme.UNDERSCORE_ESCAPING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    static double seconds(long epochMillis) {
        return epochMillis / 1000.0;
    }
}
