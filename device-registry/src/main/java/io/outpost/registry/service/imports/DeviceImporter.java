package io.outpost.registry.service.imports;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.outpost.contracts.RegistryDevice;
import io.outpost.contracts.SecretHash;
import io.outpost.contracts.Topics;
import io.outpost.registry.Credential;
import io.outpost.registry.rest.DeviceRequest;
import io.outpost.registry.service.Clock;
import io.outpost.registry.service.CredentialService;
import io.outpost.registry.service.DeviceValidator;
import io.outpost.registry.service.RegistryOutbox.OutboxWritten;
import io.outpost.registry.service.RegistryOutbox;
import io.outpost.registry.service.SecretHasher;
import io.outpost.rest.FieldError;

/**
 * Creates many devices at once. Every row is validated first (shape, duplicates in the file, existing ids, unknown
 * groups); then all valid rows are written in one transaction with a handful of set-based statements (device rows,
 * memberships, credentials, outbox records), so a row is created whole or not at all and 10,000 rows take one round
 * trip per table instead of one per row.
 */
@ApplicationScoped
public class DeviceImporter {
    @Inject
    DataSource dataSource;
    @Inject
    DeviceValidator validator;
    @Inject
    CredentialService credentials;
    @Inject
    SecretHasher hasher;
    @Inject
    RegistryOutbox outbox;
    @Inject
    ObjectMapper json;
    @Inject
    Event<OutboxWritten> written;

    private record Candidate(ImportRow row, List<Long> groupPks, Credential credential, String generatedSecret) {
        DeviceRequest request() {
            return row.request();
        }
    }

