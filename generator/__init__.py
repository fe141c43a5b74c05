"""Tijdlijn: a static timeline website generator for dated news articles."""

__version__ = "0.1.0"
