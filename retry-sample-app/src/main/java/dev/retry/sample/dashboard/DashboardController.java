package dev.retry.sample.dashboard;

import dev.retry.sample.DemoTraffic;
import dev.retry.sample.downstream.FaultPreset;
import dev.retry.sample.downstream.Faults;
import java.util.Arrays;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The JSON behind the dashboard page: {@code GET /api/dashboard} for everything it draws, {@code
 * GET /api/faults} for the presets its buttons offer, {@code POST /api/faults/{preset}} to switch
 * the downstream's faults. Breakers are moved through the actuator's own write operation.
 */
@RestController
public class DashboardController {

    private final Timeline timeline;
    private final Faults faults;
    private final DemoTraffic demo;

    public DashboardController(Timeline timeline, Faults faults, DemoTraffic demo) {
        this.timeline = timeline;
        this.faults = faults;
        this.demo = demo;
    }

    @GetMapping("/api/dashboard")
    public DashboardView dashboard() {
        timeline.phase(demo.phase());
        return new DashboardView(
                demo.phase(),
                describe(faults.current()),
                timeline.breakers(),
                timeline.bulkheads(),
                timeline.counters(),
                timeline.latency(),
                timeline.selfInvocation(),
                timeline.points());
    }

    @GetMapping("/api/faults")
    public List<String> presets() {
        return Arrays.stream(FaultPreset.values()).map(FaultPreset::id).toList();
    }

    @PostMapping("/api/faults/{preset}")
    public DashboardView.Faults inject(@PathVariable String preset) {
        try {
            faults.set(FaultPreset.ofId(preset));
        } catch (IllegalArgumentException unknown) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, unknown.getMessage() + "; use one of " + presets());
        }
        return describe(faults.current());
    }

    static DashboardView.Faults describe(FaultPreset preset) {
        return new DashboardView.Faults(
                preset.id(),
                preset.errorRate(),
                preset.retryAfterRate(),
                preset.rateLimitRate(),
                preset.dropRate(),
                preset.slowShare(),
                preset.outage());
    }
}
