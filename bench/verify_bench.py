"""Throughput of `qualify --batch` against the fake internet with realistic latency.

Runs the fake internet (DNS with 50 ms added to every answer, HTTP(S) with 200 ms added to every
response, SMTP) in its own process, writes 2,000 leads at distinct company domains (each an
https site with its own certificate, home plus about/products/solutions pages), runs
`manage.py qualify --batch` and prints leads/second, the ceiling the latencies allow at the chosen
concurrency, the per-lead latency, CPU time per lead of the qualify process(es) and of the fake
internet, and peak memory.

    .venv/bin/python bench/verify_bench.py [--leads 2000] [--concurrency 200] [--processes N]

CPU per lead is the steadier figure on a shared machine: wall time depends on what else runs, CPU
time much less. The fake internet runs on the same cores as qualify, so both count against them.

Uses DATABASE_URL when set (the keyword lists are read from it), else a fresh SQLite file.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DNS_LATENCY_S = float(os.environ.get("BENCH_DNS_LATENCY_S", "0.05"))
HTTP_LATENCY_S = float(os.environ.get("BENCH_HTTP_LATENCY_S", "0.2"))
# Critical path of one lead: the site's A/AAAA look-up, the home page, then its about, products
# and solutions pages one after another on the same kept-alive connection (FetchLimits.
# page_concurrency = 1; same host, so no second look-up). The email's MX look-up and the NS
# look-up run beside it.
INTERNAL_PAGES = 3
CRITICAL_PATH_S = DNS_LATENCY_S + HTTP_LATENCY_S * (1 + INTERNAL_PAGES)
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
SAMPLE_EVERY_S = 0.25


def company_domain(index: int) -> str:
    # One registered domain per lead, as distinct companies have: leads under one registered
    # domain share the per-domain limit (4 at once), which would measure politeness, not speed.
    return f"bench-co{index}.test"


def serve_internet(leads: int, connection, stop) -> None:  # type: ignore[no-untyped-def]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from tests.fakenet.internet import FakeInternet

    with FakeInternet(dns_latency_s=DNS_LATENCY_S, web_latency_s=HTTP_LATENCY_S) as net:
        domains = [company_domain(index) for index in range(leads)]
        net.web.add_company_sites(domains)
        for domain in domains:
            net.dns.set_name(domain, a=["127.0.0.1"], mx=[(10, f"mx.{domain}")])
            net.dns.set_name(f"mx.{domain}", a=["127.0.0.1"])
        connection.send(net.env())
        stop.wait()


def write_batch(path: Path, leads: int) -> None:
    messages = (
        "We need 500 pcs UV germicidal lamps T8 36W 254nm for our water treatment plant.",
        "Dear sir, please send your price list and catalog.",
        "Bitte Angebot für 20 UV-Entkeimungsanlagen, 10 m3/h.",
    )
    with path.open("w") as handle:
        for index in range(leads):
            domain = company_domain(index)
            line = {
                "id": index,
                "email": f"buyer@{domain}",
                "website": domain,
                "company": f"Company {index}",
                "country": "DE",
                "message": messages[index % len(messages)],
            }
            handle.write(json.dumps(line) + "\n")


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a live process (all its threads), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def tree_memory_mb(root: int) -> float:
    """Proportional set size (PSS) of a process and all its descendants, in MB.

    PSS splits each page shared by forked workers between them, so the sum is
    the memory the processes really hold together; summed RSS counts shared
    pages once per process.
    """
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rpartition(")")[2].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(entry.name))
    total, pending = 0, [root]
    while pending:
        pid = pending.pop()
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
            total += (
                next(int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:")) * 1024
            )
        except (OSError, IndexError, ValueError, StopIteration):
            pass
        pending += children.get(pid, [])
    return total / 2**20


def run_measured(command: list[str], env: dict[str, str], stdout_path: Path, stderr_path: Path):  # type: ignore[no-untyped-def]
    """Run a command; return (exit code, wall s, CPU s of it and its reaped children, peak memory MB of them all)."""
    started = time.monotonic()
    with stdout_path.open("w") as out, stderr_path.open("w") as err:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=err)
        peak_mb = 0.0
        while True:
            # wait4 (not Popen.wait) so the child's rusage, which includes the
            # worker processes it reaped, is not thrown away.
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            peak_mb = max(peak_mb, tree_memory_mb(process.pid))
            time.sleep(SAMPLE_EVERY_S)
    elapsed = time.monotonic() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    return process.returncode, elapsed, cpu, peak_mb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=200)
    parser.add_argument("--processes", type=int, default=None, help="qualify --processes (default: its own)")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="verify-bench-"))
    env = {**os.environ, "DATA_DIR": str(workdir), "REDIS_URL": ""}
    if not os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)

    parent, child = multiprocessing.Pipe()
    stop = multiprocessing.Event()
    server = multiprocessing.Process(target=serve_internet, args=(args.leads, child, stop), daemon=True)
    server.start()
    env.update(parent.recv())
    batch = workdir / "leads.jsonl"
    write_batch(batch, args.leads)
    one = workdir / "one.jsonl"
    one.write_text(batch.read_text().partition("\n")[0] + "\n")

    base = [sys.executable, "manage.py", "qualify", "--concurrency", str(args.concurrency)]
    if args.processes is not None:
        base += ["--processes", str(args.processes)]
    # Django's start-up and the keyword matcher's load, measured with a one-lead batch so the
    # per-lead CPU can leave them out.
    _, _, startup_cpu, _ = run_measured([*base, "--batch", str(one)], env, workdir / "o0", workdir / "e0")

    load_before = os.getloadavg()
    internet_cpu_before = cpu_seconds(server.pid)
    code, elapsed, cpu, peak_mb = run_measured(
        [*base, "--batch", str(batch)], env, workdir / "out.jsonl", workdir / "err.txt"
    )
    internet_cpu = cpu_seconds(server.pid) - internet_cpu_before
    load_after = os.getloadavg()
    stop.set()
    server.join(timeout=10)

    stdout = (workdir / "out.jsonl").read_text()
    lines = [json.loads(line) for line in stdout.splitlines() if line.strip()]
    if code != 0 or len(lines) != args.leads:
        print((workdir / "err.txt").read_text()[-3000:], file=sys.stderr)
        raise SystemExit(f"qualify exited {code} with {len(lines)} of {args.leads} lines")
    in_order = [line["id"] for line in lines] == list(range(args.leads))
    latencies = sorted(line["elapsed_ms"] for line in lines)
    rate = args.leads / elapsed
    ceiling = args.concurrency / CRITICAL_PATH_S if CRITICAL_PATH_S else float("inf")
    qualify_ms = (cpu - startup_cpu) * 1000 / max(args.leads - 1, 1)
    internet_ms = internet_cpu * 1000 / args.leads
    cores = os.cpu_count() or 1
    cpu_bound = cores * 1000 / (qualify_ms + internet_ms)
    print(f"leads:                 {args.leads} (output in input order: {in_order})")
    print(f"concurrency:           {args.concurrency}, processes: {args.processes or 'qualify default'}")
    print(
        f"added latency:         DNS {DNS_LATENCY_S * 1000:.0f} ms/answer, HTTP {HTTP_LATENCY_S * 1000:.0f} ms/response"
    )
    print(f"wall time:             {elapsed:.1f} s (includes Django start-up)")
    print(f"throughput:            {rate:.0f} leads/s   (target >= 150)")
    print(
        f"latency ceiling:       {ceiling:.0f} leads/s   (concurrency / {CRITICAL_PATH_S * 1000:.0f} ms critical path)"
    )
    print(
        f"CPU qualify:           {qualify_ms:.1f} ms/lead   ({cpu:.1f} s total, {startup_cpu:.1f} s of it start-up, left out; all processes)"
    )
    print(f"CPU fake internet:     {internet_ms:.1f} ms/lead   ({internet_cpu:.1f} s, same {cores} cores)")
    print(f"CPU ceiling:           {cpu_bound:.0f} leads/s   ({cores} cores / CPU per lead of both)")
    print(
        f"per-lead elapsed:      median {statistics.median(latencies):.0f} ms, p95 {latencies[int(0.95 * len(latencies)) - 1]} ms"
    )
    print(f"peak memory (qualify): {peak_mb:.0f} MB PSS, all its processes together   (target < 500)")
    print(f"load average:          {load_before[0]:.2f} before, {load_after[0]:.2f} after (1 min)")
    print(f"verdicts:              website {dict(Counter(line['website']['verdict'] for line in lines))}, "
          f"authenticity {dict(Counter(line['authenticity']['verdict'] for line in lines))}")  # fmt: skip


if __name__ == "__main__":
    main()
