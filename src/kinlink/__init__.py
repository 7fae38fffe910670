"""kinlink: trace, link and bring home children separated from their families by war."""

__version__ = "0.1.0"
__all__ = ["__version__"]
