package dev.berth.core.claim;

import dev.berth.spi.BerthException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The {@code network:} section: whether a slot has its own Elastic IP and its own network interface
 * (DESIGN step 6b). Both are off by default.
 *
 * @param elasticIp  none, allocate (one per slot, the first time the slot needs it) or pool
 * @param pool       with {@code pool}: the operator's allocation ids; slot N gets the N-th
 * @param interfaces none, or per-slot (a secondary interface at device index 1, kept across replacements)
 */
public record NetworkSettings(ElasticIp elasticIp, List<String> pool, Interfaces interfaces) {

    /** The device index a slot's interface is attached at (0 is the instance's own primary interface). */
    public static final int INTERFACE_DEVICE_INDEX = 1;

    public enum ElasticIp {
        NONE, ALLOCATE, POOL;

        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static ElasticIp parse(String value) {
            for (var v : values()) {
                if (v.configName().equals(value)) {
                    return v;
                }
            }
            throw new BerthException("network.elasticIp '" + value + "' is not known: use none, allocate or pool");
        }
    }

    public enum Interfaces {
        NONE, PER_SLOT;

        public String configName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        public static Interfaces parse(String value) {
            for (var v : values()) {
                if (v.configName().equals(value)) {
                    return v;
                }
            }
            throw new BerthException("network.interface '" + value + "' is not known: use none or per-slot");
        }
    }

    public NetworkSettings {
        Objects.requireNonNull(elasticIp, "elasticIp");
        Objects.requireNonNull(interfaces, "interfaces");
        pool = List.copyOf(pool);
        if (elasticIp == ElasticIp.POOL && pool.isEmpty()) {
            throw new BerthException("network.elasticIp is 'pool' but network.elasticIpPool lists no allocation ids:"
                    + " list one eipalloc-... per slot, or use elasticIp: allocate");
        }
        if (elasticIp != ElasticIp.POOL && !pool.isEmpty()) {
            throw new BerthException("network.elasticIpPool is set but network.elasticIp is '" + elasticIp.configName()
                    + "': set elasticIp: pool to use the pool, or remove elasticIpPool");
        }
        var seen = new HashSet<String>();
        for (var id : pool) {
            if (!id.matches("eipalloc-[0-9a-f]{8,17}") && !id.matches("[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}")) {
                throw new BerthException("network.elasticIpPool entry '" + id + "' is not an allocation id (eipalloc-...)");
            }
            if (!seen.add(id)) {
                throw new BerthException("network.elasticIpPool lists " + id + " twice: each slot needs its own address");
            }
        }
    }

    public static NetworkSettings none() {
        return new NetworkSettings(ElasticIp.NONE, List.of(), Interfaces.NONE);
    }

    public boolean enabled() {
        return elasticIp != ElasticIp.NONE || interfaces != Interfaces.NONE;
    }
}
