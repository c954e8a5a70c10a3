"""The frozen application's entry point: the same command line as `hyp-board`."""

from hyp_board.cli import run

if __name__ == "__main__":
    run()
