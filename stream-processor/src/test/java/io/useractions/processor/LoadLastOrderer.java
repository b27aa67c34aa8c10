package io.useractions.processor;

import java.util.Comparator;

import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

/**
 * The order of this module's test classes within Quarkus' (which groups them by profile): by class name,
 * except that {@link OffsetFenceTest} goes last. Its load leaves ~20,000 records on the raw topic, which
 * every later replay in the JVM (ReplayTest, StudyAdminTest, WithdrawalTest, ...) would read again.
 * Set as Quarkus' secondary orderer ({@code junit.quarkus.orderer.secondary-orderer}) in the pom.
 */
public class LoadLastOrderer implements ClassOrderer {
    @Override
    public void orderClasses(ClassOrdererContext context) {
        context.getClassDescriptors().sort(Comparator
                .comparing((ClassDescriptor test) -> test.getTestClass().getName().equals(OffsetFenceTest.class.getName()))
                .thenComparing(test -> test.getTestClass().getName()));
    }
}
