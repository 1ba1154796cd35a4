import dev.berth.sim.Scenario;
import dev.berth.sim.Simulation;
import dev.berth.sim.SimulationRequest;
import java.lang.management.ManagementFactory;

/**
 * Simulated SPI calls per second of this process's CPU time (not wall time), for a machine whose
 * other load makes wall-clock figures swing: chaos with 10 nodes, WARMUP seconds (of CPU time) of
 * warm-up (4 unless said), then RUNS runs at the fixed seeds 100001.. (the same runs for every tree that gives the same
 * results). On one core the JIT keeps compiling for 15-20 s (its compiler threads share the core), so a
 * short warm-up measures mostly the JIT: a warm-up of 30 s measures the simulator as a long property run
 * sees it.
 * usage (see cpu-compare.sh): java -p MODULE_PATH --add-modules dev.berth.sim CpuBench.java [RUNS] [WARMUP]
 */
public class CpuBench {
    /** CPU time (clock ticks) of the JIT compiler threads now alive, from /proc (Linux); -1 elsewhere. */
    static long jitTicks() {
        long ticks = 0;
        try (var tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/task"))) {
            for (var task : tasks.toList()) {
                try {
                    if (!java.nio.file.Files.readString(task.resolve("comm")).contains("CompilerThre")) {
                        continue;
                    }
                    var stat = java.nio.file.Files.readString(task.resolve("stat"));
                    var fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);   // utime, stime
                } catch (java.io.IOException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (java.io.IOException e) {
            return -1;
        }
        return ticks;
    }

    public static void main(String[] args) {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        long seed = 1;
        long warmEnd = os.getProcessCpuTime() + (args.length > 1 ? Long.parseLong(args[1]) : 4) * 1_000_000_000L;
        while (os.getProcessCpuTime() < warmEnd) {   // seconds of this process's CPU time, as the figure itself
            Simulation.run(SimulationRequest.of(Scenario.CHAOS, 10, 3, ++seed));
        }
        seed = 100_000;
        long calls = 0;
        long jit0 = jitTicks();
        long cpu0 = os.getProcessCpuTime();
        long wall0 = System.nanoTime();
        var quarters = new StringBuilder();   // the rate in each quarter of the runs: still rising means still warming up
        long quarterCalls = 0;
        long quarterCpu = cpu0;
        int quarter = 0;
        for (int i = 0; i < runs; i++) {
            calls += Simulation.run(SimulationRequest.of(Scenario.CHAOS, 10, 3, ++seed)).spiCalls();
            if (runs >= 4 && i + 1 == (quarter + 1) * runs / 4) {
                quarter++;
                long c = os.getProcessCpuTime();
                quarters.append(quarters.isEmpty() ? "" : " ").append(Math.round((calls - quarterCalls) / ((c - quarterCpu) / 1e9)));
                quarterCalls = calls;
                quarterCpu = c;
            }
        }
        double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
        double wall = (System.nanoTime() - wall0) / 1e9;
        double jit = (jitTicks() - jit0) / 100.0;   // USER_HZ: 100 on Linux
        System.out.printf("cpu-bench: %d runs of chaos with 10 nodes after %s s of warm-up, %d SPI calls, %.2f s CPU, %.2f s wall:"
                + " %.0f SPI calls per CPU second, %.0f per wall second (per CPU second in each quarter: %s; of the CPU time,"
                + " %.2f s in the JIT's compiler threads)%n", runs, args.length > 1 ? args[1] : "4", calls, cpu, wall, calls / cpu,
                calls / wall, quarters, jit);
    }
}
