package io.outpost.telemetry.rest;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

import io.outpost.contracts.RegistryDevice;
import io.outpost.registryview.DeviceDirectory;
import io.outpost.rest.Page;
import io.outpost.telemetry.TelemetryConfig;
import io.outpost.telemetry.ingest.Reading;
import io.outpost.telemetry.live.LiveTelemetry;
import io.outpost.telemetry.query.Bucket;
import io.outpost.telemetry.query.ReadingView;
import io.outpost.telemetry.query.TelemetryQueries;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Multi;

/** A tenant's telemetry: history, latest values, aggregates and live streams (docs/telemetry-api.md). */
@Path("/api/v1/tenants/{tenant}")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "Telemetry")
public class TelemetryResource {
    @Inject
    TelemetryAccess access;
    @Inject
    TelemetryQueries queries;
    @Inject
    TelemetryConfig config;
    @Inject
    DeviceDirectory directory;
    @Inject
    LiveTelemetry live;

    @GET
    @Path("/devices/{device}/telemetry")
    @Operation(summary = "A device's readings in a time range (default: the last 24 hours), newest or oldest first")
    public Page<ReadingView> history(@PathParam("tenant") String tenant, @PathParam("device") String device,
            @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("stream") String stream,
            @QueryParam("order") String order, @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor) throws SQLException {
        access.readDevice(tenant, device);
        QueryParameters parameters = new QueryParameters();
        Instant end = parameters.instant("to", to, Instant.now());
        Instant start = parameters.instant("from", from, end.minus(Duration.ofDays(1)));
        parameters.range(start, end);
        String streamFilter = parameters.stream(stream);
        boolean oldestFirst = parameters.oldestFirst(order);
        int pageSize = parameters.limit(limit);
        parameters.requireValid();
        return queries.history(new TelemetryQueries.History(tenant, device, incarnation(tenant, device),
                withinRetention(tenant, start), end, streamFilter, oldestFirst, pageSize, cursor));
    }

    @GET
    @Path("/devices/{device}/telemetry/latest")
    @Operation(summary = "The newest reading of each of the device's streams")
    public List<ReadingView> latestOfDevice(@PathParam("tenant") String tenant, @PathParam("device") String device)
            throws SQLException {
        access.readDevice(tenant, device);
        return visible(tenant, queries.latest(new TelemetryQueries.Latest(tenant, List.of(device), null, 1000, null,
                (id, sentBy) -> ofCurrentIncarnation(tenant + "/" + id, sentBy))).items());
    }

    @GET
    @Path("/telemetry/latest")
    @Operation(summary = "The newest reading per device and stream, of the whole tenant or one group")
    public Page<ReadingView> latest(@PathParam("tenant") String tenant, @QueryParam("group") String group,
            @QueryParam("stream") String stream, @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor) throws SQLException {
        access.read(tenant);
        QueryParameters parameters = new QueryParameters();
        String streamFilter = parameters.stream(stream);
        int pageSize = parameters.limit(limit);
        parameters.requireValid();
        List<String> devices = group == null ? null : directory.members(tenant, group);
        Page<ReadingView> page = queries.latest(new TelemetryQueries.Latest(tenant, devices, streamFilter, pageSize,
                cursor, (device, sentBy) -> ofCurrentIncarnation(tenant + "/" + device, sentBy)));
        return new Page<>(visible(tenant, page.items()), page.nextCursor());
    }

    @GET
    @Path("/devices/{device}/telemetry/aggregate")
    @Operation(summary = "Count, minimum, maximum and mean of a numeric JSON field per interval, for charts")
    public List<Bucket> aggregate(@PathParam("tenant") String tenant, @PathParam("device") String device,
            @QueryParam("field") String field, @QueryParam("every") String every, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("stream") String stream) throws SQLException {
        access.readDevice(tenant, device);
        QueryParameters parameters = new QueryParameters();
        List<String> path = parameters.field(field);
        Duration interval = parameters.every(every);
        Instant end = parameters.instant("to", to, Instant.now());
        Instant start = parameters.instant("from", from, end.minus(Duration.ofDays(1)));
        parameters.range(start, end);
        parameters.buckets(start, end, interval, config.maxBuckets());
        String streamFilter = parameters.stream(stream);
        parameters.requireValid();
        return queries.aggregate(new TelemetryQueries.Aggregate(tenant, device, incarnation(tenant, device), path,
                interval,
                withinRetention(tenant, start), end, streamFilter));
    }

    @GET
    @Path("/devices/{device}/telemetry/live")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "The device's readings as they arrive (Server-Sent Events)")
    public Multi<ReadingView> liveOfDevice(@PathParam("tenant") String tenant, @PathParam("device") String device,
            @QueryParam("stream") String stream) {
        access.readDevice(tenant, device);
        QueryParameters parameters = new QueryParameters();
        String streamFilter = parameters.stream(stream);
        parameters.requireValid();
        return live.follow(tenant, device, streamFilter).map(TelemetryResource::view);
    }

    @GET
    @Path("/telemetry/live")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "The tenant's readings as they arrive, of one device or stream if given (Server-Sent Events)")
    public Multi<ReadingView> live(@PathParam("tenant") String tenant, @QueryParam("device") String device,
            @QueryParam("stream") String stream) {
        access.read(tenant);
        QueryParameters parameters = new QueryParameters();
        String streamFilter = parameters.stream(stream);
        parameters.requireValid();
        return live.follow(tenant, device, streamFilter).map(TelemetryResource::view);
    }

    /** Readings before the tenant's retention may still be stored until their day's partition goes; never shown. */
    private Instant withinRetention(String tenant, Instant from) {
        Instant oldest = Instant.now().minus(config.retentionOf(tenant));
        return from.isBefore(oldest) ? oldest : from;
    }

    /**
     * The device's incarnation: a device deleted and created again with the same id is shown only its own readings
     * (and those that do not say which incarnation sent them).
     */
    private Instant incarnation(String tenant, String device) {
        return directory.find(tenant + "/" + device).map(RegistryDevice::createdAt).orElse(null);
    }

    /** A latest value is shown if its device is in the registry and this incarnation of it (or one not said) sent it. */
    private boolean ofCurrentIncarnation(String key, Instant sentBy) {
        return directory.find(key).map(device -> sentBy == null || device.createdAt() == null
                || sentBy.equals(device.createdAt())).orElse(false);
    }

    private List<ReadingView> visible(String tenant, List<ReadingView> readings) {
        Instant oldest = Instant.now().minus(config.retentionOf(tenant));
        return readings.stream().filter(reading -> !reading.receivedAt().isBefore(oldest)).toList();
    }

    private static ReadingView view(Reading reading) {
        return new ReadingView(reading.messageId(), reading.device(), reading.stream(), reading.receivedAt(),
                reading.contentType(), reading.json(),
                reading.bytes() == null ? null : Base64.getEncoder().encodeToString(reading.bytes()));
    }
}
