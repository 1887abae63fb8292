"""mldebt: find technical debt in ML repositories, statically."""

__version__ = "0.1.0"
