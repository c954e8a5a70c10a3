"""Hypothesis Board: Analysis of Competing Hypotheses on the desktop."""

# The one place the version is written: the package build reads it from here
# (pyproject.toml), so the application needs no package metadata look-up at start,
# which costs more than the rest of `hyp-board list`.
__version__ = "0.1.0"

APP_NAME = "Hypothesis Board"
APP_ID = "org.hypboard.HypothesisBoard"
