"""spacetui: deploy and monitor Hugging Face Spaces from the terminal."""

__version__ = "0.1.0"
