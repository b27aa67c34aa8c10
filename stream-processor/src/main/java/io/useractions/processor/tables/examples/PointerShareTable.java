package io.useractions.processor.tables.examples;

import jakarta.enterprise.context.ApplicationScoped;

import io.useractions.model.Action;
import io.useractions.processor.tables.DerivedTable;
import io.useractions.processor.tables.SqlType;
import io.useractions.processor.tables.TableDefinition;

/**
 * A derived table written in Java, for values a declaration cannot compute: where the pointer is as a
 * share of the viewport (0 at the left or top edge, 1 at the right or bottom), so that positions from
 * screens of different sizes can be pooled, and in which third of the viewport it is. One row per action
 * with a pointer position and a known viewport.
 */
@ApplicationScoped
public class PointerShareTable implements TableDefinition {

    @Override
    public DerivedTable table() {
        return DerivedTable.named("pointer_share")
                .holding(PointerShareTable::hasViewport, "pointer actions with a viewport size")
                .column("x_share", SqlType.DOUBLE, "x / vw", row -> share(row.action().x(), row.action().vw()))
                .column("y_share", SqlType.DOUBLE, "y / vh", row -> share(row.action().y(), row.action().vh()))
                .column("region", SqlType.TEXT, "thirds of the viewport", row -> region(row.action()))
                .version("1")
                .build();
    }

    private static boolean hasViewport(Action action) {
        return action.hasPointer() && action.vw() != null && action.vh() != null && action.vw() > 0
                && action.vh() > 0;
    }

    private static Double share(Double position, Integer size) {
        return position / size;
    }

    /** {@code top-left} to {@code bottom-right}, by thirds of the viewport. */
    private static String region(Action action) {
        String[] rows = {"top", "middle", "bottom"};
        String[] columns = {"left", "centre", "right"};
        return rows[third(action.y() / action.vh())] + "-" + columns[third(action.x() / action.vw())];
    }

    private static int third(double share) {
        return Math.max(0, Math.min(2, (int) Math.floor(share * 3)));
    }
}
