from hyp_board.cli import main

raise SystemExit(main())
