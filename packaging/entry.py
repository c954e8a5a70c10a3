"""The frozen application's entry point: the same command line as `hyp-board`."""

import sys

from hyp_board.cli import main

if __name__ == "__main__":
    sys.exit(main())
