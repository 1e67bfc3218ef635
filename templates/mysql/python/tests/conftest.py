import os
import sys

# Import the handler the way Lambda does: from the project's root.
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