    @Transactional
    public ImportReport importRows(String tenantId, List<ImportRow> rows) throws SQLException {
        Map<Integer, ImportResult> results = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection()) {
            Map<String, Long> groups = groupPks(connection, tenantId, rows);
            List<String> ids = rows.stream().filter(r -> r.request() != null && r.request().id() != null)
                    .map(r -> r.request().id()).toList();
            Set<String> existing = existingIds(connection, tenantId, ids);
            Map<String, Integer> firstRowOfId = new HashMap<>();
            List<Candidate> candidates = new ArrayList<>();
            for (ImportRow row : rows) {
                List<FieldError> errors = new ArrayList<>(row.errors());
                DeviceRequest request = row.request();
                String id = request == null ? null : request.id();
                if (request != null && row.errors().isEmpty()) {
                    errors.addAll(validator.validateCreate(request));
                }
                if (id != null && errors.isEmpty()) {
                    Integer first = firstRowOfId.putIfAbsent(id, row.row());
                    if (first != null) {
                        errors.add(new FieldError("id", "duplicate of row " + first));
                    } else if (existing.contains(id)) {
                        errors.add(new FieldError("id", "device " + id + " already exists"));
                    }
                }
                List<Long> groupPks = new ArrayList<>();
                if (errors.isEmpty() && request.groups() != null) {
                    for (int i = 0; i < request.groups().size(); i++) {
                        Long pk = groups.get(request.groups().get(i));
                        if (pk == null) {
                            errors.add(new FieldError("groups[" + i + "]", "no group " + request.groups().get(i)));
                        } else if (!groupPks.contains(pk)) {
                            groupPks.add(pk);
                        }
                    }
                }
                if (!errors.isEmpty()) {
                    results.put(row.row(), ImportResult.failed(row.row(), id, errors));
                    continue;
                }
                String secret = null;
                Credential credential = null;
                if (request.credential() != null) {
                    boolean generate = request.credential().secret() == null;
                    secret = generate ? hasher.generateSecret() : request.credential().secret();
                    credential = credentials.newCredential(0, secret, request.credential().notAfter());
                    secret = generate ? secret : null;
                }
                candidates.add(new Candidate(row, groupPks, credential, secret));
            }
            insert(connection, tenantId, candidates, results);
        }
        List<ImportResult> ordered = rows.stream().map(row -> results.get(row.row())).toList();
        int created = (int) ordered.stream().filter(result -> result.status().equals("created")).count();
        return new ImportReport(created, ordered.size() - created, ordered);
    }

    private void insert(Connection connection, String tenantId, List<Candidate> candidates,
            Map<Integer, ImportResult> results) throws SQLException {
        if (candidates.isEmpty()) {
            return;
        }
        Instant now = Clock.now();
        Map<String, Long> created = insertDevices(connection, tenantId, candidates, now);
        List<Long> memberDevices = new ArrayList<>();
        List<Long> memberGroups = new ArrayList<>();
        List<Credential> newCredentials = new ArrayList<>();
        List<String> outboxKeys = new ArrayList<>();
        List<String> outboxPayloads = new ArrayList<>();
        Map<Long, String> groupIdByPk = groupIds(connection, candidates);
        for (Candidate candidate : candidates) {
            DeviceRequest request = candidate.request();
            Long pk = created.get(request.id());
            if (pk == null) {
                results.put(candidate.row().row(), ImportResult.failed(candidate.row().row(), request.id(),
                        List.of(new FieldError("id", "device " + request.id() + " already exists"))));
                continue;
            }
            candidate.groupPks().forEach(groupPk -> {
                memberDevices.add(pk);
                memberGroups.add(groupPk);
            });
            List<SecretHash> hashes = List.of();
            if (candidate.credential() != null) {
                candidate.credential().devicePk = pk;
                newCredentials.add(candidate.credential());
                hashes = List.of(RegistryOutbox.secretHash(candidate.credential()));
            }
            RegistryDevice record = new RegistryDevice(tenantId, request.id(), request.enabled() == null || request.enabled(),
                    candidate.groupPks().stream().map(groupIdByPk::get).sorted().toList(),
                    request.labels() == null ? Map.of() : request.labels(), hashes, 0, now, now);
            outboxKeys.add(RegistryOutbox.key(tenantId, request.id()));
            outboxPayloads.add(outbox.toJson(record));
            results.put(candidate.row().row(), ImportResult.created(candidate.row().row(), request.id(),
                    candidate.generatedSecret()));
        }
        insertMembers(connection, memberDevices, memberGroups);
        insertCredentials(connection, newCredentials);
        insertOutbox(connection, outboxKeys, outboxPayloads, now);
        written.fire(OutboxWritten.INSTANCE);
    }

    private Map<String, Long> insertDevices(Connection connection, String tenantId, List<Candidate> candidates,
            Instant now) throws SQLException {
        int n = candidates.size();
        String[] ids = new String[n];
        Boolean[] enabled = new Boolean[n];
        String[] labels = new String[n];
        String[] attributes = new String[n];
        for (int i = 0; i < n; i++) {
            DeviceRequest request = candidates.get(i).request();
            ids[i] = request.id();
            enabled[i] = request.enabled() == null || request.enabled();
            labels[i] = toJson(request.labels() == null ? Map.of() : request.labels());
            attributes[i] = toJson(request.attributes() == null ? Map.of() : request.attributes());
        }
        String sql = "insert into device (tenant_id, device_id, enabled, labels, attributes, created_at, updated_at, version)"
                + " select ?, t.id, t.enabled, cast(t.labels as jsonb), cast(t.attributes as jsonb), ?, ?, 0"
                + " from unnest(?::text[], ?::boolean[], ?::text[], ?::text[]) as t(id, enabled, labels, attributes)"
                + " on conflict (tenant_id, device_id) do nothing returning pk, device_id";
        Map<String, Long> created = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, tenantId);
            statement.setTimestamp(2, Timestamp.from(now));
            statement.setTimestamp(3, Timestamp.from(now));
            statement.setArray(4, connection.createArrayOf("text", ids));
            statement.setArray(5, connection.createArrayOf("boolean", enabled));
            statement.setArray(6, connection.createArrayOf("text", labels));
            statement.setArray(7, connection.createArrayOf("text", attributes));
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    created.put(rs.getString(2), rs.getLong(1));
                }
            }
        }
        return created;
    }

    private static void insertMembers(Connection connection, List<Long> devices, List<Long> groups) throws SQLException {
        if (devices.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "insert into group_member (device_pk, group_pk) select * from unnest(?::bigint[], ?::bigint[])")) {
            statement.setArray(1, connection.createArrayOf("bigint", devices.toArray()));
            statement.setArray(2, connection.createArrayOf("bigint", groups.toArray()));
            statement.executeUpdate();
        }
    }

    private static void insertCredentials(Connection connection, List<Credential> credentials) throws SQLException {
        if (credentials.isEmpty()) {
            return;
        }
        int n = credentials.size();
        String[] ids = new String[n];
        Long[] devices = new Long[n];
        String[] salts = new String[n];
        String[] hashes = new String[n];
        String[] notAfter = new String[n];
        Base64.Encoder base64 = Base64.getEncoder();
        for (int i = 0; i < n; i++) {
            Credential credential = credentials.get(i);
            ids[i] = credential.id.toString();
            devices[i] = credential.devicePk;
            salts[i] = base64.encodeToString(credential.salt);
            hashes[i] = base64.encodeToString(credential.hash);
            notAfter[i] = credential.notAfter == null ? null : credential.notAfter.toString();
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "insert into credential (id, device_pk, algorithm, salt, hash, created_at, not_after)"
                        + " select cast(t.id as uuid), t.device, ?, decode(t.salt, 'base64'), decode(t.hash, 'base64'), ?,"
                        + " cast(t.not_after as timestamptz)"
                        + " from unnest(?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[])"
                        + " as t(id, device, salt, hash, not_after)")) {
            statement.setString(1, SecretHasher.ALGORITHM);
            statement.setTimestamp(2, Timestamp.from(credentials.get(0).createdAt));
            statement.setArray(3, connection.createArrayOf("text", ids));
            statement.setArray(4, connection.createArrayOf("bigint", devices));
            statement.setArray(5, connection.createArrayOf("text", salts));
            statement.setArray(6, connection.createArrayOf("text", hashes));
            statement.setArray(7, connection.createArrayOf("text", notAfter));
            statement.executeUpdate();
        }
    }

    private static void insertOutbox(Connection connection, List<String> keys, List<String> payloads, Instant now)
            throws SQLException {
        if (keys.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "insert into registry_outbox (topic, record_key, payload, created_at)"
                        + " select ?, t.k, t.p, ? from unnest(?::text[], ?::text[]) with ordinality as t(k, p, n)"
                        + " order by t.n")) {
            statement.setString(1, Topics.REGISTRY_DEVICES);
            statement.setTimestamp(2, Timestamp.from(now));
            statement.setArray(3, connection.createArrayOf("text", keys.toArray()));
            statement.setArray(4, connection.createArrayOf("text", payloads.toArray()));
            statement.executeUpdate();
        }
    }

    private static Map<String, Long> groupPks(Connection connection, String tenantId, List<ImportRow> rows)
            throws SQLException {
        String[] wanted = rows.stream()
                .filter(row -> row.request() != null && row.request().groups() != null)
                .flatMap(row -> row.request().groups().stream())
                .filter(Objects::nonNull).distinct().toArray(String[]::new);
        Map<String, Long> pks = new HashMap<>();
        if (wanted.length == 0) {
            return pks;
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "select group_id, pk from device_group where tenant_id = ? and group_id = any(?)")) {
            statement.setString(1, tenantId);
            statement.setArray(2, connection.createArrayOf("text", wanted));
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    pks.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return pks;
    }

    private static Map<Long, String> groupIds(Connection connection, List<Candidate> candidates) throws SQLException {
        Map<Long, String> ids = new HashMap<>();
        Long[] pks = candidates.stream().flatMap(c -> c.groupPks().stream()).distinct().toArray(Long[]::new);
        if (pks.length == 0) {
            return ids;
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "select pk, group_id from device_group where pk = any(?)")) {
            statement.setArray(1, connection.createArrayOf("bigint", pks));
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    ids.put(rs.getLong(1), rs.getString(2));
                }
            }
        }
        return ids;
    }

    private static Set<String> existingIds(Connection connection, String tenantId, List<String> ids)
            throws SQLException {
        Set<String> existing = new HashSet<>();
        if (ids.isEmpty()) {
            return existing;
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "select device_id from device where tenant_id = ? and device_id = any(?)")) {
            statement.setString(1, tenantId);
            statement.setArray(2, connection.createArrayOf("text", ids.toArray()));
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    existing.add(rs.getString(1));
                }
            }
        }
        return existing;
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
