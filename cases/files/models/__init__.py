"""Models of the files; ``cases.models`` gathers them with the others."""
