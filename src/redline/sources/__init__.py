"""Loaders: turn files (bundled reference data, official lists) into model objects."""
