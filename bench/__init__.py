"""Performance measurement of ISCG: data generator, load scenario, figures (see README.md)."""
