package io.useractions.model;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

class TextFormatsTest {

    /** Every text of {@code accepted} passes {@code format}, none of {@code refused} does. */
    private static void check(Predicate<String> format, List<String> accepted, List<String> refused) {
        accepted.forEach(text -> assertTrue(format.test(text), "should accept " + text));
        refused.forEach(text -> assertFalse(format.test(text), "should refuse " + text));
    }

    @Test
    void studyStartsWithALetterOrDigitAndKeepsToItsCharacters() {
        check(TextFormats.STUDY, List.of("demo-2.b_c", "7"), List.of("-demo", "de mo", "démo", "demo:1"));
    }

    @Test
    void sessionAllowsColonsButNoSpaces() {
        check(TextFormats.SESSION, List.of("a:b.c_d-e", "-"), List.of("a b", "a/b"));
    }

    @Test
    void typeStartsWithALetter() {
        check(TextFormats.TYPE, List.of("trial:start"), List.of("1click", "click!"));
    }

    @Test
    void printableRefusesAsciiControlCharactersOnly() {
        check(TextFormats.PRINTABLE, List.of("Zoë 😀 ü"), List.of("a\tb", "a\u007Fb", "\u0000"));
    }

    @Test
    void uuidIsEightFourFourFourTwelveAsciiHexDigits() {
        check(TextFormats.UUID, List.of("0b6c3c1e-8a4f-4a53-9d3e-2f1f6f7c0a01", "0B6C3C1E-8A4F-4A53-9D3E-2F1F6F7C0A01"),
                List.of("0b6c3c1e-8a4f-4a53-9d3e-2f1f6f7c0a0", "0b6c3c1e8a4f-4a53-9d3e-2f1f6f7c0a01-",
                        "0b6c3c1e-8a4f-4a53-9d3e-2f1f6f7c0a0g", "０b6c3c1e-8a4f-4a53-9d3e-2f1f6f7c0a01"));
    }
}
