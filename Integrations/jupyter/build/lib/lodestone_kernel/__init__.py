"""A Jupyter kernel for Lodestone's .lode language, over `lodestone serve --stdio`."""

__version__ = "0.1.0"
