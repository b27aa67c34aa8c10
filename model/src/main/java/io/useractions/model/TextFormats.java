package io.useractions.model;

import java.util.function.Predicate;

/**
 * The character rules of the wire format as plain loops: every string of every action passes through
 * them at ingest and again in the processor, where regular expressions cost a tenth of the CPU.
 */
final class TextFormats {
    /** {@code [A-Za-z0-9][A-Za-z0-9._-]*} */
    static final Predicate<String> STUDY = text -> isAlphanumeric(text.charAt(0)) && all(text, 1, "._-");
    /** {@code [A-Za-z0-9._:-]+} */
    static final Predicate<String> SESSION = text -> all(text, 0, "._:-");
    /** {@code [A-Za-z][A-Za-z0-9_.:-]*} */
    static final Predicate<String> TYPE = text -> isLetter(text.charAt(0)) && all(text, 1, "_.:-");
    /** No ASCII control character ({@code [^\p{Cntrl}]+}). */
    static final Predicate<String> PRINTABLE = TextFormats::printable;
    /** 8-4-4-4-12 hexadecimal digits. */
    static final Predicate<String> UUID = TextFormats::uuid;

    private TextFormats() {
    }

    private static boolean all(String text, int from, String extra) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!isAlphanumeric(c) && extra.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean printable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                return false;
            }
        }
        return true;
    }

    private static boolean uuid(String text) {
        if (text.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = text.charAt(i);
            boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
            if (dash ? c != '-' : Character.digit(c, 16) < 0 || c > 'f') {
                return false;
            }
        }
        return true;
    }

    private static boolean isLetter(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    private static boolean isAlphanumeric(char c) {
        return isLetter(c) || (c >= '0' && c <= '9');
    }
}
