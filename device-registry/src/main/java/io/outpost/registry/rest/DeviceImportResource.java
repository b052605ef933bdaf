package io.outpost.registry.rest;

import java.sql.SQLException;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.outpost.registry.service.AccessControl;
import io.outpost.registry.service.imports.DeviceImporter;
import io.outpost.registry.service.imports.ImportParser;
import io.outpost.registry.service.imports.ImportReport;
import io.quarkus.security.Authenticated;

@Path("/api/v1/tenants/{tenant}/devices/import")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Devices")
public class DeviceImportResource {
    public static final int MAX_ROWS = 10_000;

    @Inject
    AccessControl access;
    @Inject
    ImportParser parser;
    @Inject
    DeviceImporter importer;

    @POST
    @Consumes({ MediaType.APPLICATION_JSON, ImportParser.NDJSON, ImportParser.CSV })
    @Operation(summary = "Create up to 10,000 devices: valid rows are created whole, invalid ones reported by row and field",
            description = "JSON array, NDJSON (one device per line) or CSV with a header of id,enabled,labels,groups,"
                    + "secret,attributes (labels k=v;k=v, groups g1;g2). A row with a secret gets that credential "
                    + "(tenant-admin only, like every import).")
    public ImportReport importDevices(@PathParam("tenant") String tenantId,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, String body) throws SQLException {
        access.manageCredentials(tenantId);
        MediaType type = MediaType.valueOf(contentType);
        String mediaType = type.getType() + "/" + type.getSubtype();
        return importer.importRows(tenantId, parser.parse(mediaType, body, MAX_ROWS));
    }
}
