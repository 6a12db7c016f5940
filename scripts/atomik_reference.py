#!/usr/bin/env python3
"""Reference runner: executes ATOMiK programs and encodings on the real
atomik-core 0.4.0 package, printing exactly what the Swift tools print, so the
two can be compared byte for byte.

Uses only atomik_core and the standard library.

Subcommands:
  run --width W --contexts C [--final] PROGRAM
      Run a program in the project's text format (load/accum/read/swap/nop/reset, see
      Sources/AtomikProgram/TextFormat.swift) on
      atomik_core.AtomikTable(num_contexts=C, width=W) and print result lines
      in the format of Sources/AtomikProgram/ResultFormat.swift:
          INDEX MNEMONIC ADDR 0xVALUE     (each READ and SWAP)
          final ADDR 0xVALUE              (--final: each non-zero state)
      Values go to atomik-core unmasked (negative literals as negative ints),
      so the masking is atomik-core's own. `reset` (no atomik-core equivalent)
      is LOAD 0 on every context. Indices count operations, not nop or reset.
  batch
      Reads job lines from stdin, `--width W --contexts C [--final] PROGRAM OUTPUT`,
      and runs each like `run`, writing the result lines to OUTPUT. One Python
      start-up for many programs. Prints `ok` or `error: ...` per job.
  message
      Reads lines from stdin: `encode ADDR DELTA SEQ` prints the 16 wire bytes
      of DeltaMessage(...).to_bytes() in hex, or `error`; `decode HEX` (`-` for
      no bytes) prints `ADDR DELTA SEQ` in decimal from DeltaMessage.from_bytes,
      or `error`.
  fingerprint
      Reads lines `W HEXBYTES` (`-` for no bytes) from stdin and prints
      Fingerprint(width=W)._reduce(bytes) in lower-case hex without prefix.
  bench --ops N PROGRAM
      Times AtomikTable(num_contexts=256, width=64) executing N operations of
      PROGRAM, decoded beforehand (the program is repeated when shorter).

Exit status: 0 success, 2 bad input or usage.
"""

from __future__ import annotations

import argparse
import re
import sys
import time

import atomik_core
from atomik_core import AtomikTable, DeltaMessage, Fingerprint

_NUMBER = re.compile(
    r"-?(?:0[xX][0-9a-fA-F]+(?:_[0-9a-fA-F]+)*|[0-9]+(?:_[0-9]+)*)\Z"
)
_SPACE = " \t"
_MNEMONICS = ("load", "accum", "read", "swap", "nop", "reset")
_CYCLE_ITEMS = ("nop", "reset")


class ProgramError(Exception):
    pass


def parse_number(text: str, where: str) -> int:
    """A literal of the program format: decimal or 0x hex, `_` between digits,
    optional leading `-`. Returned as an exact (possibly negative) Python int."""
    if not _NUMBER.match(text):
        raise ProgramError(f"{where}: invalid number '{text}'")
    negative = text.startswith("-")
    body = text[1:] if negative else text
    body = body.replace("_", "")
    value = int(body[2:], 16) if body[:2].lower() == "0x" else int(body, 10)
    return -value if negative else value


def parse_program(path: str):
    """Yields (mnemonic, addr, value) items; value None for read and swap-keep;
    ("nop", count, None) for idle items, ("reset", count, None) for resets."""
    with open(path, "rb") as f:
        data = f.read()
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    for number, raw in enumerate(lines, start=1):
        where = f"{path}:{number}"
        if raw.endswith(b"\r"):
            raw = raw[:-1]
        line = raw.decode("utf-8", errors="replace")
        for marker in "#;":
            cut = line.find(marker)
            if cut >= 0:
                line = line[:cut]
        line = line.strip(_SPACE)
        if not line:
            continue
        m = re.match(r"([A-Za-z]+)(?:[ \t]+(.*))?\Z", line)
        if not m:
            raise ProgramError(f"{where}: expected a mnemonic")
        mnemonic = m.group(1).lower()
        rest = (m.group(2) or "").strip(_SPACE)
        if mnemonic not in _MNEMONICS:
            raise ProgramError(f"{where}: unknown mnemonic '{mnemonic}'")
        if mnemonic in _CYCLE_ITEMS:
            count = parse_number(rest, where) if rest else 1
            if not 1 <= count < (1 << 40):
                raise ProgramError(f"{where}: bad cycle count {rest}")
            yield (mnemonic, count, None)
            continue
        operands = [o.strip(_SPACE) for o in rest.split(",")] if rest else []
        if not operands or any(not o or any(c in _SPACE for c in o) for o in operands):
            raise ProgramError(f"{where}: malformed operands '{rest}'")
        if len(operands) > 2:
            raise ProgramError(f"{where}: too many operands")
        addr = parse_number(operands[0], where)
        value = parse_number(operands[1], where) if len(operands) == 2 else None
        if mnemonic in ("load", "accum") and value is None:
            raise ProgramError(f"{where}: '{mnemonic}' takes an address and a value")
        if mnemonic == "read" and value is not None:
            raise ProgramError(f"{where}: 'read' takes an address only")
        yield (mnemonic, addr, value)


