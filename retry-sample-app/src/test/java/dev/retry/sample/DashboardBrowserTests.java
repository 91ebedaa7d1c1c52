package dev.retry.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.retry.core.CircuitBreakerPolicy;
import dev.retry.core.CircuitState;
import dev.retry.sample.downstream.FaultPreset;
import dev.retry.sample.downstream.Faults;
import dev.retry.spring.events.EventSection;
import dev.retry.spring.events.RecentEvent;
import dev.retry.spring.events.RecentEvents;
import dev.retry.spring.registry.RetryRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIf;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The dashboard at {@code /} in a real headless Chromium (Debian's {@code chromium} and {@code
 * chromium-driver}): it loads without console errors, shows every breaker, and its buttons change
 * what it shows. Skipped where either binary is missing, so that {@code ./mvnw verify} passes on a
 * developer's machine without them. The demo traffic is off, so only the test's own calls count.
 */
// The test drives Chromium through WebDriver alone; Selenium would warn at every new driver that it
// has no DevTools (CDP) bindings for this Chromium version, which the test never uses.
@SpringBootTest(
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "demo=false",
            "logging.level.org.openqa.selenium.devtools.CdpVersionFinder=error",
            "logging.level.org.openqa.selenium.chromium.ChromiumDriver=error"
        })
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
// A skipped class, with its reason, in the report: an assumption failing in @BeforeAll would leave
// surefire saying "Tests run: 0" and nothing else.
@EnabledIf(
        value = "chromiumIsInstalled",
        disabledReason = "needs Debian's chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver)")
class DashboardBrowserTests {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @LocalServerPort
    private int port;

    @Autowired
    private CatalogClient catalog;

    @Autowired
    private Faults faults;

    @Autowired
    private RetryRegistry registry;

    @Autowired
    private DemoTraffic demo;

    @Autowired
    private SearchLatency latency;

    @Autowired
    private Restocking restocking;

    @Autowired
    private RecentEvents events;

    private Path profile;
    private ChromeDriver driver;
    private WebDriverWait wait;

    /** Read by the class's {@code @EnabledIf}: a class condition, so the application never starts without them. */
    static boolean chromiumIsInstalled() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    @BeforeAll
    static void useTheInstalledDriver() {
        // Names the driver outright, so Selenium Manager never tries to download one.
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
    }

    @BeforeEach
    void startChromium() throws IOException {
        faults.set(FaultPreset.HEALTHY);
        registry.circuitBreakers().values().forEach(CircuitBreakerPolicy::reset);

        profile = Files.createTempDirectory("dashboard-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--window-size=1440,1700",
                "--user-data-dir=" + profile);
        LoggingPreferences logging = new LoggingPreferences();
        logging.enable(LogType.BROWSER, Level.ALL);
        options.setCapability(ChromeOptions.LOGGING_PREFS, logging); // goog:loggingPrefs
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
        wait = new WebDriverWait(driver, PATIENCE);
    }

