"""Redline: may a US person buy, sell or hold this security, under which restriction, since when, on what authority."""

__version__ = "0.1.0"
