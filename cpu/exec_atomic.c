/* FEAT_LSE (Armv8.1) atomics, general registers only: the atomic memory
 * operations LD<op> (ADD, CLR, EOR, SET, SMAX, SMIN, UMAX, UMIN) and SWP
 * in B/H/W/X sizes with their acquire/release forms, CAS in B/H/W/X, and
 * CASP on W and X pairs. The ST<op> forms are LD<op> with Rt = XZR and
 * need nothing of their own. LDAPR (FEAT_LRCPC) lives in exec_ldst.c
 * beside LDAR, which it matches on one PE.
 *
 * The model: one PE runs one instruction at a time, so "atomic" is simply
 * a read, the operation and a write with nothing in between. Both
 * accesses go through mem_read/mem_write so that device windows and the
 * invalidation of decoded code keep working, and registers are written
 * only after every access succeeded: a faulting access leaves them as
 * they were. Acquire/release semantics add nothing for a single in-order
 * PE and are not modelled beyond decoding.
 *
 * Choices where the Arm ARM leaves one (docs/architecture.md should list
 * them with the others):
 * - Alignment: without FEAT_LSE2 an atomic or CAS/CASP access that is not
 *   naturally aligned (CASP: to the pair's total size) is an Alignment
 *   fault whatever the memory type. The fault is reported as a read: the
 *   ESR rule for instructions that both read and write says WnR is 0 when
 *   a read of the address would have caused the fault, and it would.
 * - CAS/CASP that fail the comparison write nothing. The architecture
 *   permits writing back the value read; not writing keeps a failed CAS
 *   from touching a device register or a page of decoded code.
 * - Exclusive monitor: whether a non-exclusive store by the same PE to the
 *   monitored address clears the local monitor is IMPLEMENTATION DEFINED.
 *   Here an atomic that writes memory overlapping the monitored block
 *   clears it; a failed CAS, which writes nothing, leaves it. (Plain STR,
 *   in exec_ldst.c, leaves the monitor alone today.)
 * - CASP with an odd Rs or Rt: the Arm ARM decode pseudocode makes it
 *   UNDEFINED, and so it is.
 * - CAS/CASP with Rt2 (bits 14:10) other than 11111 fall through to the
 *   exclusive family, which rejects them: UNDEFINED, as binutils decodes
 *   them.
 * - Cost: every instruction here is charged COST_LOAD, the store half
 *   included; the ST<op> aliases too, since they read memory as well.
 */
#include "cpu/decode.h"

#define X(r) (c->x[(r)])

/* MemAtomicOp in the Arm ARM pseudocode; the first eight are LD<op>'s opc. */
enum mem_atomic_op {
    MEM_ATOMIC_ADD,
    MEM_ATOMIC_BIC, /* LDCLR */
    MEM_ATOMIC_EOR,
    MEM_ATOMIC_ORR, /* LDSET */
    MEM_ATOMIC_SMAX,
    MEM_ATOMIC_SMIN,
    MEM_ATOMIC_UMAX,
    MEM_ATOMIC_UMIN,
    MEM_ATOMIC_SWP,
};

static inline uint64_t size_mask(unsigned bytes)
{
    return bytes == 8 ? ~0ull : (1ull << (8 * bytes)) - 1;
}

/* SInt() of the low BYTES bytes of V. */
static inline int64_t sint(uint64_t v, unsigned bytes)
{
    unsigned shift = 64 - 8 * bytes;
    return (int64_t)(v << shift) >> shift;
}

/* DATA is the value read (zero-extended), VALUE is Rs truncated to the
 * access size; the result's bits above the size are never stored. */
static uint64_t mem_atomic_result(unsigned op, uint64_t data, uint64_t value, unsigned bytes)
{
    switch (op) {
    case MEM_ATOMIC_ADD: return data + value;
    case MEM_ATOMIC_BIC: return data & ~value;
    case MEM_ATOMIC_EOR: return data ^ value;
    case MEM_ATOMIC_ORR: return data | value;
    case MEM_ATOMIC_SMAX: return sint(data, bytes) > sint(value, bytes) ? data : value;
    case MEM_ATOMIC_SMIN: return sint(data, bytes) > sint(value, bytes) ? value : data;
    case MEM_ATOMIC_UMAX: return data > value ? data : value;
    case MEM_ATOMIC_UMIN: return data > value ? value : data;
    default: return value; /* SWP */
    }
}

/* The address of an access of TOTAL bytes at [Xn|SP]: an SP base must be
 * 16-byte aligned where the check is enabled, then the access must be
 * naturally aligned. */
static bool atomic_address(struct cpu *c, const struct insn *in, unsigned total, uint64_t *addr)
{
    uint64_t a = X(in->rn);
    if (in->rn == REG_SP && (a & 15) && sp_alignment_checked(c)) {
        cpu_raise_fault(c, FAULT_SP_ALIGNMENT, a, total, false);
        return false;
    }
    if (a & (total - 1)) {
        cpu_raise_fault(c, FAULT_ALIGNMENT, a, total, false);
        return false;
    }
    *addr = a;
    return true;
}

/* A write of BYTES at ADDR by an atomic: clears the local monitor if it
 * overlaps the monitored block (the choice explained above). */
