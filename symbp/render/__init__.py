"""Renderers: one module per output format, each a function of an inert Explanation."""
