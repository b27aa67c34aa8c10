package io.useractions.model;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The element an action happened on. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Target(String id, String selector, Map<String, String> attrs) {
}
