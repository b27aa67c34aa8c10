package io.useractions.console;

import static io.restassured.RestAssured.given;
import static io.useractions.console.ConsoleTests.admin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;

import javax.imageio.ImageIO;
import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.useractions.infra.LocalInfraTestResource;
import io.useractions.research.heatmap.ColourScale;
import io.useractions.research.heatmap.HeatmapPng;

/** Heatmaps over HTTP: the PNG of known clicks, the choices, and every kind of bad input as a JSON error. */
@QuarkusTest
@WithTestResource(LocalInfraTestResource.class)
class HeatmapResourceTest {
    private static final String STUDY = "console-heat";

    @Inject
    DataSource dataSource;

    /** Three clicks at (205, 305), one at (605, 105), by two participants, on a 1000 px wide viewport. */
    @BeforeEach
    void clicks() throws SQLException, IOException {
        ConsoleTests.replaceRows(dataSource, STUDY, s -> {
            int[][] clicks = {{1, 205, 305}, {2, 205, 305}, {3, 205, 305}, {4, 605, 105}};
            for (int[] click : clicks) {
                s.execute("insert into ui_action (id, study, participant, session_id, condition, seq, type,"
                        + " client_time, t_mono, sent_at, received_at, server_time, clock_skew_ms, url, x, y,"
                        + " page_x, page_y, vw, vh, src_partition, src_offset) values (gen_random_uuid(), '"
                        + STUDY + "', 'p-" + (click[0] % 2) + "', 's-" + (click[0] % 2) + "', 'A', " + click[0]
                        + ", 'click', now(), 0, now(), now(), now(), 0, 'https://study/task', " + click[1] + ", "
                        + click[2] + ", " + click[1] + ", " + click[2] + ", 1000, 800, 0, 0)");
            }
        });
    }

    @Test
    void theHottestCellIsWhereMostClicksWereAndAnUnclickedAreaStaysEmpty() throws IOException {
        byte[] png = admin().queryParam("x", "absolute").queryParam("cell", "10")
                .get("/api/v1/studies/" + STUDY + "/heatmap.png").then().statusCode(200).contentType("image/png")
                .header("X-UAL-Participants", "2").header("X-UAL-Samples", "4")
                .header("Content-Disposition", containsString("console-heat-click-heatmap.png"))
                .extract().asByteArray();
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(ColourScale.TOP, rgb(image, 205, 305), "three clicks: the hottest cell");
        assertEquals(ColourScale.colour(1 / 3.0), rgb(image, 605, 105), "one click: a third of the hottest");
        for (int y = 0; y < 310; y++) {
            for (int x = 0; x < 1000; x++) {
                boolean clicked = y / 10 == 30 && x / 10 == 20 || y / 10 == 10 && x / 10 == 60;
                if (!clicked) {
                    assertEquals(HeatmapPng.BACKGROUND, rgb(image, x, y), "never clicked: " + x + "," + y);
                }
            }
        }
    }

    @Test
    void theChoicesNameEachPageConditionAndViewportWidth() {
        admin().get("/api/v1/studies/" + STUDY + "/heatmaps").then().statusCode(200)
                .body("buckets.url", hasItem("https://study/task"))
                .body("buckets[0].vw", equalTo("768-1023"))
                .body("buckets[0].clicks", equalTo(4))
                .body("buckets[0].participants", equalTo(2));
    }

    @Test
    void aScreenshotUploadedOrNamedUnderTheHeatmapShowsWhereNoHeatIs() throws IOException {
        BufferedImage screenshot = new BufferedImage(2000, 1600, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 1600; y++) {
            for (int x = 0; x < 2000; x++) {
                screenshot.setRGB(x, y, 0x3366cc);
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        ImageIO.write(screenshot, "png", body);
        byte[] uploaded = admin().queryParam("width", "1000").queryParam("x", "absolute").contentType("image/png")
                .body(body.toByteArray()).post("/api/v1/studies/" + STUDY + "/heatmap.png").then().statusCode(200)
                .contentType("image/png").extract().asByteArray();
        Files.createDirectories(Path.of("target", "test-screenshots"));
        Files.write(Path.of("target", "test-screenshots", "task-page.png"), body.toByteArray());
        byte[] named = admin().queryParam("width", "1000").queryParam("x", "absolute").queryParam("image", "task-page.png")
                .get("/api/v1/studies/" + STUDY + "/heatmap.png").then().statusCode(200).extract().asByteArray();
        for (byte[] png : List.of(uploaded, named)) {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
            assertEquals(0x3366cc, rgb(image, 900, 799), "the screenshot, 2000 x 1600 shown at 1000 x 800, "
                    + "where no one clicked");
            int hot = rgb(image, 205, 305);
            assertNotEquals(0x3366cc, hot, "the hottest cell drawn over it");
            assertNotEquals(ColourScale.TOP, hot, "blended with the screenshot");
        }
    }

    @Test
    void badInputIsAClearJsonErrorNeverA5xx() {
        String png = "/api/v1/studies/" + STUDY + "/heatmap.png";
        admin().get("/api/v1/studies/no-such-study/heatmap.png").then().statusCode(404)
                .contentType("application/json").body("message", containsString("unknown study 'no-such-study'"));
        admin().queryParam("kind", "hover").get(png).then().statusCode(400).contentType("application/json")
                .body("message", containsString("kind: 'hover' is not one of click, move"));
        admin().queryParam("cell", "1").get(png).then().statusCode(400).body("message", containsString("cell"));
        admin().queryParam("weight", "dwell").get(png).then().statusCode(400)
                .body("message", containsString("weight: dwell applies to kind=move only"));
        admin().queryParam("vw", "1000-1100").get(png).then().statusCode(400).body("message", containsString("vw"));
        admin().queryParam("colour", "red").get(png).then().statusCode(400).body("message", containsString("colour"));
        admin().queryParam("image", "../../etc/passwd").get(png).then().statusCode(400)
                .body("message", containsString("is not a file name"));
        admin().queryParam("image", "no-such-page.png").get(png).then().statusCode(404)
                .contentType("application/json").body("error", equalTo("unknown_screenshot"))
                .body("message", containsString("no screenshot named 'no-such-page.png'"));
        admin().contentType("application/json").body("{\"not\": \"an image\"}").post(png).then().statusCode(400)
                .contentType("application/json").body("message", containsString("overlay:"));
        admin().contentType("image/png").body(new byte[0]).post(png).then().statusCode(400)
                .body("message", containsString("empty"));
        admin().contentType("image/png").body(new byte[11 * 1024 * 1024]).post(png).then().statusCode(413)
                .contentType("application/json").body("error", equalTo("payload_too_large"))
                .body("message", containsString("more than the limit"));
        given().get(png).then().statusCode(401);
    }

    private static int rgb(BufferedImage image, int x, int y) {
        return image.getRGB(x, y) & 0xffffff;
    }
}
