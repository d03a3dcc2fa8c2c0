"""Read and write a64sim trace files (docs/trace-format.md) for the trace
mutator: parse a real recording into its parts, let the mutator change
any field, and write it back with every length, count, hash and checksum
made consistent again (or not, when the mutation is about them), so that
the reader's inner layers see the mutation instead of stopping at the
first checksum.
"""
import struct

BLOCK_MAGIC = 0x314B4C42  # "BLK1"
END_MAGIC = 0x444E4554    # "TEND"
FNV_OFFSET = 0xCBF29CE484222325
VERSION = 3               # the format version a64sim writes; it reads 1 to 3

# Record kinds and their payload lengths (None: text of any length);
# version 1 has kinds 1 to 17, version 2 adds pe-state, version 3 vgic-lr,
# virq-state and maintenance.
PE_STATE = 18
KIND_FIXED = {1: 12, 2: 27, 3: 18, 4: 6, 5: 2, 6: 9, 7: 9, 8: 2, 9: 9, 10: 1, 11: 36, 12: 1,
              13: 19, 14: None, 15: 5, 16: 9, 17: 21, 18: 800, 19: 17, 20: 7, 21: 5}

# pe-state: pc, pstate, sp, x0-x30, fpcr, fpsr (8 bytes each), v0-v31
# (16 bytes each, bits 63:0 first): the byte offset of each register.
PE_STATE_OFFSETS = dict([("pc", 0), ("pstate", 8), ("sp", 16)] +
                        [("x%d" % n, 24 + 8 * n) for n in range(31)] +
                        [("fpcr", 272), ("fpsr", 280)] +
                        [("v%d" % n, 288 + 16 * n) for n in range(32)])


def _crc_table():
    t = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        t.append(c)
    return t


_CRC = _crc_table()


def crc32c(data, crc=0):
    crc ^= 0xFFFFFFFF
    for b in data:
        crc = _CRC[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def fnv1a(data, h=FNV_OFFSET):
    for b in data:
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


class Record:
    def __init__(self, kind, pe, delta, payload, short):
        self.kind, self.pe, self.delta, self.payload, self.short = kind, pe, delta, payload, short

    def encode(self):
        if self.short and 0 <= self.delta <= 255 and len(self.payload) <= 255:
            return struct.pack("<BBBB", (self.kind | 0x80) & 0xFF, self.pe & 0xFF, self.delta,
                               len(self.payload)) + self.payload
        return struct.pack("<BBHi", self.kind & 0x7F, self.pe & 0xFF, len(self.payload) & 0xFFFF,
                           max(-2**31, min(2**31 - 1, self.delta))) + self.payload


class Block:
    def __init__(self, base, records):
        self.base, self.records = base, records
        self.count = None   # None: the real count
        self.length = None  # None: the real payload length
        self.magic = BLOCK_MAGIC


class Trace:
    """version, sim (bytes), items [(key bytes, value)], blocks, end."""

    def __init__(self):
        self.version, self.sim, self.items, self.blocks = VERSION, b"0.1.0", [], []
        self.config_hash = None  # None: computed from the items
        self.has_end = True
        self.end_counts = None   # None: the real (records, blocks)
        self.trailer = b""

    def item(self, key, value=None):
        for i, (k, v) in enumerate(self.items):
            if k == key:
                if value is not None:
                    self.items[i] = (k, value)
                return v
        if value is not None:
            self.items.append((key, value))
        return None

    def encode(self):
        """(file bytes, [(crc position, [(start, end), ...])]): where each
        checksum sits and which bytes it covers, for repair() after raw
        byte changes."""
        crcs = []
        h = FNV_OFFSET
        for k, v in self.items:
            h = fnv1a(k + b"\0" + struct.pack("<Q", v & (2**64 - 1)), h)
        if self.config_hash is not None:
            h = self.config_hash
        body = bytes([len(self.sim) & 0xFF]) + self.sim + struct.pack("<QH", h, len(self.items) & 0xFFFF)
        for k, v in self.items:
            body += bytes([len(k) & 0xFF]) + k + struct.pack("<Q", v & (2**64 - 1))
        total = 16 + len(body) + 4
        head = b"A64TRACE" + struct.pack("<II", self.version & 0xFFFFFFFF, total) + body
        out = bytearray(head + struct.pack("<I", crc32c(head)))
        crcs.append((len(head), [(0, len(head))]))
        nrec = 0
        for b in self.blocks:
            payload = b"".join(r.encode() for r in b.records)
            n = len(b.records) if b.count is None else b.count
            ln = len(payload) if b.length is None else b.length
            bh = struct.pack("<IIIQ", b.magic & 0xFFFFFFFF, ln & 0xFFFFFFFF, n & 0xFFFFFFFF,
                             b.base & (2**64 - 1))
            start = len(out)
            out += bh + struct.pack("<I", crc32c(payload, crc32c(bh))) + payload
            crcs.append((start + 20, [(start, start + 20), (start + 24, start + 24 + len(payload))]))
            nrec += len(b.records)
        if self.has_end:
            counts = self.end_counts or (nrec, len(self.blocks))
            e = struct.pack("<IQQ", END_MAGIC, counts[0] & (2**64 - 1), counts[1] & (2**64 - 1))
            start = len(out)
            out += e + struct.pack("<I", crc32c(e))
            crcs.append((start + 20, [(start, start + 20)]))
        out += self.trailer
        return bytes(out), crcs


def repair(data, crcs):
    """Recompute every checksum of CRCS over its (possibly changed) bytes."""
    data = bytearray(data)
    for pos, ranges in crcs:
        if pos + 4 > len(data):
            continue
        crc = 0
        for s, e in ranges:
            crc = crc32c(data[s:min(e, len(data))], crc)
        data[pos:pos + 4] = struct.pack("<I", crc)
    return bytes(data)


def parse(data):
    """A Trace from a well-formed file (a64sim's own recordings)."""
    t = Trace()
    assert data[:8] == b"A64TRACE"
    t.version, hlen = struct.unpack_from("<II", data, 8)
    v = data[16]
    t.sim = data[17:17 + v]
    p = 17 + v
    _, n = struct.unpack_from("<QH", data, p)
    p += 10
    for _ in range(n):
        k = data[p]
        key = data[p + 1:p + 1 + k]
        (val,) = struct.unpack_from("<Q", data, p + 1 + k)
        t.items.append((key, val))
        p += 1 + k + 8
    p = hlen
    while p + 4 <= len(data):
        (magic,) = struct.unpack_from("<I", data, p)
        if magic == END_MAGIC:
            t.has_end = True
            t.trailer = data[p + 24:]
            return t
        _, ln, _, base = struct.unpack_from("<IIIQ", data, p)
        q, end = p + 24, p + 24 + ln
        recs = []
        while q < end:
            k = data[q]
            if k & 0x80:
                recs.append(Record(k & 0x7F, data[q + 1], data[q + 2], data[q + 4:q + 4 + data[q + 3]],
                                   True))
                q += 4 + data[q + 3]
            else:
                _, pe, plen, delta = struct.unpack_from("<BBHi", data, q)
                recs.append(Record(k, pe, delta, data[q + 8:q + 8 + plen], False))
                q += 8 + plen
        t.blocks.append(Block(base, recs))
        p = end
    t.has_end = False
    return t
