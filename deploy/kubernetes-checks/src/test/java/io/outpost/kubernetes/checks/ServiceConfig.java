package io.outpost.kubernetes.checks;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The configuration keys a service has, read from its sources: the keys of its application.properties (any profile),
 * of the META-INF/microprofile-config.properties of the Outpost libraries it depends on, every key of a
 * {@code @ConfigMapping} interface (prefix, groups and methods in kebab-case) and every {@code @ConfigProperty} name
 * in its own and those libraries' sources.
 */
final class ServiceConfig {

    private static final Pattern DEPENDENCY = Pattern.compile(
            "<dependency>\\s*<groupId>io\\.outpost</groupId>\\s*<artifactId>([\\w-]+)</artifactId>(.*?)</dependency>",
            Pattern.DOTALL);
    private static final Pattern MAPPING = Pattern.compile("@ConfigMapping\\(prefix\\s*=\\s*\"([^\"]+)\"\\)");
    private static final Pattern PROPERTY = Pattern.compile("@ConfigProperty\\(name\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern METHOD = Pattern.compile("([\\w.<>, ?]+?)\\s+(\\w+)\\(\\)\\s*;");
    private static final Pattern NESTED = Pattern.compile("interface\\s+(\\w+)\\s*\\{$");

    final String module;
    final Map<String, String> properties;
    final Set<String> keys;

    private ServiceConfig(String module, Map<String, String> properties, Set<String> keys) {
        this.module = module;
        this.properties = properties;
        this.keys = keys;
    }

    static ServiceConfig of(String module) {
        Path dir = Overlays.module(module);
        Map<String, String> properties = new java.util.TreeMap<>();
        Set<String> keys = new TreeSet<>();
        for (Path m : withLibraries(dir, new LinkedHashSet<>())) {
            for (Path file : List.of(m.resolve("src/main/resources/application.properties"),
                    m.resolve("src/main/resources/META-INF/microprofile-config.properties"))) {
                if (Files.isRegularFile(file)) {
                    load(file).forEach((k, v) -> {
                        String key = k.startsWith("%") ? k.substring(k.indexOf('.') + 1) : k;
                        keys.add(key);
                        if (!k.startsWith("%") && (m.equals(dir) || !properties.containsKey(key))) {
                            properties.put(key, v);
                        }
                    });
                }
            }
            keys.addAll(sourceKeys(m.resolve("src/main/java")));
        }
        return new ServiceConfig(module, properties, keys);
    }

    /** SmallRye Config's environment name of a key: every character other than a letter or digit becomes _. */
    static String envName(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(java.util.Locale.ROOT);
    }

    /** The key an environment variable sets, or null when the service has none by that name. */
    String keyOf(String env) {
        return keys.stream().filter(k -> envName(k).equals(env)).findFirst().orElse(null);
    }

    /** The module and the Outpost libraries it depends on outside test scope, transitively. */
    private static Set<Path> withLibraries(Path module, Set<Path> seen) {
        if (!seen.add(module)) {
            return seen;
        }
        Matcher m = DEPENDENCY.matcher(read(module.resolve("pom.xml")));
        while (m.find()) {
            if (!m.group(2).contains("<scope>test</scope>")) {
                Path library = Overlays.root().resolve(m.group(1));
                if (Files.isDirectory(library)) {
                    withLibraries(library, seen);
                }
            }
        }
        return seen;
    }

    static Set<String> sourceKeys(Path sources) {
        Set<String> keys = new TreeSet<>();
        if (!Files.isDirectory(sources)) {
            return keys;
        }
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String code = read(file);
                Matcher p = PROPERTY.matcher(code);
                while (p.find()) {
                    keys.add(p.group(1));
                }
                Matcher mapping = MAPPING.matcher(code);
                if (mapping.find()) {
                    int open = code.indexOf('{', mapping.end());
                    Map<String, String> bodies = new java.util.HashMap<>();
                    String top = body(code, open, bodies);
                    collect(mapping.group(1), top, bodies, keys, 0);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return keys;
    }

    /**
     * The body of the interface whose brace is at {@code open}, with the bodies of nested interfaces cut out (and put
     * into {@code nested} by name).
     */
    private static String body(String code, int open, Map<String, String> nested) {
        StringBuilder own = new StringBuilder();
        int depth = 0;
        for (int i = open; i < code.length(); i++) {
            char c = code.charAt(i);
            if (c == '{') {
                depth++;
                if (depth == 2) {
                    Matcher n = NESTED.matcher(code.substring(Math.max(0, i - 120), i + 1));
                    String name = null;
                    while (n.find()) {
                        name = n.group(1);
                    }
                    int end = closing(code, i);
                    if (name != null) {
                        nested.put(name, body(code, i, nested));
                    }
                    i = end;
                    depth--;
                    continue;
                }
            } else if (c == '}') {
                depth--;
                if (depth == 0) {
                    return own.toString();
                }
            } else if (depth == 1) {
                own.append(c);
            }
        }
        throw new IllegalStateException("unbalanced braces");
    }

    private static int closing(String code, int open) {
        int depth = 0;
        for (int i = open; i < code.length(); i++) {
            if (code.charAt(i) == '{') {
                depth++;
            } else if (code.charAt(i) == '}' && --depth == 0) {
                return i;
            }
        }
        throw new IllegalStateException("unbalanced braces");
    }

    private static void collect(String prefix, String body, Map<String, String> nested, Set<String> keys, int level) {
        String withoutComments = body.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "")
                .replaceAll("@\\w+(\\([^)]*\\))?", "");
        Matcher m = METHOD.matcher(withoutComments);
        while (m.find()) {
            String type = m.group(1).trim();
            String key = prefix + "." + kebab(m.group(2));
            String inner = type.replaceAll(".*<\\s*(?:String\\s*,\\s*)?(\\w+)\\s*>.*", "$1");
            if (nested.containsKey(inner) && level < 5) {
                collect(key, nested.get(inner), nested, keys, level + 1);
            } else {
                keys.add(key);
            }
        }
    }

    static String kebab(String method) {
        return method.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static Map<String, String> load(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> all = new java.util.TreeMap<>();
        p.forEach((k, v) -> all.put((String) k, (String) v));
        return all;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return module + " " + new ArrayList<>(keys);
    }
}
