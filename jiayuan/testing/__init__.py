"""Shared test helpers: the test world and the API fixtures. On top of every app (it may import them all);
no application module imports it."""
