"""``python -m coursebuild``: see :mod:`coursebuild.cli`."""

import sys

from coursebuild.cli import main

sys.exit(main())