    @AfterEach
    void stopChromium(TestInfo test) throws IOException {
        try {
            if (driver != null) {
                Path shot = Path.of(
                        "target",
                        "dashboard-" + test.getTestMethod().orElseThrow().getName() + ".png");
                Files.createDirectories(shot.getParent());
                Files.write(shot, driver.getScreenshotAs(OutputType.BYTES));
                // The last test leaves the fullest page: that one is target/dashboard.png.
                Files.copy(shot, Path.of("target", "dashboard.png"), StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            if (driver != null) {
                driver.quit();
            }
            deleteRecursively(profile);
            faults.set(FaultPreset.HEALTHY);
            registry.circuitBreakers().values().forEach(CircuitBreakerPolicy::reset);
        }
    }

    @Test
    @Order(1)
    void loadsWithoutConsoleErrorsAndShowsEveryBreaker() {
        open();

        wait.until(d -> breakerNames().size() == registry.circuitBreakers().size());
        assertThat(breakerNames())
                .containsExactlyElementsOf(registry.circuitBreakers().keySet())
                .contains("default", "warehouse");
        for (String name : breakerNames()) {
            WebElement card = breaker(name);
            assertThat(card.getDomAttribute("data-state")).isEqualTo("CLOSED");
            assertThat(card.findElement(By.cssSelector("[data-role=state]")).getText())
                    .isEqualTo("CLOSED");
            assertThat(card.findElements(By.cssSelector("button[data-force]")))
                    .extracting(WebElement::getText)
                    .containsExactly("Close", "Half-open", "Open", "Force open", "Disable");
        }

        wait.until(d -> d.findElements(By.cssSelector("button[data-fault]")).size() == FaultPreset.values().length);
        assertThat(driver.findElements(By.cssSelector("button[data-fault]")))
                .extracting(button -> button.getDomAttribute("data-fault"))
                .containsExactlyElementsOf(
                        Stream.of(FaultPreset.values()).map(FaultPreset::id).toList());
        wait.until(ExpectedConditions.textToBe(By.id("active-fault"), "healthy"));
        assertThat(faultButton("healthy").getDomAttribute("aria-pressed")).isEqualTo("true");
        assertThat(driver.findElement(By.id("phase")).getDomAttribute("data-phase"))
                .isEqualTo("manual");
        assertThat(driver.findElement(By.id("connection")).isDisplayed()).isFalse();

        assertNoConsoleErrors();
    }

    @Test
    @Order(2)
    void aFaultButtonSwitchesTheDownstreamAndThePageShowsIt() {
        open();
        WebElement outage =
                wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("button[data-fault=outage]")));

        outage.click();

        wait.until(ExpectedConditions.textToBe(By.id("active-fault"), "outage"));
        wait.until(ExpectedConditions.attributeToBe(faultButton("outage"), "aria-pressed", "true"));
        assertThat(faultButton("healthy").getDomAttribute("aria-pressed")).isEqualTo("false");
        assertThat(driver.findElement(By.id("fault-details")).getText()).contains("every request 503");
        assertThat(faults.current()).isEqualTo(FaultPreset.OUTAGE);

        // A few calls against the outage: each is answered by its fallback, which the page counts.
        long fallbacksBefore = counter("fallbacks");
        for (int i = 0; i < 3; i++) {
            assertThat(catalog.stock("sku-" + i).available()).isEqualTo(-1);
        }
        wait.until(d -> counter("fallbacks") >= fallbacksBefore + 3);

        assertNoConsoleErrors();
    }

