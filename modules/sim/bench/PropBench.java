import dev.berth.sim.PlanGenerator;
import dev.berth.sim.Simulation;
import java.lang.management.ManagementFactory;

/**
 * The property tests' workload, cold: the first TRIES generated scenarios of InvariantPropertiesTest (its
 * seeds; up to 6 nodes, faults planned) from a fresh JVM, as CI runs them, and the simulated SPI calls per
 * second of CPU time.
 * usage: taskset -c 0 java -p MODULE_PATH --add-modules dev.berth.sim PropBench.java TRIES
 * (MODULE_PATH as in cpu-compare.sh)
 */
public class PropBench {
    public static void main(String[] args) {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        int tries = Integer.parseInt(args[0]);
        long cpu0 = os.getProcessCpuTime();
        long calls = 0;
        for (int i = 0; i < tries; i++) {
            calls += Simulation.run(PlanGenerator.generate(20261125L + i, 6)).spiCalls();
        }
        double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
        System.out.printf("prop-bench: %d tries, %d SPI calls, %.2f s CPU, %.0f calls per CPU s%n", tries, calls, cpu, calls / cpu);
    }
}
