package io.useractions.model;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TextFormatsTest {

    @Test
    void studyStartsWithALetterOrDigitAndKeepsToItsCharacters() {
        assertTrue(TextFormats.STUDY.test("demo-2.b_c"));
        assertTrue(TextFormats.STUDY.test("7"));
        assertFalse(TextFormats.STUDY.test("-demo"));
        assertFalse(TextFormats.STUDY.test("de mo"));
        assertFalse(TextFormats.STUDY.test("démo"));
        assertFalse(TextFormats.STUDY.test("demo:1"));
    }

    @Test
    void sessionAllowsColonsButNoSpaces() {
        assertTrue(TextFormats.SESSION.test("a:b.c_d-e"));
        assertTrue(TextFormats.SESSION.test("-"));
        assertFalse(TextFormats.SESSION.test("a b"));
        assertFalse(TextFormats.SESSION.test("a/b"));
    }

    @Test
    void typeStartsWithALetter() {
        assertTrue(TextFormats.TYPE.test("trial:start"));
        assertFalse(TextFormats.TYPE.test("1click"));
        assertFalse(TextFormats.TYPE.test("click!"));
    }

    @Test
    void printableRefusesAsciiControlCharactersOnly() {
        assertTrue(TextFormats.PRINTABLE.test("Zoë 😀 ü"));
        assertFalse(TextFormats.PRINTABLE.test("a\tb"));
        assertFalse(TextFormats.PRINTABLE.test("a\u007Fb"));
        assertFalse(TextFormats.PRINTABLE.test("\u0000"));
    }

    @Test
    void uuidIsEightFourFourFourTwelveAsciiHexDigits() {
        assertTrue(TextFormats.UUID.test("0b6c3c1e-8a4f-4a53-9d3e-2f1f6f7c0a01"));
        assertTrue(TextFormats.UUID.test("0B6C3C1E-8A4F-4A53-9D3E-2F1F6F7C0A01"));
        assertFalse(TextFormats.UUID.test("0b6c3c1e-8a4f-4a53-9d3e-2f1f6f7c0a0"));
        assertFalse(TextFormats.UUID.test("0b6c3c1e8a4f-4a53-9d3e-2f1f6f7c0a01-"));
        assertFalse(TextFormats.UUID.test("0b6c3c1e-8a4f-4a53-9d3e-2f1f6f7c0a0g"));
        assertFalse(TextFormats.UUID.test("０b6c3c1e-8a4f-4a53-9d3e-2f1f6f7c0a01"));
    }
}
