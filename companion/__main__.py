"""`python -m companion` is the same as the `yiwaiwai` console script."""

from companion.cli import main

raise SystemExit(main())
