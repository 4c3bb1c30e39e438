import sys

from sayembara.cli import main

sys.exit(main())
