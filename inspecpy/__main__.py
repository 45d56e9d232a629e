import sys

from inspecpy.cli import main

sys.exit(main())
