package io.outpost.systemtest.observability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The dashboards ({@code deploy/observability/grafana/*.json}) and alert rules
 * ({@code deploy/observability/prometheus/alerts.yml}) of the repository, and every PromQL query in them: each
 * panel target's {@code expr}, each query variable's query, each rule's {@code expr}.
 */
public final class ObservabilityFiles {
    public static final Path ROOT = Path.of(System.getProperty("outpost.root", "..")).toAbsolutePath().normalize();
    public static final Path DASHBOARDS = ROOT.resolve("deploy/observability/grafana");
    public static final Path ALERTS = ROOT.resolve("deploy/observability/prometheus/alerts.yml");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** One PromQL query and where it is: {@code fleet.json: panel "Sessions per node"}. */
    public record Query(String where, String expression) {
    }

    private ObservabilityFiles() {
    }

    public static List<Path> dashboardFiles() throws IOException {
        try (var files = Files.list(DASHBOARDS)) {
            return files.filter(file -> file.toString().endsWith(".json")).sorted().toList();
        }
    }

    public static JsonNode dashboard(Path file) throws IOException {
        return JSON.readTree(file.toFile());
    }

    public static JsonNode alertRules() throws IOException {
        return YAML.readTree(ALERTS.toFile());
    }

    /** Every panel of the dashboard, rows' nested panels included. */
    public static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            panels.add(panel);
            panel.path("panels").forEach(panels::add);
        }
        return panels;
    }

    /** Every rule of every group. */
    public static List<JsonNode> rules(JsonNode alertRules) {
        List<JsonNode> rules = new ArrayList<>();
        alertRules.path("groups").forEach(group -> group.path("rules").forEach(rules::add));
        return rules;
    }

    /** Every PromQL query of the dashboards and the alert rules. */
    public static List<Query> queries() throws IOException {
        List<Query> queries = new ArrayList<>();
        for (Path file : dashboardFiles()) {
            JsonNode dashboard = dashboard(file);
            String name = file.getFileName().toString();
            for (JsonNode panel : panels(dashboard)) {
                for (JsonNode target : panel.path("targets")) {
                    queries.add(new Query(name + ": panel \"" + panel.path("title").asText() + "\"",
                            target.path("expr").asText()));
                }
            }
            for (JsonNode variable : dashboard.path("templating").path("list")) {
                if (variable.path("type").asText().equals("query")) {
                    JsonNode query = variable.path("query");
                    queries.add(new Query(name + ": variable $" + variable.path("name").asText(),
                            query.isObject() ? query.path("query").asText() : query.asText()));
                }
            }
        }
        for (JsonNode rule : rules(alertRules())) {
            queries.add(new Query("alerts.yml: " + rule.path("alert").asText(rule.path("record").asText()),
                    rule.path("expr").asText()));
        }
        return queries;
    }

    /** Every metric name the queries select, with where each is used. */
    public static SortedMap<String, SortedSet<String>> metricsUsed() throws IOException {
        SortedMap<String, SortedSet<String>> used = new TreeMap<>();
        for (Query query : queries()) {
            Set<String> names = PromQlMetricNames.in(query.expression());
            names.forEach(name -> used.computeIfAbsent(name, n -> new TreeSet<>()).add(query.where()));
        }
        return used;
    }

    /** The metric (series) names of a Prometheus text exposition: {@code x_bucket}, {@code x_count}... as written. */
    public static Set<String> exposedNames(String exposition) {
        Set<String> names = new TreeSet<>();
        for (String line : exposition.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int end = 0;
            while (end < trimmed.length() && trimmed.charAt(end) != '{'
                    && !Character.isWhitespace(trimmed.charAt(end))) {
                end++;
            }
            names.add(trimmed.substring(0, end));
        }
        return names;
    }
}
