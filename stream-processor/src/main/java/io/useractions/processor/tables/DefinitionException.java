package io.useractions.processor.tables;

/** A derived table's definition that cannot be used: the message names the file (or class), the line and the problem. */
public final class DefinitionException extends RuntimeException {
    public DefinitionException(String message) {
        super(message);
    }
}
