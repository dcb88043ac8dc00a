"""The edges: CLI, HTTP app and settings; the only package that reads configuration."""
