package io.useractions.e2e;

import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestClassOrder;

/**
 * The suites on the {@link SharedPipeline}, one after another in one JVM on one start of the servers and
 * apps (the build runs this class, not them). The order matters for what each reads of the others' data:
 * the round trip first, since its replays back-fill a new table from the whole raw topic and it expects
 * only its own actions there; the withdrawal before the suite that restarts everything and before the
 * study deletion, since it checks that every sealed record but the withdrawn participant's still opens; the
 * browsers after the withdrawal's replay, which would otherwise re-derive their sessions as well, and before
 * the suite that restarts the servers under the console they read.
 */
@TestClassOrder(ClassOrderer.OrderAnnotation.class)
class CorePipelineIT {
    @Nested
    @Order(1)
    class DerivedTableRoundTrip extends DerivedTableRoundTripIT {
    }

    @Nested
    @Order(2)
    class Withdrawal extends WithdrawalIT {
    }

    @Nested
    @Order(3)
    class StudyBrowser extends StudyBrowserIT {
    }

    @Nested
    @Order(4)
    class Pipeline extends PipelineIT {
    }

    @Nested
    @Order(5)
    class StudyLifecycle extends StudyLifecycleIT {
    }
}
