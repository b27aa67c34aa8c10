package io.useractions.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

class ServersTest {

    @AfterEach
    void clearSelector() {
        System.clearProperty(Servers.SELECTOR);
    }

    @Test
    void embeddedServersUnlessContainersAreSelected() {
        assertEquals(Servers.EMBEDDED, Servers.selected());
        System.setProperty(Servers.SELECTOR, Servers.CONTAINERS);
        assertEquals(Servers.CONTAINERS, Servers.selected());
    }

    @Test
    void unknownSelectorFails() {
        System.setProperty(Servers.SELECTOR, "docker");
        assertThrows(IllegalArgumentException.class, Servers::selected);
    }

    @Test
    void testsThatRestartServersAreSkippedOnContainers() {
        System.setProperty(Servers.SELECTOR, Servers.CONTAINERS);
        assertThrows(TestAbortedException.class, LocalInfraTestResource::infra);
    }
}
