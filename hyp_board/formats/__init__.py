"""Outside formats, one module each. None of them imports Qt widgets."""
