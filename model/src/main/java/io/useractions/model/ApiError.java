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
}
