from hyp_board.cli import run

run()
