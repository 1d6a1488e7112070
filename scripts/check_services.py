"""Say clearly, before the tests start, when PostgreSQL or Redis is not reachable, and how to start it."""

import socket
import sys
from urllib.parse import urlparse

HINTS = {
    "PostgreSQL": "pg_ctlcluster --skip-systemctl-redirect $(pg_lsclusters -h | cut -d' ' -f1) main start",
    "Redis": 'redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no',
}


def reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=3):
            return True
    except OSError:
        return False


def main() -> int:
    database_url, broker_url = sys.argv[1], sys.argv[2]
    missing = []
    if not reachable(database_url, 5432):
        missing.append(("PostgreSQL", database_url))
    if not reachable(broker_url, 6379):
        missing.append(("Redis", broker_url))
    for name, url in missing:
        print(f"{name} is not reachable at {url}. Start it with:\n    {HINTS[name]}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
