"""Cleaning form answers: pure functions from text as typed to checked values."""
