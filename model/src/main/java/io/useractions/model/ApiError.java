package io.useractions.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The body of every error answer of the ingest service and the processor's admin API. {@code error} is a
 * stable code, {@code field} the JSON path or parameter at fault (absent when the problem is the request
 * as a whole), {@code message} a sentence for people, {@code retry_after_s} (absent unless retrying helps)
 * the {@code Retry-After} header's value.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(int status, String error, String field, String message,
        @JsonProperty("retry_after_s") Integer retryAfterSeconds) {

    public static ApiError of(int status, String error, String message) {
        return new ApiError(status, error, null, message, null);
    }

    /**
     * The code of a refusal the HTTP framework made itself, by its status (an unknown path, a wrong method or
     * media type), the same in every service.
     */
    public static String code(int status) {
        return switch (status) {
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 413 -> "payload_too_large";
            case 415 -> "unsupported_media_type";
            default -> status >= 500 ? "server_error" : "bad_request";
        };
    }
}
