package io.useractions.research.heatmap;

import static io.useractions.research.heatmap.HeatmapRequestTest.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.useractions.infra.Postgres;
import io.useractions.research.export.TestDatabase;
import io.useractions.research.export.UnknownStudyException;

/** Heatmaps read from a real PostgreSQL: which samples land in which cell, with what weight, and the PNG. */
class HeatmapsTest {
    private static final String PAGE = "https://app/a";
    private static final String OTHER_PAGE = "https://app/b";

    private static Postgres postgres;

    @BeforeAll
    static void actions() throws Exception {
        postgres = TestDatabase.start("heatmap");
        try (Connection c = postgres.connect()) {
            Rows rows = new Rows(c);
            // clicks: 6 in cell (12,45) by two people, 2 in (30,8), 1 in (70,64); nothing right of x 400
            for (int i = 0; i < 5; i++) {
                rows.add("clicks", "p1", "s1", "A", PAGE, "click", 0, 123, 456, 1000);
            }
            rows.add("clicks", "p2", "s2", "A", PAGE, "click", 0, 125, 451, 1000);
            rows.add("clicks", "p2", "s2", "A", PAGE, "click", 0, 305, 88, 1000);
            rows.add("clicks", "p2", "s2", "A", PAGE, "click", 0, 309, 81, 1000);
            rows.add("clicks", "p3", "s3", "A", PAGE, "click", 0, 702, 640, 1000);
            rows.add("clicks", "p3", "s3", "A", PAGE, "pointermove", 0, 402, 500, 1000);

            // one click halfway across each of two viewports, one a quarter across, one without a viewport
            // width, one without page coordinates (client 320,40)
            rows.add("widths", "p1", "s1", "A", PAGE, "click", 0, 640, 100, 1280);
            rows.add("widths", "p2", "s2", "A", PAGE, "click", 0, 960, 100, 1920);
            rows.add("widths", "p3", "s3", "A", PAGE, "click", 0, 200, 300, 800);
            rows.add("widths", "p4", "s4", "A", PAGE, "click", 0, 50, 50, null);
            rows.addWithoutPage("widths", "p5", "s5", "A", PAGE, "click", 320, 40, 1280);
            rows.add("widths", "p1", "s1", "A", PAGE, "pointermove", 0, 10, 10, 1280);
            rows.add("widths", "p1", "s1", "A", PAGE, "pointermove", 16, 20, 10, 1280);

            // p1 rests 16 ms ten times in (1,1), 1,500 ms in (5,1), 5 minutes in (9,1), then leaves from (13,1);
            // a click in between is no movement. p2 moves on another page, with the seed's event name.
            for (int i = 0; i < 10; i++) {
                rows.add("dwell", "p1", "s1", "A", PAGE, "pointermove", i * 16, 15, 15, 1000);
            }
            rows.add("dwell", "p1", "s1", "A", PAGE, "pointermove", 160, 55, 15, 1000);
            rows.add("dwell", "p1", "s1", "A", PAGE, "click", 1000, 175, 15, 1000);
            rows.add("dwell", "p1", "s1", "A", PAGE, "pointermove", 1660, 95, 15, 1000);
            rows.add("dwell", "p1", "s1", "A", PAGE, "pointermove", 1660 + 300_000, 135, 15, 1000);
            rows.add("dwell", "p2", "s2", "A", OTHER_PAGE, "mousemove", 0, 15, 55, 1000);
            rows.add("dwell", "p2", "s2", "A", OTHER_PAGE, "mousemove", 100, 15, 95, 1000);

            // p1 clicks ten times in (2,2); p2 and p3 (condition B) once each in (7,7)
            for (int i = 0; i < 10; i++) {
                rows.add("people", "p1", "s1", "A", PAGE, "click", 0, 25, 25, 1000);
            }
            rows.add("people", "p2", "s2", "A", PAGE, "click", 0, 75, 75, 1000);
            rows.add("people", "p3", "s3", "B", PAGE, "click", 0, 75, 75, 1000);
        }
    }

    @AfterAll
    static void stop() {
        postgres.stop();
    }

