package io.useractions.study;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class StudyAppTest {

    @Test
    void pageLoggerAndConfigAreServed() {
        given().get("/").then().statusCode(200).body(containsString("<script src=\"UserLogger.js\"></script>"));
        given().get("/UserLogger.js").then().statusCode(200).body(containsString("UserLogger"));
        given().get("/config.js").then().statusCode(200).contentType("application/javascript")
                .body(containsString("\"endpoint\":\"http://127.0.0.1:8080/v1/batches?key=demo-local-dev-key\""))
                .body(containsString("\"conditions\":[\"A\",\"B\"]"));
    }

    @Test
    void aKnownParticipantKeepsTheirCondition() {
        String first = given().queryParam("participant", "same-1").post("/api/assignment").then().extract()
                .path("condition");
        for (int i = 0; i < 3; i++) {
            assertEquals(first, given().queryParam("participant", "same-1").post("/api/assignment").then().extract()
                    .path("condition"));
        }
    }

    @Test
    void anonymousVisitorGetsAGeneratedParticipantCode() {
        String participant = given().post("/api/assignment").then().statusCode(200).extract().path("participant");
        assertEquals(10, participant.length());
    }
}
