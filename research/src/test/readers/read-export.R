# Reads every CSV of an export with readr and no column specification, as a researcher would, and prints
# one line a column: table, column, the class readr chose, rows, missing values.
suppressMessages(library(readr))
for (path in commandArgs(trailingOnly = TRUE)) {
  table <- sub("\\.csv$", "", basename(path))
  frame <- read_csv(path, show_col_types = FALSE, progress = FALSE)
  for (column in names(frame)) {
    values <- frame[[column]]
    cat(table, column, class(values)[1], nrow(frame), sum(is.na(values)), sep = "\t")
    cat("\n")
  }
}
