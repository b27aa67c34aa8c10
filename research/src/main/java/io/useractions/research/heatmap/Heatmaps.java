package io.useractions.research.heatmap;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.useractions.research.export.UnknownStudyException;
import io.useractions.research.heatmap.HeatmapRequest.Kind;
import io.useractions.research.heatmap.HeatmapRequest.XMode;

/**
 * Click and movement density of a study, read from the two tables. PostgreSQL does the grouping, so only
 * cells (not samples) reach Java. Clicks are {@code ui_action} rows of type click; movement is the
 * {@code mouse_position} rows of {@link #MOVE_TYPES}, each weighted (for dwell) by the time until the
 * session's next movement sample. Positions are in the page frame, falling back to the client frame when
 * an action lacks page coordinates.
 */
public final class Heatmaps {
    /** Pointer movement as the logger names it, and as the seed's logger did. */
    public static final List<String> MOVE_TYPES = List.of("pointermove", "mousemove");
    /** The reference width when the selection has no viewport width at all. */
    public static final int FALLBACK_WIDTH = 1280;

    private static final String PAGE_X = "case when %1$s.page_x is not null and %1$s.page_y is not null"
            + " then %1$s.page_x else %1$s.x end";
    private static final String PAGE_Y = "case when %1$s.page_x is not null and %1$s.page_y is not null"
            + " then %1$s.page_y else %1$s.y end";

    // One row per click or movement sample: participant, condition, url, vw, x, y and step (ms to the next
    // movement sample of the session). The step is taken before any filter, so a page or condition filter
    // does not change what comes next.
    private static final String CLICKS = "select a.participant, a.condition, a.url, a.vw, " + PAGE_X.formatted("a")
            + " as x, " + PAGE_Y.formatted("a") + " as y, null::double precision as step"
            + " from ui_action a where a.study = ? and a.type = 'click'";
    // mouse_position has no url: the join to its action is made only for a page filter
    private static final String MOVES = "select m.participant, m.condition, %s as url, m.vw, " + PAGE_X.formatted("m")
            + " as x, " + PAGE_Y.formatted("m") + " as y,"
            + " lead(m.t_mono) over (partition by m.session_id order by m.seq) - m.t_mono as step"
            + " from mouse_position m%s where m.study = ? and m.type = any(?)";
    private static final String JOIN_ACTION = " join ui_action a on a.id = m.action_id";

    // A negative step is a page reload (t_mono restarts), not a dwell. Cells outside the drawable area
    // get a null column and row: the total counts them, no cell holds them.
    private static final String GRID = """
            with src as (%s),
            s as (select participant, x, y, vw, case when step >= 0 then least(step, ?) end as dwell
                    from src where x is not null and y is not null%s),
            w as (select coalesce(?::int, case when median is not null then least(%d, greatest(%d, median)) end, %d)
                           as width
                    from (select round(percentile_cont(0.5) within group (order by vw))::int as median
                            from s where vw > 0) m),
            p as (select s.participant, s.dwell, s.y, w.width,
                         case when ? then s.x / nullif(s.vw, 0) * w.width else s.x end as px
                    from s cross join w where s.vw > 0 or not ?),
            c as (select participant, dwell, px >= 0 and px < case when ? then width else %d end
                           and y >= 0 and y < %d as inside, px, y
                    from p),
            cells as (select participant, dwell, case when inside then floor(px / ?)::int end as col,
                             case when inside then floor(y / ?)::int end as row
                        from c)
            select grouping(col, row) <> 0 as total, col, row, count(*), count(distinct participant),
                   coalesce(sum(dwell), 0), (select width from w)
              from cells group by grouping sets ((col, row), ())
            """;

    private static final String BUCKETS = "select url, condition, width_bucket(vw, ?::int[]) as bucket,"
            + " count(*) filter (where click), count(*) filter (where not click), count(distinct participant)"
            + " from (select url, condition, vw, participant, true as click from (" + CLICKS + ") c"
            + " where x is not null and y is not null"
            + " union all select a.url, m.condition, m.vw, m.participant, false from mouse_position m" + JOIN_ACTION
            + " where m.study = ? and m.type = any(?)) u"
            + " group by 1, 2, 3 order by 1, 2, 3";