static inline void monitor_store(struct cpu *c, uint64_t addr, unsigned bytes)
{
    if (c->excl_valid && addr < c->excl_addr + c->excl_size && c->excl_addr < addr + bytes)
        c->excl_valid = false;
}

/* ---- LD<op>, ST<op>, SWP ---- */

/* size = bytes, op = mem_atomic_op, rm = Rs (operand), rd = Rt (old value). */
static void exec_LD_atomic(struct cpu *c, const struct insn *in)
{
    uint64_t addr, data;
    if (!atomic_address(c, in, in->size, &addr) || !mem_read(c, addr, in->size, &data))
        return;
    uint64_t value = X(in->rm) & size_mask(in->size);
    if (!mem_write(c, addr, in->size, mem_atomic_result(in->op, data, value, in->size)))
        return;
    monitor_store(c, addr, in->size);
    X(in->rd) = data; /* ZeroExtend(data, regsize): mem_read zero-extends */
    insn_next(c, in);
}

bool trans_LDST_atomic(struct insn *in, const struct insn_fields *f)
{
    /* o3 = 1 holds SWP (opc 000), LDAPR (100, its own pattern, matched
     * first) and the FEAT_LS64 forms, which are not implemented. */
    if (f->o3 && f->opc != 0)
        return false;
    in->op = (uint8_t)(f->o3 ? MEM_ATOMIC_SWP : f->opc);
    in->size = (uint8_t)(1u << f->size);
    in->rm = reg_zr(f->Rs);
    in->rn = reg_sp(f->Rn);
    in->rd = reg_zr_dst(f->Rt);
    in->fn = exec_LD_atomic;
    return true;
}

/* ---- CAS, CASA, CASL, CASAL (B/H/W/X) ---- */

/* size = bytes, rm = Rs as a source, ra = Rs as a destination, rd = Rt. */
static void exec_CAS(struct cpu *c, const struct insn *in)
{
    uint64_t addr, data;
    if (!atomic_address(c, in, in->size, &addr) || !mem_read(c, addr, in->size, &data))
        return;
    if (data == (X(in->rm) & size_mask(in->size))) {
        if (!mem_write(c, addr, in->size, X(in->rd)))
            return;
        monitor_store(c, addr, in->size);
    }
    X(in->ra) = data;
    insn_next(c, in);
}

bool trans_CAS(struct insn *in, const struct insn_fields *f)
{
    in->size = (uint8_t)(1u << f->size);
    in->rm = reg_zr(f->Rs);
    in->ra = reg_zr_dst(f->Rs);
    in->rn = reg_sp(f->Rn);
    in->rd = reg_zr(f->Rt);
    in->fn = exec_CAS;
    return true;
}

/* ---- CASP, CASPA, CASPL, CASPAL (W and X pairs) ----
 *
 * rm = Rs, rd = Rt: both even, so neither is 31 and its slot serves for
 * reading and writing. The second register of a pair may be 31: reading
 * slot rm + 1 or rd + 1 then gives zero as XZR should, and ra holds the
 * write slot of Rs + 1 (the sink for XZR). In little-endian order the
 * first register of each pair goes with the lower address. */

/* Two words: one 64-bit access. */
static void exec_CASP_w(struct cpu *c, const struct insn *in)
{
    uint64_t addr, data;
    if (!atomic_address(c, in, 8, &addr) || !mem_read(c, addr, 8, &data))
        return;
    uint64_t compare = (uint32_t)X(in->rm) | (uint64_t)(uint32_t)X(in->rm + 1) << 32;
    if (data == compare) {
        uint64_t value = (uint32_t)X(in->rd) | (uint64_t)(uint32_t)X(in->rd + 1) << 32;
        if (!mem_write(c, addr, 8, value))
            return;
        monitor_store(c, addr, 8);
    }
    X(in->rm) = (uint32_t)data;
    X(in->ra) = data >> 32;
    insn_next(c, in);
}

/* Two doublewords: 16 bytes, read and written as two 64-bit halves. */
static void exec_CASP_x(struct cpu *c, const struct insn *in)
{
    uint64_t addr, lo, hi;
    if (!atomic_address(c, in, 16, &addr) || !mem_read(c, addr, 8, &lo) ||
        !mem_read(c, addr + 8, 8, &hi))
        return;
    if (lo == X(in->rm) && hi == X(in->rm + 1)) {
        if (!mem_write(c, addr, 8, X(in->rd)) || !mem_write(c, addr + 8, 8, X(in->rd + 1)))
            return;
        monitor_store(c, addr, 16);
    }
    X(in->rm) = lo;
    X(in->ra) = hi;
    insn_next(c, in);
}

bool trans_CASP(struct insn *in, const struct insn_fields *f)
{
    unsigned s = f->Rs, t = f->Rt;
    /* CASP decode pseudocode: Rs<0> == '1' or Rt<0> == '1' is UNDEFINED. */
    if ((s | t) & 1)
        return false;
    in->size = f->sz ? 8 : 4;
    in->rm = (uint8_t)s;
    in->ra = reg_zr_dst(s + 1);
    in->rn = reg_sp(f->Rn);
    in->rd = (uint8_t)t;
    in->fn = f->sz ? exec_CASP_x : exec_CASP_w;
    return true;
}
