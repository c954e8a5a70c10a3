"""Hypothesis Board: Analysis of Competing Hypotheses on the desktop."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("hyp-board")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

APP_NAME = "Hypothesis Board"
APP_ID = "org.hypboard.HypothesisBoard"
