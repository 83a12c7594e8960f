"""klachtlib: the logic behind the municipality's yearly complaints report (Awb 9:12a)."""

__version__ = "0.1.0"
