package io.outpost.systemtest.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;

import org.junit.jupiter.api.Test;

class PromQlMetricNamesTest {

    @Test
    void aBareSelectorIsItsMetric() {
        assertEquals(Set.of("up"), PromQlMetricNames.in("up == 0"));
    }

    @Test
    void functionsAndAggregationsAreNotMetrics() {
        assertEquals(Set.of("outpost_bridge_connects_total"),
                PromQlMetricNames.in("sum(rate (outpost_bridge_connects_total[5m]))"));
    }

    @Test
    void labelNamesAndValuesInsideMatchersAreNotMetrics() {
        assertEquals(Set.of("outpost_commands_finished_total"), PromQlMetricNames.in(
                "sum(increase(outpost_commands_finished_total{state=~\"EXPIRED|FAILED\", tenant!='x'}[1h]))"));
    }

    @Test
    void groupingLabelsBeforeOrAfterTheAggregationAreNotMetrics() {
        assertEquals(Set.of("a_total", "b_total"), PromQlMetricNames.in(
                "sum by (tenant, kind) (rate(a_total[5m])) + sum(b_total) without(instance)"));
    }

    @Test
    void histogramQuantileKeepsTheBucketSeriesAndDropsTheQuantileAndLe() {
        assertEquals(Set.of("outpost_telemetry_ingest_lag_seconds_bucket"), PromQlMetricNames.in(
                "histogram_quantile(0.99, sum by (le) (rate(outpost_telemetry_ingest_lag_seconds_bucket[5m])))"));
    }

    @Test
    void vectorMatchingModifiersAndBinaryKeywordsAreNotMetrics() {
        assertEquals(Set.of("left_metric", "right_metric"), PromQlMetricNames.in(
                "left_metric / on (job, instance) group_left (node) right_metric > bool 1 and left_metric"
                        + " unless ignoring(tenant) right_metric or left_metric offset 1h"));
    }

    @Test
    void numbersDurationsAndScientificNotationAreNotMetrics() {
        assertEquals(Set.of("x_seconds"), PromQlMetricNames.in(
                "x_seconds[10m:1m] > 1e3 or x_seconds offset -5m > 0.5 * Inf"));
    }

    @Test
    void grafanaVariablesAreNotMetrics() {
        assertEquals(Set.of("outpost_mailbox_depth"), PromQlMetricNames.in(
                "sum by (tenant) (outpost_mailbox_depth{tenant=~\"$tenant\", job=~\"${job}\"}) * $factor"
                        + " [$__rate_interval]"));
    }

    @Test
    void labelValuesNamesItsMetricButNotItsLabel() {
        assertEquals(Set.of("outpost_bridge_connects_total"),
                PromQlMetricNames.in("label_values(outpost_bridge_connects_total{job=\"a,b\"}, tenant)"));
        assertEquals(Set.of(), PromQlMetricNames.in("label_values(tenant)"));
    }

    @Test
    void colonsOfRecordingRuleNamesBelongToTheName() {
        assertEquals(Set.of("job:outpost_bridge_connections:sum"),
                PromQlMetricNames.in("job:outpost_bridge_connections:sum > 10"));
    }

    @Test
    void metricNamesThatContainKeywordsAreKept() {
        assertEquals(Set.of("outpost_bridge_auth_failures_total", "on_duty", "by_tenant"),
                PromQlMetricNames.in("outpost_bridge_auth_failures_total + on_duty - by_tenant"));
    }
}
