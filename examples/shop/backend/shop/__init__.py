"""Demo shop backend (deliberately insecure; see ../../README.md)."""
