"""Worker screens of the files."""
