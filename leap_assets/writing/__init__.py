"""Writing outputs safely, for every room that publishes or exports: files replaced atomically
(files.py), names and paths built from hostile text (names.py), text written as text in spreadsheet
and CSV cells, never as a formula (cells.py). Of LEAP it imports only the file permissions (permissions.py)."""
