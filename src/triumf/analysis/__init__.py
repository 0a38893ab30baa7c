"""Analyses built on the stages' physics: coverage diagrams and similar studies."""
