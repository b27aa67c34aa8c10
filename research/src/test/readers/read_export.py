# Reads every CSV of an export with pandas and no hints, as a researcher would, and prints one line a
# column: table, column, the dtype pandas chose, rows, missing values, and whether every present value
# parses as a UTC time (for the test to hold the time columns to it).
import sys
import pandas as pd

for path in sys.argv[1:]:
    table = path.rsplit("/", 1)[-1][:-len(".csv")]
    frame = pd.read_csv(path)
    for column in frame.columns:
        values = frame[column]
        present = values.dropna()
        try:
            times = pd.to_datetime(present, utc=True) if present.dtype == object else None
            parses_as_time = times is not None and len(present) > 0 and not times.isna().any()
        except (ValueError, TypeError):
            parses_as_time = False
        print(f"{table}\t{column}\t{values.dtype}\t{len(frame)}\t{values.isna().sum()}\t{parses_as_time}")
