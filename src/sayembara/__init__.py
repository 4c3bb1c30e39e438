"""Sayembara: the open system for public-service innovation and performance awards."""

__version__ = "0.1.0"
