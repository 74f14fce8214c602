"""lambda-container: generate AWS Lambda container-image projects."""

__version__ = "0.1.0"
