package io.useractions.research.cli;

/** Input the command cannot use; the message is one line naming the place. */
final class InputException extends Exception {
    InputException(String message) {
        super(message, null, false, false);
    }
}
