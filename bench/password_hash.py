"""Login cost by password hasher: PBKDF2 (Django's default) against Argon2 at Django's parameters and at
Luoshi's (luoshi.org.passwords.Argon2PasswordHasher, the one settings use) (issue 20 §3).

A login is one password verification. Under load the verifications queue on the cores, so the figure
that matters is the CPU time of one verification: logins a core can serve per second is its inverse.
Prints, for each hasher, the wall and CPU time of a verification (median of --repeat), its peak memory,
the logins per core-second, and the ratio to PBKDF2 (the baseline: the issue measured 4.6 s p50 for a
login under load with PBKDF2, mostly queueing). Then a concurrent run: --workers processes verifying at
once, as gunicorn workers do at 8:30 on a Monday, giving logins per second on this machine.

    .venv/bin/python bench/password_hash.py [--repeat 15] [--workers 4]
"""

import argparse
import os
import resource
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench._bench import setup_django

HASHERS = {
    "PBKDF2": "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "Argon2": "django.contrib.auth.hashers.Argon2PasswordHasher",
    "Luoshi": "luoshi.org.passwords.Argon2PasswordHasher",
}
PASSWORD = "Luoshi2026pw"


def _verify_many(args) -> tuple[float, float, int]:
    """In a worker process: verify `count` times; (wall seconds, CPU seconds, peak RSS KiB)."""
    dotted, encoded, count = args
    setup_django()
    from django.utils.module_loading import import_string

    hasher = import_string(dotted)()
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(count):
        assert hasher.verify(PASSWORD, encoded)
    return time.perf_counter() - wall, time.process_time() - cpu, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--logins", type=int, default=40, help="logins in the concurrent run")
    args = parser.parse_args()
    setup_django()
    from django.utils.module_loading import import_string

    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}; cores: {os.cpu_count()}")
    results = {}
    for name, dotted in HASHERS.items():
        hasher = import_string(dotted)()
        encoded = hasher.encode(PASSWORD, hasher.salt())
        walls, cpus = [], []
        for _ in range(args.repeat):
            wall, cpu = time.perf_counter(), time.process_time()
            hasher.verify(PASSWORD, encoded)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        with ProcessPoolExecutor(args.workers) as pool:
            per = max(1, args.logins // args.workers)
            start = time.perf_counter()
            runs = list(pool.map(_verify_many, [(dotted, encoded, per)] * args.workers))
            elapsed = time.perf_counter() - start
        done = per * args.workers
        peak = max(run[2] for run in runs) / 1024
        results[name] = (statistics.median(walls), statistics.median(cpus), done / elapsed, peak)
        print(
            f"{name:7} {'$'.join(encoded.split('$')[: 2 if name == 'PBKDF2' else 3])}: "
            f"verify median wall {statistics.median(walls) * 1000:.0f} ms, CPU {statistics.median(cpus) * 1000:.0f} ms; "
            f"{1 / statistics.median(cpus):.1f} logins per core-second; "
            f"{args.workers} processes at once: {done} logins in {elapsed:.1f} s = {done / elapsed:.1f}/s, "
            f"peak RSS {peak:.0f} MB per process"
        )
    base = results["PBKDF2"]
    for name in ("Argon2", "Luoshi"):
        other = results[name]
        print(
            f"{name} / PBKDF2 (baseline): CPU per login {other[1] / base[1]:.2f}×, "
            f"concurrent throughput {other[2] / base[2]:.2f}×"
        )


if __name__ == "__main__":
    main()
