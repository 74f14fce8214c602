import sys

from lambda_container.cli import main

sys.exit(main())
