"""Pages of the data lifecycle: imports, archive and register, rights."""
