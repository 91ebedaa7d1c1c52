package dev.retry.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import dev.retry.core.CircuitState;
import dev.retry.sample.downstream.FaultPreset;
import dev.retry.sample.downstream.Faults;
import dev.retry.spring.registry.RetryRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.client.RestClient;

/**
 * The Grafana dashboard in {@code grafana/retry-dashboard.json} against the running sample: it
 * imports with one click (asking only for a Prometheus datasource), every meter of the contract has
 * a panel, and every metric a panel or variable queries is in the sample's {@code
 * /actuator/prometheus}, with a series for every label value the query filters on, so that no
 * panel can go blank because of a misspelt name.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "demo=false")
class GrafanaDashboardTests {

    private static final Path DASHBOARD = Path.of("..", "grafana", "retry-dashboard.json");
    private static final String DATASOURCE = "${DS_PROMETHEUS}";

    /** Labels Prometheus adds to every series it scrapes, so the application's own scrape has none of them. */
    private static final Set<String> TARGET_LABELS = Set.of("job", "instance");

    /** The contract's meters as Micrometer's Prometheus registry writes them. */
    private static final List<String> CONTRACT_METERS = List.of(
            "retry_calls_total",
            "retry_attempts_total",
            "retry_budget_exhausted_total",
            "retry_call_attempts_count",
            "retry_attempts_limit",
            "circuitbreaker_calls_seconds_count",
            "circuitbreaker_rejected_total",
            "circuitbreaker_state",
            "circuitbreaker_failure_rate_percent",
            "circuitbreaker_slow_call_rate_percent",
            "circuitbreaker_transitions_total",
            "hedge_calls_total",
            "hedge_attempts_total",
            "fallback_calls_total",
            "timeout_calls_total",
            "bulkhead_calls_total",
            "bulkhead_concurrent_calls");

    /** What may stand in a query besides metric selectors, label lists, strings, numbers and variables. */
    private static final Set<String> PROMQL_WORDS = Set.of(
            "sum",
            "max",
            "min",
            "avg",
            "count",
            "rate",
            "increase",
            "round",
            "by",
            "ignoring",
            "on",
            "group_left",
            "group_right",
            "or",
            "and",
            "unless",
            "bool");

    private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)?\\{([^}]*)}");
    private static final Pattern MATCHER =
            Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern GROUPING = Pattern.compile("\\b(by|without|on|ignoring)\\s*\\(([^)]*)\\)");
    private static final Pattern LABEL_VALUES =
            Pattern.compile("^label_values\\((.*),\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*\\)$");
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+\\S+.*$");

    @LocalServerPort
    int port;

    @Autowired
    CatalogClient catalog;

    @Autowired
    Faults faults;

    @Autowired
    RetryRegistry registry;

    private static DocumentContext dashboard;

    @BeforeAll
    static void readDashboard() throws IOException {
        dashboard = JsonPath.parse(Files.readString(DASHBOARD));
    }

    @Test
    void importsWithOneClickAskingOnlyForThePrometheusDatasource() {
        List<Map<String, Object>> inputs = dashboard.read("$.__inputs");
        assertThat(inputs)
                .singleElement()
                .satisfies(input -> assertThat(input)
                        .containsEntry("name", "DS_PROMETHEUS")
                        .containsEntry("type", "datasource")
                        .containsEntry("pluginId", "prometheus"));
        assertThat(dashboard.<Object>read("$.id"))
                .as("no id of someone else's Grafana")
                .isNull();
        assertThat(dashboard.<String>read("$.uid")).isEqualTo("retry-overview");
        assertThat(dashboard.<Integer>read("$.schemaVersion")).isGreaterThanOrEqualTo(39);
        assertThat(dashboard.<List<String>>read("$.__requires[?(@.id == 'grafana')].version"))
                .containsExactly("11.0.0");

        List<Map<String, Object>> datasources = dashboard.read("$..datasource");
        List<Map<String, Object>> queried = new ArrayList<>(datasources);
        queried.removeIf(datasource -> "grafana".equals(datasource.get("type"))); // the built-in annotations
        assertThat(queried)
                .as("every panel, query and variable asks the imported datasource")
                .isNotEmpty()
                .allSatisfy(datasource -> assertThat(datasource)
                        .containsEntry("type", "prometheus")
                        .containsEntry("uid", DATASOURCE));
        List<Map<String, Object>> panels = dashboard.read("$.panels[?(@.type != 'row')]");
        assertThat(panels).allSatisfy(panel -> assertThat(panel).containsKeys("datasource", "targets", "gridPos"));
        List<Integer> ids = dashboard.read("$..panels[*].id");
        assertThat(ids).doesNotHaveDuplicates();
    }

    @Test
    void everyMeterOfTheContractHasAPanel() {
        Set<String> used = new HashSet<>();
        queries().forEach(query -> used.addAll(selectors(query).keySet()));
        assertThat(used).containsAll(CONTRACT_METERS);
    }

    @Test
    void everyQueryWritesItsMetricsAsSelectorsSoThatTheirNamesAreChecked() {
        // Anything left once the selectors, label lists, strings, ranges, numbers and variables are gone
        // must be PromQL's own words: a bare metric name here would escape the check against the scrape.
        List<String> queries = new ArrayList<>(queries());
        variableQueries().forEach(query -> {
            Matcher labelValues = LABEL_VALUES.matcher(query);
            assertThat(labelValues.matches()).as(query).isTrue();
            queries.add(labelValues.group(1));
        });
        for (String query : queries) {
            String rest = SELECTOR.matcher(query).replaceAll(" ");
            rest = GROUPING.matcher(rest)
                    .replaceAll(" $1 ")
                    .replaceAll("\\[[^]]*]", " ")
                    .replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", " ")
                    .replaceAll("\\$[a-zA-Z_]+", " ")
                    .replaceAll("\\b\\d+(\\.\\d+)?\\b", " ");
            Matcher word = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*").matcher(rest);
            while (word.find()) {
                assertThat(PROMQL_WORDS).as("'%s' in %s", word.group(), query).contains(word.group());
            }
        }
    }

    @Test
    void everyMetricAPanelOrVariableQueriesIsInTheSamplesScrapeWithTheLabelValuesItFilters() {
        // The meters that appear only once something happened: a transition, and a fallback answering.
        registry.circuitBreakers().get("warehouse").transitionTo(CircuitState.FORCED_OPEN);
        try {
            assertThat(catalog.stock("sku-1").fallback()).isEqualTo("warehouse breaker open");
        } finally {
            registry.circuitBreakers().get("warehouse").reset();
        }
        faults.set(FaultPreset.HEALTHY);
        catalog.stock("sku-2");
        catalog.search("q");
        Map<String, List<Map<String, String>>> scrape = scrape();

        List<String> problems = new ArrayList<>();
        List<String> queries = new ArrayList<>(queries());
        for (String variable : variableQueries()) {
            Matcher labelValues = LABEL_VALUES.matcher(variable);
            assertThat(labelValues.matches()).as(variable).isTrue();
            queries.add(labelValues.group(1));
        }
        for (String query : queries) {
            Map<String, Map<String, String>> selectors = selectors(query);
            assertThat(selectors).as(query).isNotEmpty();
            Set<String> labels = new HashSet<>(TARGET_LABELS);
            selectors.forEach((metric, filters) -> {
                List<Map<String, String>> series = scrape.get(metric);
                if (series == null) {
                    problems.add(metric + " (in " + query + ") is not in the scrape");
                    return;
                }
                series.forEach(sample -> labels.addAll(sample.keySet()));
                filters.forEach((label, value) -> {
                    if (series.stream().noneMatch(sample -> value.equals(sample.get(label)))) {
                        problems.add(metric + " has no series with " + label + "=\"" + value + "\" (in " + query + ")");
                    }
                });
            });
            Matcher grouping = GROUPING.matcher(query);
            while (grouping.find()) {
                for (String label : grouping.group(2).split(",")) {
                    if (!labels.contains(label.trim())) {
                        problems.add("no metric of " + query + " has the label " + label.trim());
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    private static List<String> queries() {
        return dashboard.read("$..targets[*].expr");
    }

    private static List<String> variableQueries() {
        return dashboard.read("$.templating.list[*].query.query");
    }

    /**
     * The metrics a query selects, each with the labels it must equal; {@code {__name__=~"a|b"}}
     * selects each of its alternatives. Matchers on variables ({@code $job}) and regular expressions
     * other than {@code __name__} select nothing to check.
     */
    private static Map<String, Map<String, String>> selectors(String query) {
        Map<String, Map<String, String>> selectors = new LinkedHashMap<>();
        Matcher selector = SELECTOR.matcher(query);
        while (selector.find()) {
            Map<String, String> equal = new LinkedHashMap<>();
            Set<String> names = new LinkedHashSet<>();
            if (selector.group(1) != null) {
                names.add(selector.group(1));
            }
            Matcher matcher = MATCHER.matcher(selector.group(2));
            while (matcher.find()) {
                String label = matcher.group(1);
                String operator = matcher.group(2);
                String value = matcher.group(3);
                if (label.equals("__name__")) {
                    names.addAll(List.of(value.split("\\|")));
                } else if (operator.equals("=") && !value.contains("$")) {
                    equal.put(label, value);
                }
            }
            names.forEach(name -> selectors.merge(name, equal, (a, b) -> {
                Map<String, String> both = new HashMap<>(a);
                both.putAll(b);
                return both;
            }));
        }
        return selectors;
    }

    /** The sample's {@code /actuator/prometheus}: every series by metric name, as its labels. */
    private Map<String, List<Map<String, String>>> scrape() {
        String text = RestClient.create("http://localhost:" + port)
                .get()
                .uri("/actuator/prometheus")
                .retrieve()
                .body(String.class);
        Map<String, List<Map<String, String>>> series = new HashMap<>();
        for (String line : text.split("\n")) {
            Matcher sample = SAMPLE.matcher(line);
            if (line.startsWith("#") || !sample.matches()) {
                continue;
            }
            Map<String, String> labels = new HashMap<>();
            if (sample.group(2) != null) {
                Matcher label = MATCHER.matcher(sample.group(2));
                while (label.find()) {
                    labels.put(label.group(1), label.group(3));
                }
            }
            series.computeIfAbsent(sample.group(1), name -> new ArrayList<>()).add(labels);
        }
        return series;
    }
}
