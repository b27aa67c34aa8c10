package io.useractions.research.heatmap;

import java.util.List;

/**
 * A heatmap's data: the weight of every cell that has any, in the request's cell size. Cell (col, row)
 * covers x in [col·cell, (col+1)·cell) of the drawing (relative x already scaled to {@link #width}) and page
 * y in [row·cell, (row+1)·cell).
 *
 * @param width        the reference width in px (given or the median viewport width)
 * @param participants distinct participants among the selected samples
 * @param samples      selected samples (clicks or pointer moves), drawn or not
 * @param outside      selected samples that fall outside the drawable area (x left of 0 or past the width,
 *                     y above 0 or below {@link HeatmapPng#MAX_HEIGHT}), counted but not in a cell
 */
public record HeatGrid(HeatmapRequest request, int width, long participants, long samples, long outside,
                       List<Cell> cells) {

    /** One cell with a positive weight: a count, a number of participants or a dwell time in ms. */
    public record Cell(int col, int row, double weight) {
    }

    public HeatGrid {
        if (width < 1) {
            throw new IllegalArgumentException("width " + width + " is not positive");
        }
        cells = List.copyOf(cells);
    }

    /** The lowest row with any weight, or -1 when there is none. */
    public int maxRow() {
        return cells.stream().mapToInt(Cell::row).max().orElse(-1);
    }

    public int maxCol() {
        return cells.stream().mapToInt(Cell::col).max().orElse(-1);
    }

    /** The hottest cell's weight, 0 when there is none. */
    public double maxWeight() {
        return cells.stream().mapToDouble(Cell::weight).max().orElse(0);
    }
}
