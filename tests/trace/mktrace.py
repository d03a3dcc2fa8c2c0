#!/usr/bin/env python3
"""Write a64sim trace files from the format description in docs/trace-format.md,
independently of the C writer: the whole-run tests read them with `a64sim trace`.

    mktrace.py CASE OUT

CASE "all-kinds" writes a valid trace with every record kind (the scenario
below; tests/trace/synthetic.dump is its expected dump). Every other CASE
writes a broken file and prints the byte offset the reader must name, then
the words its message must contain, on one line: "OFFSET|WORDS".
"""
import struct
import sys

BLOCK_MAGIC = 0x314B4C42  # "BLK1"
END_MAGIC = 0x444E4554  # "TEND"
NONE = 0xFF


def crc32c(data):
    """CRC-32C (Castagnoli): reflected polynomial 0x82F63B78, init and final xor ~0."""
    crc = 0xFFFFFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
    return crc ^ 0xFFFFFFFF


def fnv1a(data, h=0xCBF29CE484222325):
    for b in data:
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def header(items, version=4, sim=b"0.1.0"):
    h = 0xCBF29CE484222325
    for k, v in items:
        h = fnv1a(k + b"\0" + struct.pack("<Q", v), h)
    body = bytes([len(sim)]) + sim + struct.pack("<QH", h, len(items))
    for k, v in items:
        body += bytes([len(k)]) + k + struct.pack("<Q", v)
    total = 16 + len(body) + 4
    head = b"A64TRACE" + struct.pack("<II", version, total) + body
    return head + struct.pack("<I", crc32c(head))


def record(kind, pe, delta, payload):
    return struct.pack("<BBHi", kind, pe, len(payload), delta) + payload


def block(records, base, count=None, magic=BLOCK_MAGIC, length=None):
    payload = b"".join(records)
    n = len(records) if count is None else count
    ln = len(payload) if length is None else length
    head = struct.pack("<IIIQ", magic, ln, n, base)
    return head + struct.pack("<I", crc32c(head + payload)) + payload


def end(nrec, nblocks):
    e = struct.pack("<IQQ", END_MAGIC, nrec, nblocks)
    return e + struct.pack("<I", crc32c(e))


ITEMS = [(b"image.hash", 0x0123456789ABCDEF), (b"mem", 512 << 20), (b"cpus", 2),
         (b"quantum", 4096), (b"max-insns", 0), (b"max-cycles", 0), (b"race-seed", 0),
         (b"trace.insns", 1), (b"trace.mmio", 1)]

# Kinds (docs/trace-format.md).
INSN, EXC_ENTRY, EXC_RETURN, IRQ_STATE, IRQ_LINE, DAIF, PMR, TIMER, SLEEP, WAKE, PSCI, \
    UART_TX, MMIO, INPUT_UART_RX, INPUT_SPI, INPUT_HOST_UART, RUN_END, PE_STATE, \
    VGIC_LR, VIRQ_STATE, MAINTENANCE = range(1, 22)
PENDING, ACTIVE, ACKED, DROP, DEACT, CLEARED = range(6)


def pe_state(pc, pstate, sp, x, fpcr, fpsr, v):
    """A pe-state payload: pc, pstate, sp, x0-x30, fpcr, fpsr (8 bytes each),
    then v0-v31 (16 bytes each, bits 63:0 first): 800 bytes."""
    p = struct.pack("<3Q", pc, pstate, sp) + struct.pack("<31Q", *x)
    p += struct.pack("<QQ", fpcr, fpsr)
    return p + b"".join(n.to_bytes(16, "little") for n in v)


