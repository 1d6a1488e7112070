"""Create the PostgreSQL database of a DATABASE_URL when it does not exist yet (for make bench)."""

import sys
from urllib.parse import urlparse

import psycopg2
from psycopg2 import sql


def main() -> int:
    url = urlparse(sys.argv[1])
    name = url.path.lstrip("/")
    conn = psycopg2.connect(
        host=url.hostname or "127.0.0.1",
        port=url.port or 5432,
        user=url.username or "postgres",
        password=url.password or None,
        dbname="postgres",
    )
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"Database {name} created.")
    conn.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
