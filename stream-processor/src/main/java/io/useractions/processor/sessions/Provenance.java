package io.useractions.processor.sessions;

/** Where in the raw topic an action is: its record's partition and offset, and its index in the record. */
record Provenance(int partition, long offset, int index) {
}
