"""exactpoly: exact computational geometry of ReLU networks."""
__version__ = "0.1.0"
