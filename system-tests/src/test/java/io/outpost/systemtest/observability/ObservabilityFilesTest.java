package io.outpost.systemtest.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The dashboards and alert rules are well formed, without a running platform: importable (unique uids, the data source
 * a variable), every query selects a metric, every alert says how bad it is and what it means. Which metrics exist is
 * checked against the running services by {@code platform/MetricsCoverageTest}.
 */
class ObservabilityFilesTest {
    private static final String DATASOURCE = "${datasource}";

    @Test
    void theFiveDashboardsOfTheIssueAreThere() throws Exception {
        List<String> files = ObservabilityFiles.dashboardFiles().stream().map(Path::getFileName).map(Path::toString)
                .toList();
        assertEquals(List.of("commands-and-notifications.json", "fleet.json", "kafka-consumer-lag.json",
                "mailboxes.json", "telemetry-ingest-lag.json"), files);
    }

    @Test
    void everyDashboardHasItsOwnUidAndADataSourceVariable() throws Exception {
        Set<String> uids = new HashSet<>();
        for (Path file : ObservabilityFiles.dashboardFiles()) {
            JsonNode dashboard = ObservabilityFiles.dashboard(file);
            assertTrue(uids.add(dashboard.path("uid").asText()), file + " repeats uid " + dashboard.path("uid"));
            assertTrue(dashboard.path("title").asText().startsWith("Outpost / "),
                    file + ": " + dashboard.path("title"));
            JsonNode first = dashboard.path("templating").path("list").path(0);
            assertEquals("datasource", first.path("name").asText(), file.toString());
            assertEquals("prometheus", first.path("query").asText(), file.toString());
        }
    }

    @Test
    void everyPanelAndQueryReadsFromTheDataSourceVariable() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (Path file : ObservabilityFiles.dashboardFiles()) {
            for (JsonNode panel : ObservabilityFiles.panels(ObservabilityFiles.dashboard(file))) {
                if (panel.path("type").asText().equals("row")) {
                    continue;
                }
                String where = file.getFileName() + ": " + panel.path("title").asText();
                if (!panel.path("datasource").path("uid").asText().equals(DATASOURCE)
                        || panel.path("targets").isEmpty()) {
                    wrong.add(where);
                }
                for (JsonNode target : panel.path("targets")) {
                    if (!target.path("datasource").path("uid").asText().equals(DATASOURCE)) {
                        wrong.add(where + " " + target.path("refId").asText());
                    }
                }
            }
        }
        assertEquals(List.of(), wrong, "panels or queries without the ${datasource} variable, or without a query");
    }

    @Test
    void everyQuerySelectsAtLeastOneMetric() throws Exception {
        List<String> empty = ObservabilityFiles.queries().stream()
                .filter(query -> PromQlMetricNames.in(query.expression()).isEmpty())
                .map(query -> query.where() + ": " + query.expression()).toList();
        assertEquals(List.of(), empty);
    }

    @Test
    void everyAlertHasADurationASeverityASummaryAndADescription() throws Exception {
        List<JsonNode> rules = ObservabilityFiles.rules(ObservabilityFiles.alertRules());
        assertTrue(rules.size() >= 10, "only " + rules.size() + " rules");
        Set<String> names = new HashSet<>();
        List<String> wrong = new ArrayList<>();
        for (JsonNode rule : rules) {
            String name = rule.path("alert").asText();
            if (name.isEmpty() || !names.add(name) || rule.path("expr").asText().isBlank()
                    || !rule.path("for").asText().matches("[0-9]+[smh]")
                    || !Set.of("critical", "warning").contains(rule.path("labels").path("severity").asText())
                    || rule.path("annotations").path("summary").asText().isBlank()
                    || rule.path("annotations").path("description").asText().isBlank()) {
                wrong.add(name.isEmpty() ? rule.toString() : name);
            }
        }
        assertEquals(List.of(), wrong, "alerts without a unique name, expr, for, severity, summary or description");
    }

    /** Prometheus's own check of the rule file (PromQL syntax, templates); skipped where promtool is not installed. */
    @Test
    void promtoolAcceptsTheAlertRules() throws Exception {
        assertEquals("", promtoolCheckRules(ObservabilityFiles.ALERTS));
    }

    /**
     * Every panel query parses as PromQL: written as recording rules (Grafana's variables replaced by what they stand
     * for: a range, or a regular expression inside a label matcher) for {@code promtool check rules}.
     */
    @Test
    void promtoolParsesEveryPanelQuery(@TempDir Path folder) throws Exception {
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard-queries\n    rules:\n");
        int n = 0;
        for (ObservabilityFiles.Query query : ObservabilityFiles.queries()) {
            if (query.where().startsWith("alerts.yml") || query.where().contains(": variable $")) {
                continue;
            }
            String expression = query.expression().replace("$__rate_interval", "5m")
                    .replaceAll("\\$\\{?[a-zA-Z_]+}?", ".*");
            rules.append("      - record: dashboard_query_").append(n++).append("\n        expr: '")
                    .append(expression.replace("'", "''")).append("'\n");
        }
        Path file = folder.resolve("dashboard-queries.yml");
        Files.writeString(file, rules);
        assertTrue(n > 40, "only " + n + " panel queries");
        assertEquals("", promtoolCheckRules(file));
    }

    /** promtool's complaint, or "" if it accepted the file. */
    private static String promtoolCheckRules(Path file) throws Exception {
        Path promtool = Path.of("/usr/bin/promtool");
        Assumptions.assumeTrue(Files.isExecutable(promtool), "promtool (Debian package prometheus) is not installed");
        Process check = new ProcessBuilder(promtool.toString(), "check", "rules", file.toString())
                .redirectErrorStream(true).start();
        check.getOutputStream().close();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(check.waitFor(60, TimeUnit.SECONDS), "promtool did not finish");
        return check.exitValue() == 0 ? "" : output;
    }

    @Test
    void exposedNamesAreTheSeriesNamesOfTheExposition() {
        String exposition = """
                # HELP outpost_bridge_connections open sessions
                # TYPE outpost_bridge_connections gauge
                outpost_bridge_connections 3.0
                outpost_mailbox_depth{kind="COMMAND",tenant="acme"} 1.0
                http_server_requests_seconds_bucket{le="0.1",method="GET"} 4
                # EOF
                """;
        assertEquals(Set.of("outpost_bridge_connections", "outpost_mailbox_depth",
                "http_server_requests_seconds_bucket"), ObservabilityFiles.exposedNames(exposition));
    }
}