def scenario():
    """(cycle, pe, kind, payload) of a small interrupt story on two PEs."""
    q = struct.pack
    return [
        (0, NONE, INPUT_UART_RX, b'hi\n"\\\x07'),
        (100, 0, INSN, q("<QI", 0x40080000, 0xD503207F)),          # wfi
        (101, 0, SLEEP, q("<BQ", 0, 0x40080000)),
        (150, NONE, INPUT_SPI, q("<IB", 33, 1)),
        (150, 0, IRQ_STATE, q("<IBB", 33, PENDING, 0xA0)),
        (160, 0, IRQ_LINE, q("<BB", 0, 1)),
        (165, 0, WAKE, q("<B", 0)),
        (170, 0, EXC_ENTRY, q("<BBBQQQ", 1, 1, 1, 0, 0x40080004, 0x40000280)),
        (175, 0, DAIF, q("<BQ", 0xF, 0x40000280)),
        (180, 0, IRQ_STATE, q("<IBB", 33, ACKED, 0xA0)),
        (181, 0, IRQ_LINE, q("<BB", 0, 0)),
        (190, 0, PMR, q("<BQ", 0xF0, 0x40000290)),
        (200, 0, IRQ_STATE, q("<IBB", 33, DROP, 0xA0)),
        (201, 0, IRQ_STATE, q("<IBB", 33, DEACT, 0xA0)),
        (210, 0, EXC_RETURN, q("<BBQQ", 1, 1, 0x40080004, 0x3C5)),
        (220, 1, TIMER, q("<BB", 1, 1)),
        (230, 1, IRQ_STATE, q("<IBB", 27, PENDING, 0x80)),
        (260, 1, IRQ_STATE, q("<IBB", 27, ACKED, 0x80)),
        (270, 0, PSCI, q("<IQQQQ", 0xC4000003, 1, 0x40080000, 0, 0xFFFFFFFFFFFFFFFF)),
        (280, 0, UART_TX, q("<B", 0x41)),
        (290, 0, MMIO, q("<QQBBB", 0x09000000, 0x41, 4, 1, 0)),
        (295, 0, MMIO, q("<QQBBB", 0x0A000000, 0, 4, 0, 1)),
        (296, NONE, INPUT_HOST_UART, q("<QB", 2, 0x78)),
        (300, 0, IRQ_STATE, q("<IBB", 33, PENDING, 0xA0)),
        (340, 0, IRQ_STATE, q("<IBB", 33, ACKED, 0xA0)),
        (400, 0, IRQ_STATE, q("<IBB", 33, PENDING, 0xA0)),
        (410, 0, IRQ_STATE, q("<IBB", 33, CLEARED, 0xA0)),
        (500, 0, IRQ_STATE, q("<IBB", 33, PENDING, 0xA0)),
        (505, 0, IRQ_STATE, q("<IBB", 33, PENDING, 0xA0)),
        (510, 0, IRQ_STATE, q("<IBB", 33, ACKED, 0xA0)),
        # a hypervisor on PE 1 injects vINTID 27 with EOI maintenance
        (520, 1, VGIC_LR, q("<BQQ", 2, 0x50A002000000001B, 0x40080200)),
        (521, 1, IRQ_LINE, q("<BB", 3, 1)),
        (530, 1, VIRQ_STATE, q("<IBBB", 27, 0, 2, 0xA0)),
        (540, 1, VIRQ_STATE, q("<IBBB", 27, 1, 0xFF, 0xA0)),
        (540, 1, VIRQ_STATE, q("<IBBB", 27, 2, 2, 0xA0)),
        (540, 1, MAINTENANCE, q("<BI", 1, 1)),
        (545, 1, VIRQ_STATE, q("<IBBB", 30, 3, 0xFF, 0)),
        (560, 1, VGIC_LR, q("<BQQ", 2, 0, 0x40080240)),
        (560, 1, MAINTENANCE, q("<BI", 0, 0)),
        # each PE's registers at its local time, then the end
        (600, 0, PE_STATE, pe_state(0x40080008, 0x600003C5, 0x40100000,
                                    [0x1111 * n for n in range(31)], 0x03000000, 0x10,
                                    [(n << 120) | n for n in range(32)])),
        (580, 1, PE_STATE, pe_state(0x40080100, 0x3C5, 0, [0] * 31, 0, 0, [0] * 32)),
        (600, 0, RUN_END, q("<BiQQ", 0, 0, 1, 600)),
    ]


def encode(events, base):
    out, last = [], base
    for cycle, pe, kind, payload in events:
        out.append(record(kind, pe, cycle - last, payload))
        last = cycle
    return out


def good():
    """Header, two blocks (the scenario split in two), end marker; and pieces."""
    ev = scenario()
    b1 = block(encode(ev[:12], 0), 0)
    b2 = block(encode(ev[12:], ev[12][0]), ev[12][0])
    h = header(ITEMS)
    return h, b1, b2, end(len(ev), 2)