    private static HeatGrid read(String... parameters) throws SQLException {
        try (Connection c = postgres.connect()) {
            return Heatmaps.read(c, HeatmapRequest.parse(query(parameters)));
        }
    }

    private static Map<List<Integer>, Double> weights(HeatGrid grid) {
        return grid.cells().stream().collect(Collectors.toMap(cell -> List.of(cell.col(), cell.row()),
                HeatGrid.Cell::weight));
    }

    private static Map<List<Integer>, Double> cells(Object... colRowWeight) {
        Map<List<Integer>, Double> cells = new HashMap<>();
        for (int i = 0; i < colRowWeight.length; i += 3) {
            cells.put(List.of((Integer) colRowWeight[i], (Integer) colRowWeight[i + 1]),
                    ((Number) colRowWeight[i + 2]).doubleValue());
        }
        return cells;
    }

    @Test
    void theHottestCellIsWhereTheMostClicksWereAndAnAreaNeverClickedStaysWhite() throws Exception {
        HeatGrid grid = read("study", "clicks", "width", "1000");
        assertEquals(cells(12, 45, 6, 30, 8, 2, 70, 64, 1), weights(grid));
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(HeatmapPng.png(grid)));
        HeatmapPng.Layout layout = HeatmapPng.layout(grid, null);
        assertEquals(1000, layout.areaWidth());
        assertEquals(650, layout.areaHeight());

