package io.useractions.ingest;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import io.useractions.infra.LocalInfraTestResource;
import io.useractions.model.corpus.SampleBatches;
import io.useractions.model.Action;
import io.useractions.model.Limits;
import io.useractions.model.RawRecords;
import io.useractions.model.Topics;
import io.useractions.testing.TopicReader;

/** Sends batches with the demo key and reads back what reached the raw topic. */
public final class TestBatches {
    private TestBatches() {
    }

    /** A request with the demo study's write key. */
    public static RequestSpecification api() {
        return RestAssured.given().queryParam("key", SampleBatches.KEY);
    }

    /** The session's raw records, read until they hold at least {@code expected} actions (10 s at most). */
    public static List<ConsumerRecord<String, byte[]>> recordsOf(String session, int expected) {
        return await("raw records of " + session).atMost(Duration.ofSeconds(10)).until(
                () -> TopicReader.of(LocalInfraTestResource.infra().kafkaClientConfig()).toEnd(Topics.RAW).stream()
                        .filter(record -> session.equals(record.key())).toList(),
                found -> actionsIn(found).size() >= expected);
    }

    /** The actions of raw records, in order. */
    public static List<Action> actionsIn(List<ConsumerRecord<String, byte[]>> records) {
        List<Action> actions = new ArrayList<>();
        records.forEach(record -> actions.addAll(RawRecords.decode(record.value(), Limits.DEFAULT).actions()));
        return actions;
    }
}