def bad(case):
    h, b1, b2, e = good()
    q = struct.pack
    insn = record(INSN, 0, 0, q("<QI", 0x40080000, 0xD503201F))
    rec0 = len(h) + 24  # first record of the first block
    if case == "empty":
        return b"", 0, "empty file"
    if case == "bad-magic":
        return b"A64TRACX" + h[8:] + b1 + e, 0, "bad magic"
    if case == "bad-version":
        return header(ITEMS, version=7) + b1 + e, 8, \
            "unknown format version 7 (this a64sim reads versions 1 to 4)"
    if case == "truncated-header":
        return h[:40], 40, "truncated header"
    if case == "header-checksum":
        hb = bytearray(h)
        hb[20] ^= 1
        return bytes(hb) + b1 + e, len(h) - 4, "header checksum mismatch"
    if case == "block-checksum":
        bb = bytearray(b1)
        bb[30] ^= 0x40
        return h + bytes(bb) + b2 + e, len(h), "block checksum mismatch"
    if case == "kind-out-of-range":
        return h + block([insn, record(23, 0, 1, b"")], 0) + e, rec0 + len(insn), \
            "record kind 23 out of range (1 to 22)"
    if case == "vgic-in-version-2":
        lr = record(VGIC_LR, 0, 1, bytes(17))
        return header(ITEMS, version=2) + block([insn, lr], 0) + e, rec0 + len(insn), \
            "record kind 19 out of range (1 to 18)"
    if case == "pe-state-in-version-1":
        regs = record(PE_STATE, 0, 1, bytes(800))
        return header(ITEMS, version=1) + block([insn, regs], 0) + e, rec0 + len(insn), \
            "record kind 18 out of range (1 to 17)"
    if case == "kind-zero":
        return h + block([record(0, 0, 0, b"")], 0) + e, rec0, "record kind 0 out of range"
    if case == "length-overrun":
        over = struct.pack("<BBHi", UART_TX, 0, 200, 0) + b"A"
        return h + block([insn, over], 0) + e, rec0 + len(insn), "record length 200 overruns"
    if case == "wrong-length":
        short = record(INSN, 0, 0, q("<QI", 0x40080000, 0)[:11])
        return h + block([short], 0) + e, rec0, "insn record has length 11, expected 12"
    if case == "pe-state-wrong-length":
        regs = record(PE_STATE, 0, 1, bytes(799))
        return h + block([insn, regs], 0) + e, rec0 + len(insn), \
            "pe-state record has length 799, expected 800"
    if case == "count-mismatch":
        return h + block([insn, insn], 0, count=3) + e, len(h), \
            "block holds 2 records, its header says 3"
    if case == "block-too-long":
        return h + block([insn], 0, length=0x7FFFFFFF) + e, len(h) + 4, \
            "block length 2147483647 exceeds the maximum"
    if case == "bad-block-marker":
        return h + block([insn], 0, magic=0x58585858) + e, len(h), "bad block marker 0x58585858"
    if case == "cut-short-in-block":
        cut = len(h) + len(b1) + 30
        return (h + b1 + b2 + e)[:cut], cut, \
            "cut short: the file ends inside a block (the run was killed"
    if case == "cut-short-no-end":
        return h + b1 + b2, len(h) + len(b1) + len(b2), \
            "cut short: the file ends without its end marker"
    if case == "trailing-data":
        return h + b1 + b2 + e + b"x", len(h) + len(b1) + len(b2) + 24, \
            "data after the end marker"
    if case == "end-count-mismatch":
        return h + b1 + b2 + end(5, 2), len(h) + len(b1) + len(b2), "end marker counts 5 records"
    raise SystemExit(f"mktrace.py: unknown case {case}")


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    case, out = sys.argv[1], sys.argv[2]
    if case == "all-kinds":
        data = b"".join(good())
        info = f"{len(scenario())}"
    elif case.startswith("config:"):
        # config:KEY=VALUE: the all-kinds trace with one header item set to
        # VALUE (added if absent), for replay's configuration checks.
        key, value = case[len("config:"):].split("=")
        items = [(k, v) for k, v in ITEMS if k != key.encode()] + [(key.encode(), int(value, 0))]
        _, b1, b2, e = good()
        data = header(items) + b1 + b2 + e
        info = f"{len(scenario())}"
    else:
        data, off, words = bad(case)
        info = f"{off}|{words}"
    with open(out, "wb") as f:
        f.write(data)
    print(info)


if __name__ == "__main__":
    main()
