package io.useractions.processor.topology;

import java.time.Duration;

import io.useractions.model.trial.TrialMarkers;
import io.useractions.processor.sessions.Sessions;

/**
 * How the trial and session tables are kept (see {@link io.useractions.processor.sessions.Sessions}).
 *
 * @param emitInterval how often the summaries of the sessions that changed are written, and idle
 *                     sessions looked for (wall clock)
 */
public record SessionSettings(TrialMarkers markers, Sessions.Windows windows, Duration emitInterval) {
}
