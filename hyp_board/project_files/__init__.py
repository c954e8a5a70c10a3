"""Project files in and out: `.hypboard`, PARC `.achz` and CSV matrices, one module each."""
