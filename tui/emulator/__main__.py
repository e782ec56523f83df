"""`python -m tui.emulator`: the same as `spacetui emulator`."""

import sys

from tui.emulator.standalone import main

sys.exit(main())