    /**
     * What can be drawn for one page, condition and viewport bucket.
     *
     * @param viewport       null for actions without a viewport width
     * @param clicks         clicks with a position
     * @param pointerSamples movement samples
     * @param participants   distinct participants with either
     */
    public record Bucket(String url, String condition, ViewportBucket viewport, long clicks, long pointerSamples,
                         long participants) {
    }

    private Heatmaps() {
    }

    /** The request's cells; an empty selection of a known study is an empty grid, not an error. */
    public static HeatGrid read(Connection c, HeatmapRequest request) throws SQLException {
        requireStudy(c, request.study());
        boolean relative = request.x() == XMode.RELATIVE;
        StringBuilder filter = new StringBuilder();
        List<Object> filterArgs = new ArrayList<>();
        if (request.url() != null) {
            filter.append(" and url = ?");
            filterArgs.add(request.url());
        }
        if (request.condition() != null) {
            filter.append(" and condition = ?");
            filterArgs.add(request.condition());
        }
        if (request.viewport() != null) {
            filter.append(" and vw >= ?");
            filterArgs.add(request.viewport().min());
            if (request.viewport().max() != null) {
                filter.append(" and vw <= ?");
                filterArgs.add(request.viewport().max());
            }
        }
        String source = request.kind() == Kind.CLICK ? CLICKS
                : request.url() == null ? MOVES.formatted("null::text", "") : MOVES.formatted("a.url", JOIN_ACTION);
        String sql = GRID.formatted(source, filter, HeatmapRequest.MAX_WIDTH,
                HeatmapRequest.MIN_WIDTH, FALLBACK_WIDTH, HeatmapRequest.MAX_WIDTH, HeatmapPng.MAX_HEIGHT);
        List<HeatGrid.Cell> cells = new ArrayList<>();
        long participants = 0;
        long samples = 0;
        long outside = 0;
        int width = FALLBACK_WIDTH;
        try (PreparedStatement s = c.prepareStatement(sql)) {
            int i = 0;
            s.setString(++i, request.study());
            if (request.kind() == Kind.MOVE) {
                s.setArray(++i, c.createArrayOf("text", MOVE_TYPES.toArray()));
            }
            s.setInt(++i, request.maxDwellMs());
            for (Object arg : filterArgs) {
                s.setObject(++i, arg);
            }
            s.setObject(++i, request.width(), Types.INTEGER);
            s.setBoolean(++i, relative);
            s.setBoolean(++i, relative);
            s.setBoolean(++i, relative);
            s.setInt(++i, request.cell());
            s.setInt(++i, request.cell());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    width = rs.getInt(7);
                    if (rs.getBoolean(1)) {
                        samples = rs.getLong(4);
                        participants = rs.getLong(5);
                        continue;
                    }
                    if (rs.getObject(2) == null) {
                        outside = rs.getLong(4);
                        continue;
                    }
                    double weight = switch (request.weight()) {
                        case COUNT -> rs.getLong(4);
                        case PARTICIPANTS -> rs.getLong(5);
                        case DWELL -> rs.getDouble(6);
                    };
                    if (weight > 0) {
                        cells.add(new HeatGrid.Cell(rs.getInt(2), rs.getInt(3), weight));
                    }
                }
            }
        }
        return new HeatGrid(request, width, participants, samples, outside, cells);
    }

    /** Every page, condition and viewport bucket of the study with a click or movement sample. */
    public static List<Bucket> buckets(Connection c, String study) throws SQLException {
        requireStudy(c, study);
        List<Bucket> buckets = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(BUCKETS)) {
            s.setArray(1, c.createArrayOf("integer",
                    Arrays.stream(ViewportBucket.BREAKPOINTS).boxed().toArray()));
            s.setString(2, study);
            s.setString(3, study);
            s.setArray(4, c.createArrayOf("text", MOVE_TYPES.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    int index = rs.getInt(3);
                    ViewportBucket viewport = rs.wasNull() || index < 1 ? null : ViewportBucket.ALL.get(index - 1);
                    buckets.add(new Bucket(rs.getString(1), rs.getString(2), viewport, rs.getLong(4), rs.getLong(5),
                            rs.getLong(6)));
                }
            }
        }
        return buckets;
    }

    private static void requireStudy(Connection c, String study) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select exists (select 1 from ui_action where study = ?)")) {
            s.setString(1, study);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    throw new UnknownStudyException(study);
                }
            }
        }
    }
}
