package io.outpost.systemtest.observability;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression (or a Grafana variable query such as {@code label_values(metric, label)})
 * selects: every identifier that is not a function or aggregation (followed by {@code (}), a keyword or binary operator
 * ({@code by}, {@code and}, {@code bool}...), a label name or value (inside {@code {}} or a {@code by (...)} list), a
 * string, a duration or range ({@code [5m]}, {@code offset 1h}), a number or a Grafana variable ({@code $tenant}).
 * <p>
 * Not a full PromQL parser: it covers the language the dashboards and alert rules of {@code deploy/observability}
 * use, and its test shows each construct. A selector written only as {@code {__name__="..."}} is not recognised.
 */
public final class PromQlMetricNames {
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "bool", "offset", "and", "or", "unless", "atan2", "inf", "nan");
    /** Label lists that follow a modifier: {@code by (tenant, kind)}, {@code on (job)}, {@code group_left (node)}. */
    private static final Pattern LABEL_LIST = Pattern.compile(
            "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", Pattern.CASE_INSENSITIVE);
    private static final Pattern STRING = Pattern.compile("\"(\\\\.|[^\"\\\\])*\"|'(\\\\.|[^'\\\\])*'|`[^`]*`");
    private static final Pattern BRACES = Pattern.compile("\\{[^}]*}");
    private static final Pattern BRACKETS = Pattern.compile("\\[[^]]*]");
    private static final Pattern OFFSET = Pattern.compile("\\boffset\\s+-?[0-9a-zA-Z_$]+", Pattern.CASE_INSENSITIVE);
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{[^}]*}|\\$[a-zA-Z_][a-zA-Z0-9_]*");
    /** The second argument of Grafana's {@code label_values(metric, label)} is a label, not a metric. */
    private static final Pattern LABEL_VALUES = Pattern.compile(
            "\\blabel_values\\s*\\((.*,)?\\s*[a-zA-Z_][a-zA-Z0-9_]*\\s*\\)\\s*$");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.:])[a-zA-Z_:][a-zA-Z0-9_:]*");

    private PromQlMetricNames() {
    }

    /** The distinct metric names the expression selects, sorted. */
    public static Set<String> in(String expression) {
        String text = STRING.matcher(expression).replaceAll(" ");
        text = VARIABLE.matcher(text).replaceAll(" ");
        text = BRACES.matcher(text).replaceAll(" ");
        text = BRACKETS.matcher(text).replaceAll(" ");
        text = LABEL_VALUES.matcher(text.strip()).replaceAll("label_values($1)");
        text = OFFSET.matcher(text).replaceAll(" ");
        text = LABEL_LIST.matcher(text).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher identifier = IDENTIFIER.matcher(text);
        while (identifier.find()) {
            String name = identifier.group();
            if (!KEYWORDS.contains(name.toLowerCase()) && !calledAsFunction(text, identifier.end())) {
                names.add(name);
            }
        }
        return names;
    }

    private static boolean calledAsFunction(String text, int end) {
        int next = end;
        while (next < text.length() && Character.isWhitespace(text.charAt(next))) {
            next++;
        }
        return next < text.length() && text.charAt(next) == '(';
    }
}
