package io.outpost.registry.service.imports;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.outpost.registry.rest.CredentialRequest;
import io.outpost.registry.rest.DeviceRequest;
import io.outpost.rest.FieldError;
import io.outpost.rest.JsonPaths;
import io.outpost.rest.ProblemException;

/**
 * Reads an import body into rows. JSON: an array of device objects. NDJSON: one device object per line. CSV: a
 * header line naming columns among {@code id, enabled, labels, groups, secret, attributes}; labels as
 * {@code key=value;key=value}, groups as {@code g1;g2}, attributes as a JSON object, an empty cell means absent.
 * A row that cannot be read becomes a row with errors; only a body that is not a list at all is refused whole.
 */
@ApplicationScoped
public class ImportParser {
    public static final String NDJSON = "application/x-ndjson";
    public static final String CSV = "text/csv";
    static final List<String> CSV_COLUMNS = List.of("id", "enabled", "labels", "groups", "secret", "attributes");

    @Inject
    ObjectMapper json;

    public List<ImportRow> parse(String mediaType, String body, int maxRows) {
        List<ImportRow> rows = switch (mediaType) {
            case NDJSON -> ndjson(body, maxRows);
            case CSV -> csv(body, maxRows);
            default -> jsonArray(body, maxRows);
        };
        return rows;
    }

    private List<ImportRow> jsonArray(String body, int maxRows) {
        JsonNode array;
        try {
            array = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw ProblemException.invalid("body", "not JSON: " + e.getOriginalMessage());
        }
        if (array == null || !array.isArray()) {
            throw ProblemException.invalid("body", "must be a JSON array of devices");
        }
        requireAtMost(array.size(), maxRows);
        List<ImportRow> rows = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            rows.add(fromNode(i + 1, array.get(i)));
        }
        return rows;
    }

    private List<ImportRow> ndjson(String body, int maxRows) {
        List<ImportRow> rows = new ArrayList<>();
        String[] lines = body.split("\r?\n");
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            requireAtMost(rows.size() + 1, maxRows);
            int row = rows.size() + 1;
            try {
                rows.add(fromNode(row, json.readTree(line)));
            } catch (JsonProcessingException e) {
                rows.add(new ImportRow(row, null, List.of(new FieldError("", "not JSON: " + e.getOriginalMessage()))));
            }
        }
        return rows;
    }

    private ImportRow fromNode(int row, JsonNode node) {
        if (node == null || !node.isObject()) {
            return new ImportRow(row, null, List.of(new FieldError("", "must be a JSON object")));
        }
        try {
            return new ImportRow(row, json.treeToValue(node, DeviceRequest.class), List.of());
        } catch (JsonMappingException e) {
            String id = node.path("id").isTextual() ? node.path("id").asText() : null;
            return new ImportRow(row, new DeviceRequest(id, null, null, null, null, null),
                    List.of(new FieldError(JsonPaths.of(e), e.getOriginalMessage())));
        } catch (JsonProcessingException e) {
            return new ImportRow(row, null, List.of(new FieldError("", e.getOriginalMessage())));
        }
    }

    private List<ImportRow> csv(String body, int maxRows) {
        String[] lines = body.split("\r?\n");
        if (lines.length == 0 || lines[0].isBlank()) {
            throw ProblemException.invalid("body", "CSV needs a header line, e.g. id,enabled,labels,groups,secret");
        }
        List<String> header = CsvLine.split(lines[0]).stream().map(String::trim).toList();
        List<FieldError> headerErrors = new ArrayList<>();
        for (int i = 0; i < header.size(); i++) {
            if (!CSV_COLUMNS.contains(header.get(i))) {
                headerErrors.add(new FieldError("header[" + i + "]", "unknown column " + header.get(i)
                        + "; columns are " + String.join(",", CSV_COLUMNS)));
            }
        }
        if (!header.contains("id")) {
            headerErrors.add(new FieldError("header", "the id column is required"));
        }
        if (!headerErrors.isEmpty()) {
            throw ProblemException.invalid(headerErrors);
        }
        List<ImportRow> rows = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            requireAtMost(rows.size() + 1, maxRows);
            rows.add(csvRow(rows.size() + 1, header, lines[i]));
        }
        return rows;
    }

    private ImportRow csvRow(int row, List<String> header, String line) {
        List<FieldError> errors = new ArrayList<>();
        List<String> cells;
        try {
            cells = CsvLine.split(line);
        } catch (IllegalArgumentException e) {
            return new ImportRow(row, null, List.of(new FieldError("", e.getMessage())));
        }
        if (cells.size() != header.size()) {
            errors.add(new FieldError("", "has " + cells.size() + " cells, the header has " + header.size()));
        }
        Map<String, String> cell = new HashMap<>();
        for (int i = 0; i < Math.min(cells.size(), header.size()); i++) {
            if (!cells.get(i).isEmpty()) {
                cell.put(header.get(i), cells.get(i));
            }
        }
        Boolean enabled = null;
        if (cell.containsKey("enabled")) {
            String text = cell.get("enabled").trim().toLowerCase();
            if (text.equals("true") || text.equals("false")) {
                enabled = Boolean.valueOf(text);
            } else {
                errors.add(new FieldError("enabled", "must be true or false"));
            }
        }
        Map<String, String> labels = cell.containsKey("labels") ? labels(cell.get("labels"), errors) : null;
        List<String> groups = cell.containsKey("groups") ? List.of(cell.get("groups").split(";")) : null;
        Map<String, Object> attributes = null;
        if (cell.containsKey("attributes")) {
            try {
                attributes = json.readValue(cell.get("attributes"), new TypeReference<Map<String, Object>>() {
                });
            } catch (IOException e) {
                errors.add(new FieldError("attributes", "must be a JSON object"));
            }
        }
        CredentialRequest credential = cell.containsKey("secret") ? new CredentialRequest(cell.get("secret"), null) : null;
        return new ImportRow(row, new DeviceRequest(cell.get("id"), enabled, labels, attributes, groups, credential),
                errors);
    }

    private static Map<String, String> labels(String text, List<FieldError> errors) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String pair : text.split(";")) {
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                errors.add(new FieldError("labels", "must be key=value pairs separated by ';'"));
                return null;
            }
            labels.put(pair.substring(0, equals), pair.substring(equals + 1));
        }
        return labels;
    }

    private static void requireAtMost(int rows, int maxRows) {
        if (rows > maxRows) {
            throw new ProblemException(413, "Too many rows", "an import holds at most " + maxRows + " devices",
                    List.of(new FieldError("body", "more than " + maxRows + " rows")));
        }
    }
}
