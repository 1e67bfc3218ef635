import os
import sys

# Import the handler the way Lambda does: from the project's root.
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# boto3 needs a region to build its client at import time.
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