    @Test
    @Order(3)
    void showsThatItIsDisconnectedWhileTheAppDoesNotAnswerAndKeepsPolling() throws IOException {
        open();
        wait.until(d -> breakerNames().size() == registry.circuitBreakers().size());

        // Every request from the page fails as if the app were gone, until the test puts fetch back.
        driver.executeScript("window.__realFetch = window.fetch;"
                + " window.fetch = () => Promise.reject(new TypeError('Failed to fetch'));");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("connection")));
        assertThat(driver.findElement(By.id("connection")).getText()).contains("Disconnected");
        assertThat(driver.findElement(By.id("updated")).getDomAttribute("data-connected"))
                .isEqualTo("false");
        assertThat(breakerNames()).as("what was shown stays").contains("default", "warehouse");
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target", "dashboard-disconnected.png"), driver.getScreenshotAs(OutputType.BYTES));

        driver.executeScript("window.fetch = window.__realFetch;");
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("connection")));
        wait.until(ExpectedConditions.attributeToBe(By.id("updated"), "data-connected", "true"));

        assertNoConsoleErrors();
    }

    @Test
    @Order(4)
    void forceOpenMovesTheBreakerThroughTheActuatorAndThePageShowsIt() {
        open();
        WebElement forceOpen = wait.until(ExpectedConditions.elementToBeClickable(
                By.cssSelector("[data-breaker=warehouse] button[data-force=FORCED_OPEN]")));
        assertThat(forceOpen.getText()).isEqualTo("Force open");

        forceOpen.click();

        wait.until(ExpectedConditions.attributeToBe(
                By.cssSelector("[data-breaker=warehouse]"), "data-state", "FORCED_OPEN"));
        assertThat(breaker("warehouse")
                        .findElement(By.cssSelector("[data-role=state]"))
                        .getText())
                .isEqualTo("FORCED_OPEN");
        assertThat(registry.circuitBreakers().get("warehouse").state()).isEqualTo(CircuitState.FORCED_OPEN);
        assertThat(breaker("default").getDomAttribute("data-state")).isEqualTo("CLOSED");

        // A call now is refused by the breaker and answered by the fallback; the page counts the refusal.
        assertThat(catalog.stock("sku-1").fallback()).isEqualTo("warehouse breaker open");
        wait.until(d -> counter("rejected") >= 1);
        wait.until(d -> Long.parseLong(breaker("warehouse")
                        .findElement(By.cssSelector("[data-metric=notPermittedCalls] dd"))
                        .getText()
                        .replace(",", ""))
                >= 1);
        assertThat(breaker("warehouse").findElement(By.cssSelector(".changes")).getText())
                .contains("closed → forced open");

        assertNoConsoleErrors();
    }

    @Test
    @Order(6)
    void aBreakersStateChangesAreTheTransitionsRetryeventsRecordedEvenThoseMadeWhileThePageWasClosed() {
        CircuitBreakerPolicy warehouse = registry.circuitBreakers().get("warehouse");
        warehouse.transitionTo(CircuitState.OPEN);
        warehouse.transitionTo(CircuitState.HALF_OPEN);
        RecentEvent recorded = events.events(EventSection.CIRCUIT_BREAKERS, "warehouse").orElseThrow().stream()
                .filter(event -> event.kind().equals("transition"))
                .findFirst()
                .orElseThrow();
        assertThat(recorded.to()).isEqualTo("HALF_OPEN");

        open();

        wait.until(d -> breaker("warehouse")
                .findElement(By.cssSelector(".changes"))
                .getText()
                .startsWith(clockAt(recorded) + " open → half-open"));
        WebElement newest = breaker("warehouse").findElement(By.cssSelector(".changes li time"));
        assertThat(Instant.parse(newest.getDomAttribute("datetime")))
                .as("the time the app recorded, not the time the page saw it")
                .isEqualTo(recorded.time().truncatedTo(ChronoUnit.MILLIS));
        assertThat(breaker("warehouse").findElement(By.cssSelector(".changes")).getText())
                .contains("closed → open");
        assertNoConsoleErrors();
    }

    @Test
    @Order(7)
    void theRestockTileShowsRetriesOfCallsMadeThroughThisWhichOnlyTheWovenAspectSees() {
        faults.set(FaultPreset.FLAKY); // three requests in ten fail at first
        restocking.restockAll(
                Stream.iterate(0, i -> i + 1).limit(30).map(i -> "sku-" + i).toList());

        open();

        WebElement tile = driver.findElement(By.id("self-invocation"));
        wait.until(d -> Long.parseLong(tile.getDomAttribute("data-calls")) >= 30);
        long calls = Long.parseLong(tile.getDomAttribute("data-calls"));
        long retries = Long.parseLong(tile.getDomAttribute("data-retries"));
        assertThat(retries)
                .as("retries of %d restock calls made through this", calls)
                .isPositive();
        assertThat(driver.findElement(By.id("self-invocation-retries")).getText())
                .isEqualTo(String.format(java.util.Locale.US, "%,d", retries));
        assertThat(driver.findElement(By.id("self-invocation-calls")).getText())
                .contains("Restocking.restock through this");
        assertNoConsoleErrors();
    }

    /** The event's time as the page writes it: the browser's local time of day. */
    private String clockAt(RecentEvent event) {
        return (String) driver.executeScript(
                "return new Date(arguments[0]).toLocaleTimeString('en-GB', { hour12: false });",
                event.time().toEpochMilli());
    }

    /** A slow-tail answer takes twenty times a normal one's 5 to 15 ms, so never less than this. */
    private static final long SLOW_ANSWER_NANOS = Duration.ofMillis(100).toNanos();

    @Test
    @Order(5)
    void inTheSlowTailThePageShowsHedgedAndUnhedgedP99ApartAndSaysWhatTheHedgeSavedAndCost() {
        for (int i = 0; i < 100; i++) {
            demo.searchBothWays("warm-up-" + i); // enough latencies for the p90 hedge delay to take over
        }
        faults.set(FaultPreset.SLOW_TAIL);
        // Searched both ways, as the demo does, until the unhedged side has met the slow tail often enough that
        // its p99 is a slow answer: more than one search in a hundred. 3 % are slow, so a fixed count would now
        // and then prove nothing; by the slow tail's last 1000 searches, which the page shows, it is all but sure.
        int searches = 0;
        int unhedgedSlow = 0;
        while (searches < SearchLatency.SAMPLES_PER_PHASE && (searches < 300 || unhedgedSlow <= searches / 100 + 1)) {
            if (demo.searchBothWays("q" + searches).unhedgedNanos() >= SLOW_ANSWER_NANOS) {
                unhedgedSlow++;
            }
            searches++;
        }
        assertThat(unhedgedSlow)
                .as("unhedged searches that waited for a slow answer, of %d", searches)
                .isGreaterThan(searches / 100 + 1);
        SearchLatency.PhaseLatency slowTail = phase("slow-tail");

        open();

        // The page shows what the app measured, and says in words what the hedge saved and what it cost.
        By row = By.cssSelector("#latency-phases tr[data-phase='slow-tail']");
        wait.until(ExpectedConditions.presenceOfElementLocated(row));
        wait.until(d -> millis(row, "unhedgedP99") > 0);
        double unhedgedP99 = millis(row, "unhedgedP99");
        double hedgedP99 = millis(row, "hedgedP99");
        assertThat(unhedgedP99)
                .as("the page shows the unhedged p99 the app measured")
                .isEqualTo(slowTail.unhedgedP99())
                .isGreaterThanOrEqualTo(100);
        assertThat(hedgedP99)
                .as("the page shows the hedged p99 the app measured")
                .isEqualTo(slowTail.hedgedP99());
        long hedges = Long.parseLong(driver.findElement(row)
                .findElement(By.cssSelector("td[data-field=hedges]"))
                .getDomAttribute("data-count"));
        assertThat(hedges).as("the hedges the searches started").isPositive().isEqualTo(slowTail.hedges());
        assertThat(driver.findElement(row).getDomAttribute("class"))
                .as("the fault now")
                .contains("current");
        WebElement verdict = driver.findElement(By.id("latency-verdict"));
        wait.until(d -> !"waiting".equals(verdict.getDomAttribute("data-verdict")));
        assertThat(verdict.getText())
                .startsWith("In the slow tail, hedg")
                .contains(String.format("for %,d extra request", hedges))
                .contains("more than without hedging");
        assertNoConsoleErrors();

        // That they stand clearly apart needs answers to take about as long as the downstream makes them: on a
        // machine so loaded that a 5 to 15 ms answer takes several times that, every latency is the machine's.
        double healthyP50 = phase("healthy").unhedgedP50();
        // The healthy phase's p99 too: a machine that stalls one answer in a hundred (four builds at once on two
        // cores) puts its own stalls into both p99s, whatever the hedge does.
        double healthyP99 = phase("healthy").unhedgedP99();
        assumeTrue(
                healthyP50 <= 30 && healthyP99 <= 60,
                "the machine is too loaded for latencies to mean anything: a healthy search"
                        + " took " + healthyP50 + " ms at the median and " + healthyP99
                        + " ms at the p99; slow-tail p99 hedged " + hedgedP99
                        + " ms, unhedged "
                        + unhedgedP99 + " ms");
        // Typically a tenth of it; a fifth off at least even when the machine stalls a call now and then.
        assertThat(hedgedP99)
                .as("hedged p99 stands clearly below the unhedged %s ms", unhedgedP99)
                .isLessThan(unhedgedP99 * 0.8);
        assertThat(verdict.getDomAttribute("data-verdict")).isEqualTo("saves");
        assertThat(verdict.getText())
                .startsWith("In the slow tail, hedging cut p99 from " + shown(unhedgedP99) + " to " + shown(hedgedP99));
    }

    private SearchLatency.PhaseLatency phase(String name) {
        return latency.phases().stream()
                .filter(phase -> phase.phase().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private double millis(By row, String field) {
        return Double.parseDouble(driver.findElement(row)
                .findElement(By.cssSelector("td[data-field=" + field + "]"))
                .getDomAttribute("data-ms"));
    }

    /** As the page writes a latency: tenths below 100 ms, whole milliseconds above. */
    private static String shown(double millis) {
        return (millis >= 100
                        ? String.valueOf(Math.round(millis))
                        : String.format(java.util.Locale.ROOT, "%.1f", millis))
                + " ms";
    }

    private void open() {
        driver.get("http://localhost:" + port + "/");
        wait.until(ExpectedConditions.attributeToBe(By.id("updated"), "data-connected", "true"));
    }

    private List<String> breakerNames() {
        return driver.findElements(By.cssSelector("#breakers [data-breaker]")).stream()
                .map(card -> card.getDomAttribute("data-breaker"))
                .toList();
    }

    private WebElement breaker(String name) {
        return driver.findElement(By.cssSelector("#breakers [data-breaker='" + name + "']"));
    }

    private WebElement faultButton(String preset) {
        return driver.findElement(By.cssSelector("button[data-fault='" + preset + "']"));
    }

    private long counter(String name) {
        String text = driver.findElement(By.id("counter-" + name)).getText().replace(",", "");
        return text.matches("\\d+") ? Long.parseLong(text) : -1;
    }

    /** Both what Chromium logged as SEVERE and what the page's own error hook caught. */
    private void assertNoConsoleErrors() {
        List<String> severe = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::toString)
                .toList();
        assertThat(severe).as("SEVERE browser console entries").isEmpty();
        Object caught = driver.executeScript("return window.__dashboardErrors;");
        assertThat(caught)
                .as("errors caught by dashboard.js (null: the script did not run)")
                .isEqualTo(List.of());
    }

    /** Best effort: a profile Chromium is still letting go of is left to the temp directory's cleaner. */
    private static void deleteRecursively(Path directory) {
        if (directory == null || !Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | java.io.UncheckedIOException ignored) {
            // see above
        }
    }
}
