"""The version of symbp (the package metadata in pyproject.toml says the same).

Its own module so that renderers can write it without importing the top package.
"""

__version__ = "0.1.0"
