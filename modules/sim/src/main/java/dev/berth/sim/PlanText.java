package dev.berth.sim;

import dev.berth.spi.BerthException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The text form of a plan: comma-separated steps, as {@code berth simulate --plan} takes them. */
public final class PlanText {
    private PlanText() {
    }

    public static String format(List<PlanAction> actions) {
        return String.join(",", actions.stream().map(PlanAction::text).toList());
    }

    private static final Pattern CRASH = Pattern.compile("crash:(\\d+):(\\d+)(a?)");
    private static final Pattern PAUSE = Pattern.compile("pause:(\\d+):(\\d+)\\+(\\d+)");
    private static final Pattern KILL = Pattern.compile("kill:(\\d+)@(\\d+)");
    private static final Pattern REFRESH = Pattern.compile("refresh@(\\d+)");
    private static final Pattern SPOT = Pattern.compile("spot:(\\d+)@(\\d+)");
    private static final Pattern SCALE = Pattern.compile("scale:(\\d+)@(\\d+)");
    private static final Pattern OUTAGE = Pattern.compile("outage:(\\d+)@(\\d+)\\+(\\d+)");
    private static final Pattern WINDOW = Pattern.compile("(stale|throttle|slowstore)@(\\d+)\\+(\\d+)");

    /** Parses the text form; a bad token is an error naming it and the forms there are. */
    public static List<PlanAction> parse(String text) {
        var actions = new ArrayList<PlanAction>();
        if (text == null || text.isBlank()) {
            return actions;
        }
        for (var raw : text.split(",")) {
            var token = raw.trim();
            java.util.regex.Matcher m;
            try {
                if ((m = CRASH.matcher(token)).matches()) {
                    actions.add(new PlanAction.Crash(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), !m.group(3).isEmpty()));
                } else if ((m = PAUSE.matcher(token)).matches()) {
                    actions.add(new PlanAction.Pause(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Long.parseLong(m.group(3))));
                } else if ((m = KILL.matcher(token)).matches()) {
                    actions.add(new PlanAction.Kill(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2))));
                } else if ((m = SPOT.matcher(token)).matches()) {
                    actions.add(new PlanAction.Spot(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2))));
                } else if ((m = REFRESH.matcher(token)).matches()) {
                    actions.add(new PlanAction.Refresh(Long.parseLong(m.group(1))));
                } else if ((m = SCALE.matcher(token)).matches()) {
                    actions.add(new PlanAction.Scale(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2))));
                } else if ((m = OUTAGE.matcher(token)).matches()) {
                    actions.add(new PlanAction.Outage(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3))));
                } else if ((m = WINDOW.matcher(token)).matches()) {
                    actions.add(new PlanAction.Window(m.group(1), Long.parseLong(m.group(2)), Long.parseLong(m.group(3))));
                } else {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw new BerthException("plan step '" + token + "' is not understood: write crash:I:C[a], pause:I:C+S,"
                        + " kill:I@T, spot:I@T, refresh@T, scale:N@T, outage:Z@T+S, stale@T+S, throttle@T+S or slowstore@T+S"
                        + " (I instance from 1, C call from 1, T and S simulated seconds, Z zone from 0)");
            }
        }
        return actions;
    }
}
