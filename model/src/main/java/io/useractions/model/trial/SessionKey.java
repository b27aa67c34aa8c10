package io.useractions.model.trial;

/** A session of one participant in one study; condition as logged with it (may be null). */
public record SessionKey(String study, String participant, String sessionId, String condition) {
}
