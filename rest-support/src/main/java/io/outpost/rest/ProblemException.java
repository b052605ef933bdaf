package io.outpost.rest;

import java.util.List;

/** Ends a request with a problem+json answer. */
public class ProblemException extends RuntimeException {
    private final int status;
    private final String title;
    private final List<FieldError> errors;

    public ProblemException(int status, String title, String detail, List<FieldError> errors) {
        super(detail);
        this.status = status;
        this.title = title;
        this.errors = List.copyOf(errors);
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(404, "Not found", detail, List.of());
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(403, "Forbidden", detail, List.of());
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(409, "Conflict", detail, List.of());
    }

    public static ProblemException invalid(List<FieldError> errors) {
        String detail = errors.size() == 1
                ? errors.get(0).field() + ": " + errors.get(0).detail()
                : errors.size() + " fields are invalid";
        return new ProblemException(400, "Invalid request", detail, errors);
    }

    public static ProblemException invalid(String field, String detail) {
        return invalid(List.of(new FieldError(field, detail)));
    }

    public static ProblemException preconditionFailed(String detail) {
        return new ProblemException(412, "Precondition failed", detail, List.of());
    }

    /** 503 while this instance's registry view has not caught up: it cannot yet tell whether a device exists. */
    public static ProblemException registryLoading() {
        return new ProblemException(503, "Service unavailable",
                "this instance is still reading the device registry; try again in a few seconds", List.of());
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public List<FieldError> errors() {
        return errors;
    }
}
