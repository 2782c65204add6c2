"""What the sources deliver and how it may be read, for every room that reads a landed file: the
source contracts as plain data (contracts.py), the source registry the governance board keeps in
config/sources.yml (registry.py: which sources are approved, which fields may be read), and reading
a file by the common rules of sources.md (reading.py, with DuckDB's fast path in plain_reading.py).

Ingestion, privacy (requests.csv) and reporting (returned workbooks) import it; it imports only the
low modules (settings, the warehouse's table layout)."""
