"""Renderers: one module per output format; each sees a RunResult, never the analysis."""
