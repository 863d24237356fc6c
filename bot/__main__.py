"""`python -m bot` runs the same command line as `thinktwice`."""

import sys

from .cli import main

sys.exit(main())