        Rectangle hottest = null;
        int topPixels = 0;
        for (int y = 0; y < layout.areaHeight(); y++) {
            for (int x = 0; x < layout.areaWidth(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) == ColourScale.TOP) {
                    topPixels++;
                    hottest = hottest == null ? new Rectangle(x, y, 1, 1) : hottest.union(new Rectangle(x, y, 1, 1));
                }
            }
        }
        assertEquals(layout.cell(12, 45), hottest, "the top colour covers exactly the cell of the six clicks");
        assertEquals(100, topPixels);
        assertEquals(new Rectangle(120, 450, 10, 10), hottest);
        assertUniform(image, layout.cell(30, 8), ColourScale.colour(2 / 6.0));
        assertUniform(image, new Rectangle(400, 100, 290, 500), HeatmapPng.BACKGROUND);
    }

    @Test
    void relativeXPutsTheSameFractionOfDifferentViewportsInOneColumn() throws SQLException {
        HeatGrid relative = read("study", "widths", "width", "1000");
        assertEquals(cells(50, 10, 2, 25, 30, 1, 25, 4, 1), weights(relative),
                "x / vw at 1000 px; page coordinates, else client ones; no viewport width, no relative x");
        assertEquals(List.of(4L, 4L), List.of(relative.samples(), relative.participants()));

        HeatGrid absolute = read("study", "widths", "x", "absolute");
        assertEquals(cells(64, 10, 1, 96, 10, 1, 20, 30, 1, 5, 5, 1, 32, 4, 1), weights(absolute));
        assertEquals(5, absolute.samples());
        assertEquals(1280, HeatmapPng.layout(absolute, null).referenceWidth());
        assertEquals(970, (absolute.maxCol() + 1) * 10);
        assertEquals(1280, HeatmapPng.layout(absolute, null).areaWidth(), "the reference width holds the widest x");
    }

    @Test
    void theReferenceWidthIsTheMedianViewportWidthUnlessGiven() throws SQLException {
        HeatGrid grid = read("study", "widths");
        assertEquals(1280, grid.width(), "median of 800, 1280, 1280, 1920");
        assertEquals(cells(64, 10, 2, 32, 30, 1, 32, 4, 1), weights(grid));
        assertEquals(800, read("study", "widths", "vw", "768-1023").width());
    }

    @Test
    void viewportBucketsKeepScreenSizesApart() throws SQLException {
        HeatGrid desktop = read("study", "widths", "width", "1000", "vw", "1280-1439");
        assertEquals(cells(50, 10, 1, 25, 4, 1), weights(desktop));
        assertEquals(List.of(2L, 2L), List.of(desktop.samples(), desktop.participants()));
        assertEquals(cells(50, 10, 1), weights(read("study", "widths", "width", "1000", "vw", "1920-")));
        HeatGrid phone = read("study", "widths", "vw", "0-479");
        assertEquals(List.of(0L, 0L, List.of()), List.of(phone.samples(), phone.participants(), phone.cells()));
    }

    @Test
    void bucketsListWhatCanBeDrawnPerPageConditionAndViewport() throws SQLException {
        List<Heatmaps.Bucket> buckets;
        try (Connection c = postgres.connect()) {
            buckets = Heatmaps.buckets(c, "widths");
        }
        ViewportBucket desktop = ViewportBucket.parse("1280-1439");
        assertEquals(List.of(
                new Heatmaps.Bucket(PAGE, "A", ViewportBucket.parse("768-1023"), 1, 0, 1),
                new Heatmaps.Bucket(PAGE, "A", desktop, 2, 2, 2),
                new Heatmaps.Bucket(PAGE, "A", ViewportBucket.parse("1920-"), 1, 0, 1),
                new Heatmaps.Bucket(PAGE, "A", null, 1, 0, 1)), buckets);
        try (Connection c = postgres.connect()) {
            assertEquals(List.of(new Heatmaps.Bucket(PAGE, "A", ViewportBucket.parse("768-1023"), 1, 13, 1),
                    new Heatmaps.Bucket(OTHER_PAGE, "A", ViewportBucket.parse("768-1023"), 0, 2, 1)),
                    Heatmaps.buckets(c, "dwell"));
        }
    }

    @Test
    void aLongDwellOutweighsManyShortMovesAndIsCapped() throws SQLException {
        HeatGrid grid = read("study", "dwell", "kind", "move", "x", "absolute");
        assertEquals(cells(1, 1, 160, 5, 1, 1500, 9, 1, 2000, 1, 5, 100), weights(grid),
                "ten 16 ms rests, one of 1,500 ms, five minutes capped at 2,000; the last sample has no dwell");
        assertEquals(List.of(15L, 2L), List.of(grid.samples(), grid.participants()),
                "13 pointer moves and 2 mouse moves; the click is no movement");

        assertEquals(cells(1, 1, 160, 5, 1, 1000, 9, 1, 1000), weights(read("study", "dwell", "kind", "move",
                "x", "absolute", "max_dwell_ms", "1000", "url", PAGE)));
        assertEquals(cells(1, 1, 10, 5, 1, 1, 9, 1, 1, 13, 1, 1), weights(read("study", "dwell", "kind", "move",
                "x", "absolute", "weight", "count", "url", PAGE)));
    }

    @Test
    void participantsWeightCountsPeopleNotClicks() throws Exception {
        assertEquals(cells(2, 2, 10, 7, 7, 2), weights(read("study", "people", "width", "1000")));
        HeatGrid people = read("study", "people", "width", "1000", "weight", "participants");
        assertEquals(cells(2, 2, 1, 7, 7, 2), weights(people));
        BufferedImage image = HeatmapPng.render(people);
        HeatmapPng.Layout layout = HeatmapPng.layout(people, null);
        assertUniform(image, layout.cell(7, 7), ColourScale.TOP);
        assertUniform(image, layout.cell(2, 2), ColourScale.colour(0.5));
        assertEquals(cells(2, 2, 1, 7, 7, 1), weights(read("study", "people", "width", "1000", "weight",
                "participants", "condition", "A")));
    }

    @Test
    void theLegendStatesTheParticipantsAndSamplesOfTheSelection() throws SQLException {
        HeatGrid grid = read("study", "clicks", "width", "1000");
        assertEquals("3 participants, 9 samples, clicks by count", HeatmapPng.layout(grid, null).legend().get(0));
        assertEquals("page " + OTHER_PAGE, HeatmapPng.layout(read("study", "clicks", "url", OTHER_PAGE), null)
                .legend().get(3));
    }

    @Test
    void anEmptySelectionOfAKnownStudyIsAnEmptyHeatmap() throws Exception {
        HeatGrid grid = read("study", "clicks", "url", "https://app/never");
        assertEquals(List.of(0L, 0L, List.of()), List.of(grid.participants(), grid.samples(), grid.cells()));
        assertEquals(Heatmaps.FALLBACK_WIDTH, grid.width());
        HeatmapPng.Layout layout = HeatmapPng.layout(grid, null);
        assertEquals("0 participants, 0 samples, clicks by count", layout.legend().get(0));
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(HeatmapPng.png(grid)));
        assertEquals(layout.height(), image.getHeight());
        assertUniform(image, layout.area(), HeatmapPng.BACKGROUND);
    }

    @Test
    void anUnknownStudyIsAnError() throws SQLException {
        try (Connection c = postgres.connect()) {
            assertThrows(UnknownStudyException.class, () -> Heatmaps.read(c, HeatmapRequest.clicks("no-such-study")));
            assertThrows(UnknownStudyException.class, () -> Heatmaps.buckets(c, "no-such-study"));
        }
    }

    static void assertUniform(BufferedImage image, Rectangle r, int rgb) {
        assertTrue(r.width > 0 && r.height > 0, "an empty rectangle proves nothing");
        for (int y = r.y; y < r.y + r.height; y++) {
            for (int x = r.x; x < r.x + r.width; x++) {
                int found = image.getRGB(x, y) & 0xffffff;
                if (found != rgb) {
                    throw new AssertionError(String.format("pixel (%d, %d) is %06x, not %06x", x, y, found, rgb));
                }
            }
        }
    }

    /** Actions as the sink writes them: every one in ui_action, those with a position in mouse_position too. */
    private static final class Rows {
        private static final Instant START = Instant.parse("2026-12-01T10:00:00Z");
        private final PreparedStatement action;
        private final PreparedStatement position;
        private final Map<String, Long> seqs = new HashMap<>();

        Rows(Connection c) throws SQLException {
            action = c.prepareStatement("insert into ui_action (id, study, participant, session_id, condition, seq,"
                    + " type, client_time, t_mono, sent_at, received_at, server_time, clock_skew_ms, url, x, y, page_x,"
                    + " page_y, vw, src_partition, src_offset) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?,"
                    + " ?, ?, ?, 0, 0)");
            position = c.prepareStatement("insert into mouse_position (action_id, study, participant, session_id,"
                    + " condition, seq, type, client_time, server_time, t_mono, x, y, page_x, page_y, vw, src_partition,"
                    + " src_offset, src_index) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0)");
        }

        /** An action at page (pageX, pageY) of a page scrolled down by 500 px, the next seq of its session. */
        void add(String study, String participant, String session, String condition, String url, String type,
                 double tMono, double pageX, double pageY, Integer vw) throws SQLException {
            insert(study, participant, session, condition, url, type, tMono, pageX, pageY - 500, pageX, pageY, vw);
        }

        void addWithoutPage(String study, String participant, String session, String condition, String url,
                            String type, double x, double y, Integer vw) throws SQLException {
            insert(study, participant, session, condition, url, type, 0, x, y, null, null, vw);
        }

        private void insert(String study, String participant, String session, String condition, String url,
                            String type, double tMono, double x, double y, Double pageX, Double pageY, Integer vw)
                throws SQLException {
            UUID id = UUID.randomUUID();
            long seq = seqs.merge(study + "/" + session, 1L, Long::sum);
            Timestamp time = Timestamp.from(START.plusMillis((long) tMono));
            Object[] values = {id, study, participant, session, condition, seq, type, time, tMono, time, time, time,
                    url, x, y, pageX, pageY, vw};
            for (int i = 0; i < values.length; i++) {
                action.setObject(i + 1, values[i]);
            }
            action.executeUpdate();
            Object[] pointer = {id, study, participant, session, condition, seq, type, time, time, tMono, x, y, pageX,
                    pageY, vw};
            for (int i = 0; i < pointer.length; i++) {
                position.setObject(i + 1, pointer[i]);
            }
            position.executeUpdate();
        }
    }
}
