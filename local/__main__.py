"""``python -m local``: run the stack until Ctrl-C."""

import sys

from local.runner import main

sys.exit(main())
