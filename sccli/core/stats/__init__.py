"""`sc stats`: the counts of a user's tracks over time.

store.py keeps the snapshots (SQLite), snapshot.py takes one, series.py turns them into
changes and sparklines, report.py builds the HTML page, export.py appends to a CSV.
"""

METRICS = ("plays", "likes", "reposts", "comments", "downloads")