def run_program(path: str, width: int, contexts: int, final: bool) -> str:
    table = AtomikTable(num_contexts=contexts, width=width)
    digits = max((width + 3) // 4, 1)
    out = []
    index = 0
    for mnemonic, addr, value in parse_program(path):
        if mnemonic == "nop":
            continue
        if mnemonic == "reset":
            # A reset clears every context; atomik-core has no table reset, and
            # LOAD 0 is exactly ref = 0, acc = 0, delta_count = 0.
            for a in range(contexts):
                table.load(a, 0)
            continue
        if mnemonic == "load":
            table.load(addr, value)
        elif mnemonic == "accum":
            table.accum(addr, value)
        elif mnemonic == "read":
            out.append(f"{index} read {addr} 0x{table.read(addr):0{digits}x}\n")
        else:  # swap: value None is SWAP-keep, anything else (0 too) a new reference
            out.append(f"{index} swap {addr} 0x{table.swap(addr, value):0{digits}x}\n")
        index += 1
    if final:
        for addr, state in sorted(table.snapshot().items()):
            out.append(f"final {addr} 0x{state:0{digits}x}\n")
    return "".join(out)


def cmd_run(args) -> int:
    sys.stdout.write(run_program(args.program, args.width, args.contexts, args.final))
    return 0


def cmd_batch(_args) -> int:
    parser = argparse.ArgumentParser(prog="batch job", add_help=False)
    parser.add_argument("--width", type=int, default=64)
    parser.add_argument("--contexts", type=int, default=256)
    parser.add_argument("--final", action="store_true")
    parser.add_argument("program")
    parser.add_argument("output")
    status = 0
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            job = parser.parse_args(line.split())
            text = run_program(job.program, job.width, job.contexts, job.final)
            with open(job.output, "w", encoding="ascii", newline="\n") as f:
                f.write(text)
            print("ok", flush=True)
        except (Exception, SystemExit) as e:  # report and carry on with the next job
            print(f"error: {e}", flush=True)
            status = 2
    return status


def _int(text: str) -> int:
    return int(text, 0)


def cmd_message(_args) -> int:
    for line in sys.stdin:
        fields = line.split()
        if not fields:
            continue
        try:
            if fields[0] == "encode" and len(fields) == 4:
                addr, delta, seq = (_int(x) for x in fields[1:])
                print(DeltaMessage(addr=addr, delta=delta, seq=seq).to_bytes().hex())
            elif fields[0] == "decode" and len(fields) <= 2:
                hexbytes = fields[1] if len(fields) == 2 else "-"
                data = b"" if hexbytes == "-" else bytes.fromhex(hexbytes)
                m = DeltaMessage.from_bytes(data)
                print(f"{m.addr} {m.delta} {m.seq}")
            else:
                print(f"bad request: {line.strip()}", file=sys.stderr)
                return 2
        except Exception:
            print("error")
    sys.stdout.flush()
    return 0


def cmd_fingerprint(_args) -> int:
    for line in sys.stdin:
        fields = line.split()
        if not fields:
            continue
        width = int(fields[0])
        hexbytes = fields[1] if len(fields) > 1 else "-"
        data = b"" if hexbytes == "-" else bytes.fromhex(hexbytes)
        if width < 8:
            # atomik-core loops forever here (chunk size width // 8 == 0).
            print("error")
            continue
        print(format(Fingerprint(width=width)._reduce(data), "x"))
    sys.stdout.flush()
    return 0


def cmd_bench(args) -> int:
    items = [i for i in parse_program(args.program) if i[0] not in _CYCLE_ITEMS]
    if not items:
        print("error: the program has no operations", file=sys.stderr)
        return 2
    table = AtomikTable(num_contexts=256, width=64)
    ops = []
    methods = {"load": table.load, "accum": table.accum, "read": table.read, "swap": table.swap}
    while len(ops) < args.ops:
        for mnemonic, addr, value in items[: args.ops - len(ops)]:
            fn = methods[mnemonic]
            if mnemonic == "read":
                ops.append((fn, (addr,)))
            elif mnemonic == "swap" and value is None:
                ops.append((fn, (addr,)))
            else:
                ops.append((fn, (addr, value)))
    start = time.perf_counter()
    for fn, a in ops:
        fn(*a)
    elapsed = time.perf_counter() - start
    rate = len(ops) / elapsed if elapsed > 0 else float("inf")
    print(f"ops_per_s={rate:.0f}")
    print(f"ops={len(ops)} seconds={elapsed:.6f} atomik_core={atomik_core.__version__}", file=sys.stderr)
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="ATOMiK reference runner on atomik-core.")
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="run a text program on atomik_core.AtomikTable")
    r.add_argument("--width", type=int, default=64)
    r.add_argument("--contexts", type=int, default=256)
    r.add_argument("--final", action="store_true")
    r.add_argument("program")
    r.set_defaults(func=cmd_run)
    sub.add_parser("batch", help="run many programs (job lines on stdin)").set_defaults(func=cmd_batch)
    sub.add_parser("message", help="DeltaMessage encode/decode (lines on stdin)").set_defaults(func=cmd_message)
    sub.add_parser("fingerprint", help="Fingerprint._reduce (lines on stdin)").set_defaults(func=cmd_fingerprint)
    b = sub.add_parser("bench", help="time AtomikTable on a pre-decoded program")
    b.add_argument("--ops", type=int, required=True)
    b.add_argument("program")
    b.set_defaults(func=cmd_bench)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except (ProgramError, OSError, IndexError, ValueError) as e:
        sys.stdout.flush()
        print(f"atomik_reference: error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
