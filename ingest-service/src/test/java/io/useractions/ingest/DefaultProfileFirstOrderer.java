package io.useractions.ingest;

import java.util.Arrays;
import java.util.Comparator;

import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

/**
 * The order of this module's test classes within Quarkus' (which groups them by profile and orders the
 * groups by their first class here): the default profile's classes first, then those with a
 * {@code @TestProfile}, each by class name. The first profile starts the servers that both share
 * (LocalInfraTestResource) and only it can stop and restart them, as DependencyOutageTest and
 * StudyDatabaseTest do. Set as Quarkus' secondary orderer ({@code junit.quarkus.orderer.secondary-orderer})
 * in the pom.
 */
public class DefaultProfileFirstOrderer implements ClassOrderer {
    @Override
    public void orderClasses(ClassOrdererContext context) {
        context.getClassDescriptors().sort(Comparator.comparing(DefaultProfileFirstOrderer::hasTestProfile)
                .thenComparing(test -> test.getTestClass().getName()));
    }

    /** By name: the test class and the annotation may come from different class loaders. */
    private static boolean hasTestProfile(ClassDescriptor test) {
        return Arrays.stream(test.getTestClass().getAnnotations())
                .anyMatch(annotation -> annotation.annotationType().getName().equals("io.quarkus.test.junit.TestProfile"));
    }
}
