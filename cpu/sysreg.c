/* System registers reached by MRS/MSR: one table, one row per register.
 *
 * A row gives the encoding (op0:op1:CRn:CRm:op2), the name, the lowest EL
 * that may read and write it (NEVER: that direction is an unallocated
 * encoding, so MRS of a write-only or MSR of a read-only register is
 * UNDEFINED at decode), what it needs to exist (EL2, FEAT_VHE, FEAT_PAN),
 * the EL2 control that traps it, and either its storage in struct cpu
 * with the writable bits, or the functions that compute it.
 *
 * An access is checked in the order the Arm ARM register pseudocode uses:
 *
 *   1. the register exists on this PE, else UNDEFINED;
 *   2. _EL12 accessors work only at EL2 with HCR_EL2.E2H = 1 (else
 *      UNDEFINED), and at EL2 with E2H = 1 the EL1 registers of the VHE
 *      redirection list reach their EL2 counterparts (the Arm ARM's
 *      "Virtualization Host Extensions" list): both resolve to another row;
 *   3. an EL below the row's minimum is UNDEFINED (EL2 registers from EL1:
 *      there is no FEAT_NV; EL1 registers from EL0);
 *   4. EL0 accesses that an SCTLR_ELx bit must enable (DAIF: UMA, CTR_EL0:
 *      UCT) trap to EL1, or EL2 when HCR_EL2.TGE is set;
 *   5. EL1 (and EL0) accesses that HCR_EL2, CPTR_EL2 or MDCR_EL2 trap go to
 *      EL2 with EC 0x18 and the full ISS (Op0, Op2, Op1, CRn, Rt, CRm,
 *      direction). These controls do not apply in the EL2&0 host regime
 *      (HCR_EL2.{E2H, TGE} = {1, 1}).
 *
 * The encodings reserved for ID registers (op0 = 3, op1 = 0, CRn = 0,
 * CRm = 1..7) that no register uses read as zero and trap with TID3; those
 * reserved for IMPLEMENTATION DEFINED registers (op0 = 3, CRn = 11 or 15)
 * hold none here, so they are UNDEFINED unless HCR_EL2.TIDCP traps them
 * from EL1. An op0 = 3 encoding not in the table may belong to a table
 * another module registered with the PE (struct cpu_sysregs in cpu/cpu.h:
 * the GIC CPU interface); every other encoding is UNDEFINED.
 *
 * Registers whose layout depends on HCR_EL2.E2H (SCTLR_EL2, TCR_EL2,
 * CPTR_EL2, TTBR0_EL2, CNTHCTL_EL2) are masked with the layout in force
 * when they are written. Choices the architecture leaves open are listed
 * in docs/architecture.md ("System registers"). */
#include <assert.h>
#include <stddef.h>

#include "cpu/decode.h"
#include "timer/timer.h"

#define ENC(op0, op1, crn, crm, op2)                                                               \
    ((uint32_t)((op0) << 14 | (op1) << 11 | (crn) << 7 | (crm) << 3 | (op2)))
#define NEVER       4 /* no EL may perform this access */
#define NO_STORAGE  SIZE_MAX
#define BIT(n)      (1ull << (n))
#define ENC_NONE    0x10000u /* matches no 16-bit encoding */
#define RESERVED_ID ENC_NONE /* the row standing for the reserved ID encodings */
/* in->imm of an encoding with no row (sysreg_decode). */
#define SYSREG_IMPDEF   (-1)
#define SYSREG_EXTERNAL (-2)

enum {
    SR_NEEDS_EL2 = 1 << 0,   /* exists only when EL2 is implemented */
    SR_VHE = 1 << 1,         /* exists only with FEAT_VHE */
    SR_PAN = 1 << 2,         /* exists only with FEAT_PAN */
    SR_E2H_ALIAS = 1 << 3,   /* at EL2 with E2H = 1, reaches the register .alias names */
    SR_EL12 = 1 << 4,        /* _EL12 accessor: EL2 with E2H = 1 only, reaches .alias */
    SR_ID = 1 << 5,          /* read-only value from the CPU profile */
    SR_TRANSLATION = 1 << 6, /* a write changes how addresses translate */
    SR_TIMER = 1 << 8,       /* a generic timer register: .tmr names it */
    SR_FP = 1 << 9,          /* FPCR, FPSR: subject to the SIMD&FP access traps (EC 0x07) */
};

/* The EL2 control that traps an access from EL1 (and EL0 where the
 * register is accessible there). */
enum sr_trap {
    TRAP_NONE,
    TRAP_TVM,   /* HCR_EL2.TVM traps writes, HCR_EL2.TRVM reads */
    TRAP_TID1,  /* HCR_EL2.TID1 */
    TRAP_TID2,  /* HCR_EL2.TID2 */
    TRAP_TID3,  /* HCR_EL2.TID3 */
    TRAP_TACR,  /* HCR_EL2.TACR */
    TRAP_TCPAC, /* CPTR_EL2.TCPAC */
    TRAP_TDA,   /* MDCR_EL2.TDA (or TDE, or HCR_EL2.TGE) */
    TRAP_TDOSA, /* MDCR_EL2.TDOSA (likewise) */
    TRAP_TDRA,  /* MDCR_EL2.TDRA (likewise) */
};

struct sysreg {
    const char *name;
    uint32_t enc;
    uint8_t read_el, write_el;
    uint16_t flags;
    uint8_t trap;   /* enum sr_trap */
    size_t offset;  /* plain storage, or NO_STORAGE */
    uint64_t wmask; /* writable bits of plain storage */
    bool (*read)(struct cpu *c, uint64_t *value);
    bool (*write)(struct cpu *c, uint64_t value);
    uint32_t alias;     /* SR_E2H_ALIAS, SR_EL12: the register reached */
    uint8_t el0_enable; /* SCTLR_ELx bit that lets EL0 access it; 0: none needed */
    uint8_t tmr;        /* SR_TIMER: the enum timer_reg, reached through the PE's hooks */
};

/* ---- bits of the registers this file gives meaning to ---- */

#define HCR_TID0  BIT(15)
#define HCR_TID1  BIT(16)
#define HCR_TID2  BIT(17)
#define HCR_TID3  BIT(18)
#define HCR_TIDCP BIT(20)
#define HCR_TACR  BIT(21)
#define HCR_TSW   BIT(22)
#define HCR_TPCP  BIT(23)
#define HCR_TPU   BIT(24)
#define HCR_TTLB  BIT(25)
#define HCR_TVM   BIT(26)
#define HCR_TDZ   BIT(28)
#define HCR_TRVM  BIT(30)

#define MDCR_TDE   BIT(8)
#define MDCR_TDA   BIT(9)
#define MDCR_TDOSA BIT(10)
#define MDCR_TDRA  BIT(11)

#define CPTR_TCPAC BIT(31)

/* SCTLR_ELx fields by bit number (Arm ARM SCTLR_EL1, SCTLR_EL2). */
enum {
    SCTLR_BIT_UMA = 9,
    SCTLR_BIT_DZE = 14,
    SCTLR_BIT_UCT = 15,
    SCTLR_BIT_UCI = 26,
};

/* SCTLR_EL1, and SCTLR_EL2 with E2H = 1, on a PE with no AArch32 at EL0
 * and little-endian data only: writable M, A, C, SA, SA0, UMA (EL1 only),
 * I, DZE, UCT, nTWI, nTWE, WXN, UCI, and SPAN with FEAT_PAN; RES1 ITD,
 * SED, EOS, TSCXT, EIS, nTLSMD, LSMAOE, and SPAN without FEAT_PAN (no
 * FEAT_ExS, FEAT_CSV2_2, FEAT_LSMAOC); CP15BEN, E0E, EE and the rest RES0. */
#define SCTLR_HOST_WMASK                                                                           \
    (BIT(0) | BIT(1) | BIT(2) | BIT(3) | BIT(4) | BIT(12) | BIT(14) | BIT(15) | BIT(16) |          \
     BIT(18) | BIT(19) | BIT(26))
#define SCTLR_EL1_WMASK (SCTLR_HOST_WMASK | BIT(SCTLR_BIT_UMA))
#define SCTLR_RES1      (BIT(7) | BIT(8) | BIT(11) | BIT(20) | BIT(22) | BIT(28) | BIT(29))
/* SCTLR_EL2 with E2H = 0: writable M, A, C, SA, I, WXN; RES1 SA0,
 * CP15BEN, EOS, nTWI, nTWE, EIS, SPAN, nTLSMD, LSMAOE. */
#define SCTLR_EL2_WMASK (BIT(0) | BIT(1) | BIT(2) | BIT(3) | BIT(12) | BIT(19))
#define SCTLR_EL2_RES1                                                                             \
    (BIT(4) | BIT(5) | BIT(11) | BIT(16) | BIT(18) | BIT(22) | BIT(23) | BIT(28) | BIT(29))

/* TCR_EL1 (and TCR_EL2 with E2H = 1): T0SZ, EPD0, IRGN0, ORGN0, SH0, TG0,
 * T1SZ, A1, EPD1, IRGN1, ORGN1, SH1, TG1, IPS, AS, TBI0, TBI1; HPD0 and
 * HPD1 with FEAT_HPDS. No HA/HD (no FEAT_HAFDBS). */
#define TCR_WMASK (((BIT(39) - 1) & ~BIT(6) & ~BIT(35)))
#define TCR_HPD01 (BIT(41) | BIT(42))
/* TCR_EL2 with E2H = 0: T0SZ, IRGN0, ORGN0, SH0, TG0, PS, TBI; HPD with
 * FEAT_HPDS; RES1 bits 23 and 31. */
#define TCR_EL2_WMASK ((BIT(6) - 1) | (BIT(19) - BIT(8)) | BIT(20))
#define TCR_EL2_HPD   BIT(24)
#define TCR_EL2_RES1  (BIT(23) | BIT(31))
/* VTCR_EL2: T0SZ, SL0, IRGN0, ORGN0, SH0, TG0, PS; VS with FEAT_VMID16;
 * RES1 bit 31. */
#define VTCR_WMASK (BIT(19) - 1)
#define VTCR_VS    BIT(19)
#define VTCR_RES1  BIT(31)
/* TTBRn: BADDR (47:1) and ASID/VMID (63:48; VMID 55:48 without
 * FEAT_VMID16). CnP is RES0 (no FEAT_TTCNP). */
#define TTBR_BADDR  (BIT(48) - 2)
#define TTBR_WMASK  (~1ull)
#define VTTBR_VMID8 (TTBR_BADDR | (0xffull << 48))
/* CPTR_EL2 with E2H = 0: TFP, TCPAC writable; RES1 bits 13:12 and 9:0 (TZ
 * included: no SVE). With E2H = 1 it has the CPACR_EL1 layout: FPEN, and
 * TCPAC. TTA and TAM are RES0 (no trace system registers, no AMU). */
#define CPTR_WMASK      (BIT(10) | CPTR_TCPAC)
#define CPTR_RES1       (BIT(13) | BIT(12) | (BIT(10) - 1))
#define CPTR_HOST_WMASK ((3ull << 20) | CPTR_TCPAC)
#define CPACR_WMASK     (3ull << 20) /* FPEN */
/* FPCR: AHP, DN, FZ, RMode. The trap enables (IDE, IXE, UFE, OFE, DZE,
 * IOE) are RAZ/WI: no trapped floating-point exceptions; Len, Stride and
 * FZ16 are RES0 (no AArch32, no FEAT_FP16). FPSR: QC and the cumulative
 * flags; N, Z, C, V are RES0 without AArch32. */
#define FPCR_WMASK 0x07c00000ull
#define FPSR_WMASK 0x0800009full
/* CNTHCTL_EL2: EL1PCTEN, EL1PCEN, EVNTEN, EVNTDIR, EVNTI; with E2H = 1
 * also EL0VTEN, EL0PTEN, EL1PCTEN, EL1PTEN (the CNTKCTL_EL1 layout). */
#define CNTHCTL_WMASK      0xffull
#define CNTHCTL_HOST_WMASK 0xfffull
#define CNTKCTL_WMASK      0x3ffull
/* HCR_EL2: every control up to E2H (bit 34) is kept; TID0 is RES0 (it
 * traps only AArch32 registers), E2H RES0 without FEAT_VHE, and RW RAO/WI
 * because EL1 has no AArch32 (Arm ARM HCR_EL2). */
#define HCR_WMASK (BIT(35) - 1)
/* VMPIDR_EL2: Aff3, U, MT, Aff2..Aff0 writable, bit 31 RES1. */
#define VMPIDR_WMASK (0xff00000000ull | BIT(30) | BIT(24) | 0xffffffull)
#define MPIDR_RES1   BIT(31)
/* MDCR_EL2 with no PMU, SPE or trace: TDE, TDA, TDOSA, TDRA. */
#define MDCR_WMASK (MDCR_TDE | MDCR_TDA | MDCR_TDOSA | MDCR_TDRA)
/* HSTR_EL2: T<n> for CP15 primary registers n = 0..15 except 4 and 14. */
#define HSTR_WMASK 0xbfefull
/* HPFAR_EL2: FIPA (IPA bits 47:12 in bits 39:4 here) for 48-bit IPAs. */
#define HPFAR_WMASK ((BIT(40) - 1) & ~0xfull)
/* Self-hosted debug (cpu/debug.c): MDSCR_EL1 SS, ERR, TDCC, KDE, HDE, MDE,
 * TMA, INTdis, TXU, RXO, TXfull, RXfull (what debug.c does not use is
 * kept and does nothing); breakpoint and watchpoint control registers
 * with their Armv8.0 fields: DBGBCR E, PMC, BAS, HMC, SSC, LBN, BT, where
 * BAS is RES1 on a PE with no AArch32; DBGWCR E, PAC, LSC, BAS, HMC,
 * SSC, LBN, WT, MASK. */
#define MDSCR_WMASK                                                                                \
    (BIT(0) | BIT(6) | BIT(12) | BIT(13) | BIT(14) | BIT(15) | BIT(21) | BIT(22) | BIT(23) |       \
     BIT(26) | BIT(27) | BIT(29) | BIT(30))
#define DBGBCR_WMASK 0xffe007ull
#define DBGBCR_RES1  0x1e0ull
#define DBGWCR_WMASK 0x1f1fffffull
#define DBGVR_WMASK  (~3ull)
/* OSLSR_EL1: OSLM = 0b10 (the OS Lock is implemented), OSLK. */
#define OSLSR_OSLM2 BIT(3)
#define OSLSR_OSLK  BIT(1)
/* DCZID_EL0.DZP: DC ZVA is prohibited at the current EL. */
#define DCZID_DZP BIT(4)

/* ---- the state that decides traps and redirection ---- */

static bool e2h(const struct cpu *c)
{
    return c->have_el2 && (c->hcr_el2 & HCR_E2H);
}

/* ELIsInHost(EL0)/(EL2): the EL2&0 regime, HCR_EL2.{E2H, TGE} = {1, 1}. */
static bool in_host(const struct cpu *c)
{
    return e2h(c) && (c->hcr_el2 & HCR_TGE);
}

/* The SCTLR that controls EL0: SCTLR_EL2 in the host regime. */
static uint64_t el0_sctlr(const struct cpu *c)
{
    return in_host(c) ? c->sctlr[2] : c->sctlr[1];
}

/* Where an EL0 access that an SCTLR bit disables traps to. */
static unsigned el0_trap_target(const struct cpu *c)
{
    return c->have_el2 && (c->hcr_el2 & HCR_TGE) ? 2 : 1;
}

/* Do the EL2 trap controls (HCR_EL2, CPTR_EL2, MDCR_EL2) apply here? */
static bool el2_controls_apply(const struct cpu *c)
{
    return c->have_el2 && c->el < 2 && !in_host(c);
}

/* The ISS of EC 0x18 from an MRS, MSR (register), SYS or SYSL word: the
 * instruction's own fields, rearranged (Arm ARM ESR_ELx, "ISS encoding for
 * an exception from MSR, MRS, or System instruction execution"). */
static uint32_t sysreg_iss(uint32_t raw)
{
    return bits(raw, 20, 19) << 20 | bits(raw, 7, 5) << 17 | bits(raw, 18, 16) << 14 |
           bits(raw, 15, 12) << 10 | bits(raw, 4, 0) << 5 | bits(raw, 11, 8) << 1 |
           (uint32_t)bit(raw, 21);
}

static void undefined(struct cpu *c)
{
    cpu_raise_fault(c, FAULT_UNDEFINED, 0, 0, false);
}

/* Writes that can change translation (SCTLR, TCR, TTBRn, MAIR, HCR_EL2,
 * VTCR_EL2, VTTBR_EL2, PSTATE.PAN): the software TLB drops what the new
 * value makes wrong and, if the context changed, the run loop stops so
 * that the next fetch translates under it (cpu/mem.c). */
static void translation_changed(struct cpu *c)
{
    mem_tlb_sync(c);
}

/* ---- computed registers ---- */

static bool read_nzcv(struct cpu *c, uint64_t *v)
{
    *v = nzcv_get(c);
    return true;
}
static bool write_nzcv(struct cpu *c, uint64_t v)
{
    nzcv_set(c, (uint32_t)v);
    return true;
}

/* ISR_EL1: A (8), I (7), F (6) pending. At EL1 with EL2 routing the
 * interrupt to itself (HCR_EL2.AMO, IMO, FMO; TGE clear) the bit shows the
 * virtual interrupt (HCR_EL2.VSE; the vIRQ/vFIQ input or HCR_EL2.VI/VF),
 * elsewhere the physical input (Arm ARM, ISR_EL1). */
static bool read_isr(struct cpu *c, uint64_t *v)
{
    bool virt = c->el == 1 && c->have_el2 && !(c->hcr_el2 & HCR_TGE);
    uint64_t hcr = c->hcr_el2;
    bool a = virt && (hcr & HCR_AMO) ? (hcr & HCR_VSE) : cpu_irq_line(c, CPU_LINE_SERROR);
    bool i = virt && (hcr & HCR_IMO) ? cpu_irq_line(c, CPU_LINE_VIRQ) || (hcr & HCR_VI)
                                     : cpu_irq_line(c, CPU_LINE_IRQ);
    bool f = virt && (hcr & HCR_FMO) ? cpu_irq_line(c, CPU_LINE_VFIQ) || (hcr & HCR_VF)
                                     : cpu_irq_line(c, CPU_LINE_FIQ);
    *v = (a ? BIT(8) : 0) | (i ? BIT(7) : 0) | (f ? BIT(6) : 0);
    return true;
}

static bool read_daif(struct cpu *c, uint64_t *v)
{
    *v = c->daif;
    return true;
}
static bool write_daif(struct cpu *c, uint64_t v)
{
    c->daif = (uint32_t)v & PSR_DAIF;
    cpu_daif_changed(c);
    debug_context_changed(c); /* PSTATE.D masks debug exceptions at the EL they target */
    cpu_update_async(c);
    return true;
}
static bool read_currentel(struct cpu *c, uint64_t *v)
{
    *v = (uint64_t)c->el << 2;
    return true;
}
static bool read_spsel(struct cpu *c, uint64_t *v)
{
    *v = c->spsel;
    return true;
}
static bool write_spsel(struct cpu *c, uint64_t v)
{
    cpu_set_el_sp(c, c->el, v & 1);
    return true;
}
static bool read_pan(struct cpu *c, uint64_t *v)
{
    *v = c->pan ? PSR_PAN : 0;
    return true;
}
static bool write_pan(struct cpu *c, uint64_t v)
{
    c->pan = (v & PSR_PAN) != 0;
    return true;
}
/* SP_EL0 is UNDEFINED while it is the current stack pointer (Arm ARM
 * C5.2.x SP_EL0: "when PSTATE.SP == 0"). */
static bool read_sp_el0(struct cpu *c, uint64_t *v)
{
    if (!c->spsel)
        return false;
    *v = c->sp_el[0];
    return true;
}
static bool write_sp_el0(struct cpu *c, uint64_t v)
{
    if (!c->spsel)
        return false;
    c->sp_el[0] = v;
    return true;
}
static bool read_sp_el1(struct cpu *c, uint64_t *v)
{
    *v = c->sp_el[1];
    return true;
}
static bool write_sp_el1(struct cpu *c, uint64_t v)
{
    c->sp_el[1] = v;
    return true;
}
/* Registers with no fields in this implementation (the IMPLEMENTATION
 * DEFINED ACTLR, AMAIR, AFSR0/1 and HACR): RAZ/WI. */
static bool read_zero(struct cpu *c, uint64_t *v)
{
    (void)c;
    *v = 0;
    return true;
}
static bool write_ignore(struct cpu *c, uint64_t v)
{
    (void)c;
    (void)v;
    return true;
}

/* MIDR_EL1 and MPIDR_EL1 read at EL1 return VPIDR_EL2 and VMPIDR_EL2 when
 * EL2 is implemented, so that a hypervisor can give its guest an identity. */
static bool read_midr(struct cpu *c, uint64_t *v)
{
    *v = c->el == 1 && c->have_el2 ? c->vpidr_el2 : profile_id_reg(c, ENC(3, 0, 0, 0, 0));
    return true;
}
static bool read_mpidr(struct cpu *c, uint64_t *v)
{
    *v = c->el == 1 && c->have_el2 ? c->vmpidr_el2 : c->mpidr;
    return true;
}
static bool write_vmpidr(struct cpu *c, uint64_t v)
{
    c->vmpidr_el2 = (v & VMPIDR_WMASK) | MPIDR_RES1;
    return true;
}

static bool read_dczid(struct cpu *c, uint64_t *v)
{
    bool prohibited = c->el == 0 && !(el0_sctlr(c) & BIT(SCTLR_BIT_DZE));
    if (el2_controls_apply(c) && (c->hcr_el2 & HCR_TDZ))
        prohibited = true;
    *v = profile_id_reg(c, ENC(3, 3, 0, 0, 7)) | (prohibited ? DCZID_DZP : 0);
    return true;
}

static bool write_hcr_el2(struct cpu *c, uint64_t v)
{
    uint64_t mask = HCR_WMASK & ~HCR_TID0;
    if (!(c->features & CPU_FEAT_VHE))
        mask &= ~HCR_E2H;
    c->hcr_el2 = (v & mask) | HCR_RW;
    fp_access_update(c);
    debug_update(c); /* TGE routes debug exceptions to EL2 */
    cpu_update_async(c);
    return true;
}

static uint64_t pan_bit(const struct cpu *c)
{
    return c->features & CPU_FEAT_PAN ? SCTLR_SPAN : 0;
}

static bool write_sctlr_el1(struct cpu *c, uint64_t v)
{
    uint64_t span = pan_bit(c);
    c->sctlr[1] = (v & (SCTLR_EL1_WMASK | span)) | SCTLR_RES1 | (SCTLR_SPAN & ~span);
    return true;
}

static bool write_sctlr_el2(struct cpu *c, uint64_t v)
{
    uint64_t span = pan_bit(c);
    if (e2h(c))
        c->sctlr[2] = (v & (SCTLR_HOST_WMASK | span)) | SCTLR_RES1 | (SCTLR_SPAN & ~span);
    else
        c->sctlr[2] = (v & SCTLR_EL2_WMASK) | SCTLR_EL2_RES1;
    return true;
}

static uint64_t tcr_wmask(const struct cpu *c)
{
    return TCR_WMASK | (c->features & CPU_FEAT_HPDS ? TCR_HPD01 : 0);
}

static bool write_tcr_el1(struct cpu *c, uint64_t v)
{
    c->tcr[1] = v & tcr_wmask(c);
    return true;
}

static bool write_tcr_el2(struct cpu *c, uint64_t v)
{
    if (e2h(c)) {
        c->tcr[2] = v & tcr_wmask(c);
        return true;
    }
    uint64_t hpd = c->features & CPU_FEAT_HPDS ? TCR_EL2_HPD : 0;
    c->tcr[2] = (v & (TCR_EL2_WMASK | hpd)) | TCR_EL2_RES1;
    return true;
}

/* TTBR0_EL2 has an ASID only in the EL2&0 regime. */
static bool write_ttbr0_el2(struct cpu *c, uint64_t v)
{
    c->ttbr0[2] = v & (e2h(c) ? TTBR_WMASK : TTBR_BADDR);
    return true;
}

static bool write_vtcr_el2(struct cpu *c, uint64_t v)
{
    uint64_t vs = c->features & CPU_FEAT_VMID16 ? VTCR_VS : 0;
    c->vtcr_el2 = (v & (VTCR_WMASK | vs)) | VTCR_RES1;
    return true;
}

static bool write_vttbr_el2(struct cpu *c, uint64_t v)
{
    c->vttbr_el2 = v & (c->features & CPU_FEAT_VMID16 ? TTBR_WMASK : VTTBR_VMID8);
    return true;
}

static bool write_cptr_el2(struct cpu *c, uint64_t v)
{
    c->cptr_el2 = e2h(c) ? v & CPTR_HOST_WMASK : (v & CPTR_WMASK) | CPTR_RES1;
    fp_access_update(c);
    return true;
}

static bool write_cpacr_el1(struct cpu *c, uint64_t v)
{
    c->cpacr_el1 = v & CPACR_WMASK;
    fp_access_update(c);
    return true;
}

static bool read_fpcr(struct cpu *c, uint64_t *v)
{
    *v = c->fp.fpcr;
    return true;
}
static bool write_fpcr(struct cpu *c, uint64_t v)
{
    c->fp.fpcr = (uint32_t)(v & FPCR_WMASK);
    return true;
}
static bool read_fpsr(struct cpu *c, uint64_t *v)
{
    *v = c->fp.fpsr;
    return true;
}
static bool write_fpsr(struct cpu *c, uint64_t v)
{
    c->fp.fpsr = (uint32_t)(v & FPSR_WMASK);
    return true;
}

/* The event-stream controls of CNTKCTL_EL1 and CNTHCTL_EL2 take effect
 * from now: the edges up to now count under the old ones. */
static bool write_cntkctl_el1(struct cpu *c, uint64_t v)
{
    evstream_settle(c);
    c->cntkctl_el1 = v & CNTKCTL_WMASK;
    return true;
}

static bool write_cnthctl_el2(struct cpu *c, uint64_t v)
{
    evstream_settle(c);
    c->cnthctl_el2 = v & (e2h(c) ? CNTHCTL_HOST_WMASK : CNTHCTL_WMASK);
    return true;
}

/* The OS Lock: OSLAR_EL1 (write-only) sets it, OSLSR_EL1 (read-only)
 * reports it. While it is locked no debug exception but BRK is generated. */
static bool write_oslar(struct cpu *c, uint64_t v)
{
    c->os_lock = v & 1;
    debug_update(c);
    return true;
}

/* The registers debug_update() derives the PE's debug state from. */
static bool write_mdscr(struct cpu *c, uint64_t v)
{
    c->mdscr_el1 = v & MDSCR_WMASK;
    debug_update(c);
    return true;
}
static bool write_osdlr(struct cpu *c, uint64_t v)
{
    c->osdlr_el1 = v & 1;
    debug_update(c);
    return true;
}
static bool write_dbgprcr(struct cpu *c, uint64_t v)
{
    c->dbgprcr_el1 = v & 1;
    debug_update(c);
    return true;
}
static bool write_mdcr_el2(struct cpu *c, uint64_t v)
{
    c->mdcr_el2 = v & MDCR_WMASK;
    debug_update(c);
    return true;
}

static bool write_dbgbcr(struct cpu *c, unsigned n, uint64_t v)
{
    c->dbgbcr[n] = (v & DBGBCR_WMASK) | DBGBCR_RES1;
    debug_update(c);
    return true;
}
static bool write_dbgwcr(struct cpu *c, unsigned n, uint64_t v)
{
    c->dbgwcr[n] = v & DBGWCR_WMASK;
    debug_update(c);
    return true;
}
#define DBG_WRITERS(n)                                                                             \
    static bool write_dbgbcr##n(struct cpu *c, uint64_t v)                                         \
    {                                                                                              \
        return write_dbgbcr(c, n, v);                                                              \
    }                                                                                              \
    static bool write_dbgwcr##n(struct cpu *c, uint64_t v)                                         \
    {                                                                                              \
        return write_dbgwcr(c, n, v);                                                              \
    }
DBG_WRITERS(0)
DBG_WRITERS(1)
DBG_WRITERS(2)
DBG_WRITERS(3)
static bool write_dbgbcr4(struct cpu *c, uint64_t v)
{
    return write_dbgbcr(c, 4, v);
}
static bool write_dbgbcr5(struct cpu *c, uint64_t v)
{
    return write_dbgbcr(c, 5, v);
}
_Static_assert(DBG_BRPS == 6 && DBG_WRPS == 4, "one table row per comparator");
static bool read_oslsr(struct cpu *c, uint64_t *v)
{
    *v = OSLSR_OSLM2 | (c->os_lock ? OSLSR_OSLK : 0);
    return true;
}

/* clang-format off */
#define PLAIN(field, mask) .offset = offsetof(struct cpu, field), .wmask = (mask)
#define FUNCS(r, w)        .offset = NO_STORAGE, .read = (r), .write = (w)
#define TMR(reg)           .offset = NO_STORAGE, .tmr = (reg)
#define TMR_P(field)       TMR(TIMER_REG_##field + 3 * TIMER_EL1_PHYS)
#define TMR_V(field)       TMR(TIMER_REG_##field + 3 * TIMER_EL1_VIRT)
#define TMR_HP(field)      TMR(TIMER_REG_##field + 3 * TIMER_EL2_PHYS)
#define TMR_HV(field)      TMR(TIMER_REG_##field + 3 * TIMER_EL2_VIRT)
#define RAZ_WI             FUNCS(read_zero, write_ignore)
#define STORED(field, w)   .offset = offsetof(struct cpu, field), .write = (w) /* read: the field */
#define FROM_PROFILE       FUNCS(NULL, NULL) /* SR_ID: the profile's value */
#define TO(op0, op1, crn, crm, op2) .alias = ENC(op0, op1, crn, crm, op2)
#define EL2_ONLY           SR_NEEDS_EL2
#define EL12               (SR_EL12 | SR_NEEDS_EL2 | SR_VHE)
#define VHE_ALIAS          SR_E2H_ALIAS
#define XLAT               SR_TRANSLATION

static const struct sysreg table[] = {
    /* name             encoding               read   write  flags                 trap        storage */

    /* -- PSTATE and stack pointers -- */
    {"NZCV",            ENC(3, 3, 4, 2, 0),    0,     0,     0,                    TRAP_NONE,  FUNCS(read_nzcv, write_nzcv)},
    {"FPCR",            ENC(3, 3, 4, 4, 0),    0,     0,     SR_FP,                TRAP_NONE,  FUNCS(read_fpcr, write_fpcr)},
    {"FPSR",            ENC(3, 3, 4, 4, 1),    0,     0,     SR_FP,                TRAP_NONE,  FUNCS(read_fpsr, write_fpsr)},
    {"DAIF",            ENC(3, 3, 4, 2, 1),    0,     0,     0,                    TRAP_NONE,  FUNCS(read_daif, write_daif), .el0_enable = SCTLR_BIT_UMA},
    {"CurrentEL",       ENC(3, 0, 4, 2, 2),    1,     NEVER, 0,                    TRAP_NONE,  FUNCS(read_currentel, NULL)},
    {"SPSel",           ENC(3, 0, 4, 2, 0),    1,     1,     0,                    TRAP_NONE,  FUNCS(read_spsel, write_spsel)},
    {"ISR_EL1",         ENC(3, 0, 12, 1, 0),   1,     NEVER, 0,                    TRAP_NONE,  FUNCS(read_isr, NULL)},
    {"PAN",             ENC(3, 0, 4, 2, 3),    1,     1,     SR_PAN | XLAT,        TRAP_NONE,  FUNCS(read_pan, write_pan)},
    {"SP_EL0",          ENC(3, 0, 4, 1, 0),    1,     1,     0,                    TRAP_NONE,  FUNCS(read_sp_el0, write_sp_el0)},
    {"SP_EL1",          ENC(3, 4, 4, 1, 0),    2,     2,     EL2_ONLY,             TRAP_NONE,  FUNCS(read_sp_el1, write_sp_el1)},

    /* -- identification (values from cpu/profile.c) -- */
    {"MIDR_EL1",        ENC(3, 0, 0, 0, 0),    1,     NEVER, 0,                    TRAP_NONE,  FUNCS(read_midr, NULL)},
    {"MPIDR_EL1",       ENC(3, 0, 0, 0, 5),    1,     NEVER, 0,                    TRAP_NONE,  FUNCS(read_mpidr, NULL)},
    {"REVIDR_EL1",      ENC(3, 0, 0, 0, 6),    1,     NEVER, SR_ID,                TRAP_TID1,  FROM_PROFILE},
    {"AIDR_EL1",        ENC(3, 1, 0, 0, 7),    1,     NEVER, SR_ID,                TRAP_TID1,  FROM_PROFILE},
    {"CTR_EL0",         ENC(3, 3, 0, 0, 1),    0,     NEVER, SR_ID,                TRAP_TID2,  FROM_PROFILE, .el0_enable = SCTLR_BIT_UCT},
    {"CCSIDR_EL1",      ENC(3, 1, 0, 0, 0),    1,     NEVER, SR_ID,                TRAP_TID2,  FROM_PROFILE},
    {"CLIDR_EL1",       ENC(3, 1, 0, 0, 1),    1,     NEVER, SR_ID,                TRAP_TID2,  FROM_PROFILE},
    {"CSSELR_EL1",      ENC(3, 2, 0, 0, 0),    1,     1,     0,                    TRAP_TID2,  PLAIN(csselr_el1, 0xf)},
    {"DCZID_EL0",       ENC(3, 3, 0, 0, 7),    0,     NEVER, 0,                    TRAP_NONE,  FUNCS(read_dczid, NULL)},
    /* AArch32 ID registers: RAZ on a PE with no AArch32. */
    {"ID_PFR0_EL1",     ENC(3, 0, 0, 1, 0),    1,     NEVER, SR_ID,                TRAP_TID3,  FROM_PROFILE},
    {"ID_PFR1_EL1",     ENC(3, 0, 0, 1, 1),    1,     NEVER, SR_ID,                TRAP_TID3,  FROM_PROFILE},
    {"ID_DFR0_EL1",     ENC(3, 0, 0, 1, 2),    1,     NEVER, SR_ID,                TRAP_TID3,  FROM_PROFILE},
    {"ID_AFR0_EL1",     ENC(3, 0, 0, 1, 3),    1,     NEVER, SR_ID,                TRAP_TID3,  FROM_PROFILE},
    {"ID_MMFR0_EL1",    ENC(3, 0, 0, 1, 4),    1,     NEVER, SR_ID,                TRAP_TID3,  FROM_PROFILE},
    {"ID_MMFR1_EL1",    ENC(3, 0, 0, 1, 5),    1,     NEVER, SR_ID,                TRAP_TID3,  FROM_PROFILE},
    {"ID_MMFR2_EL1",    ENC(3, 0, 0, 1, 6),    1,     NEVER, SR_ID,                TRAP_TID3,  FROM_PROFILE},
    {"ID_MMFR3_EL1",    ENC(3, 0, 0, 1, 7),    1,     NEVER, SR_ID,                TRAP_TID3,  FROM_PROFILE},
    {"ID_ISAR0_EL1",    ENC(3, 0, 0, 2, 0),    1,     NEVER, SR_ID,                TRAP_TID3,  FROM_PROFILE},
    {"ID_ISAR1_EL1",    ENC(3, 0, 0, 2, 1),    1,     NEVER, SR_ID,                TRAP_TID3,  FROM_PROFILE},
    {"ID_ISAR2_EL1",    ENC(3, 0, 0, 2, 2),    1,     NEVER, SR_ID,                TRAP_TID3,  FROM_PROFILE},
    {"ID_ISAR3_EL1",    ENC(3, 0, 0, 2, 3),    1,     NEVER, SR_ID,                TRAP_TID3,  FROM_PROFILE},
    {"ID_ISAR4_EL1",    ENC(3, 0, 0, 2, 4),    1,     NEVER, SR_ID,                TRAP_TID3,  FROM_PROFILE},
    {"ID_ISAR5_EL1",    ENC(3, 0, 0, 2, 5),    1,     NEVER, SR_ID,                TRAP_TID3,  FROM_PROFILE},
    {"ID_MMFR4_EL1",    ENC(3, 0, 0, 2, 6),    1,     NEVER, SR_ID,                TRAP_TID3,  FROM_PROFILE},
    {"ID_ISAR6_EL1",    ENC(3, 0, 0, 2, 7),    1,     NEVER, SR_ID,                TRAP_TID3,  FROM_PROFILE},
    {"MVFR0_EL1",       ENC(3, 0, 0, 3, 0),    1,     NEVER, SR_ID,                TRAP_TID3,  FROM_PROFILE},
    {"MVFR1_EL1",       ENC(3, 0, 0, 3, 1),    1,     NEVER, SR_ID,                TRAP_TID3,  FROM_PROFILE},
    {"MVFR2_EL1",       ENC(3, 0, 0, 3, 2),    1,     NEVER, SR_ID,                TRAP_TID3,  FROM_PROFILE},
    {"ID_PFR2_EL1",     ENC(3, 0, 0, 3, 4),    1,     NEVER, SR_ID,                TRAP_TID3,  FROM_PROFILE},
    {"ID_DFR1_EL1",     ENC(3, 0, 0, 3, 5),    1,     NEVER, SR_ID,                TRAP_TID3,  FROM_PROFILE},
    {"ID_MMFR5_EL1",    ENC(3, 0, 0, 3, 6),    1,     NEVER, SR_ID,                TRAP_TID3,  FROM_PROFILE},
    /* AArch64 ID registers. */
    {"ID_AA64PFR0_EL1", ENC(3, 0, 0, 4, 0),    1,     NEVER, SR_ID,                TRAP_TID3,  FROM_PROFILE},
    {"ID_AA64PFR1_EL1", ENC(3, 0, 0, 4, 1),    1,     NEVER, SR_ID,                TRAP_TID3,  FROM_PROFILE},
    {"ID_AA64DFR0_EL1", ENC(3, 0, 0, 5, 0),    1,     NEVER, SR_ID,                TRAP_TID3,  FROM_PROFILE},
    {"ID_AA64DFR1_EL1", ENC(3, 0, 0, 5, 1),    1,     NEVER, SR_ID,                TRAP_TID3,  FROM_PROFILE},
    {"ID_AA64AFR0_EL1", ENC(3, 0, 0, 5, 4),    1,     NEVER, SR_ID,                TRAP_TID3,  FROM_PROFILE},
    {"ID_AA64AFR1_EL1", ENC(3, 0, 0, 5, 5),    1,     NEVER, SR_ID,                TRAP_TID3,  FROM_PROFILE},
    {"ID_AA64ISAR0_EL1", ENC(3, 0, 0, 6, 0),   1,     NEVER, SR_ID,                TRAP_TID3,  FROM_PROFILE},
    {"ID_AA64ISAR1_EL1", ENC(3, 0, 0, 6, 1),   1,     NEVER, SR_ID,                TRAP_TID3,  FROM_PROFILE},
    {"ID_AA64ISAR2_EL1", ENC(3, 0, 0, 6, 2),   1,     NEVER, SR_ID,                TRAP_TID3,  FROM_PROFILE},
    {"ID_AA64MMFR0_EL1", ENC(3, 0, 0, 7, 0),   1,     NEVER, SR_ID,                TRAP_TID3,  FROM_PROFILE},
    {"ID_AA64MMFR1_EL1", ENC(3, 0, 0, 7, 1),   1,     NEVER, SR_ID,                TRAP_TID3,  FROM_PROFILE},
    {"ID_AA64MMFR2_EL1", ENC(3, 0, 0, 7, 2),   1,     NEVER, SR_ID,                TRAP_TID3,  FROM_PROFILE},
    /* Every other op0 = 3, op1 = 0, CRn = 0, CRm = 1..7 encoding (sysreg_find). */
    {"(reserved ID)",   RESERVED_ID,           1,     NEVER, SR_ID,                TRAP_TID3,  FROM_PROFILE},

    /* -- EL0 and EL1 -- */
    {"TPIDR_EL0",       ENC(3, 3, 13, 0, 2),   0,     0,     0,                    TRAP_NONE,  PLAIN(tpidr_el0, ~0ull)},
    {"TPIDRRO_EL0",     ENC(3, 3, 13, 0, 3),   0,     1,     0,                    TRAP_NONE,  PLAIN(tpidrro_el0, ~0ull)},
    {"TPIDR_EL1",       ENC(3, 0, 13, 0, 4),   1,     1,     0,                    TRAP_NONE,  PLAIN(tpidr_el1, ~0ull)},
    {"SCTLR_EL1",       ENC(3, 0, 1, 0, 0),    1,     1,     VHE_ALIAS | XLAT,     TRAP_TVM,   STORED(sctlr[1], write_sctlr_el1), TO(3, 4, 1, 0, 0)},
    {"ACTLR_EL1",       ENC(3, 0, 1, 0, 1),    1,     1,     0,                    TRAP_TACR,  RAZ_WI},
    {"CPACR_EL1",       ENC(3, 0, 1, 0, 2),    1,     1,     VHE_ALIAS,            TRAP_TCPAC, STORED(cpacr_el1, write_cpacr_el1), TO(3, 4, 1, 1, 2)},
    {"TTBR0_EL1",       ENC(3, 0, 2, 0, 0),    1,     1,     VHE_ALIAS | XLAT,     TRAP_TVM,   PLAIN(ttbr0[1], TTBR_WMASK), TO(3, 4, 2, 0, 0)},
    {"TTBR1_EL1",       ENC(3, 0, 2, 0, 1),    1,     1,     VHE_ALIAS | XLAT,     TRAP_TVM,   PLAIN(ttbr1[1], TTBR_WMASK), TO(3, 4, 2, 0, 1)},
    {"TCR_EL1",         ENC(3, 0, 2, 0, 2),    1,     1,     VHE_ALIAS | XLAT,     TRAP_TVM,   STORED(tcr[1], write_tcr_el1), TO(3, 4, 2, 0, 2)},
    {"SPSR_EL1",        ENC(3, 0, 4, 0, 0),    1,     1,     VHE_ALIAS,            TRAP_NONE,  PLAIN(spsr[1], 0xffffffffull), TO(3, 4, 4, 0, 0)},
    {"ELR_EL1",         ENC(3, 0, 4, 0, 1),    1,     1,     VHE_ALIAS,            TRAP_NONE,  PLAIN(elr[1], ~0ull), TO(3, 4, 4, 0, 1)},
    {"AFSR0_EL1",       ENC(3, 0, 5, 1, 0),    1,     1,     VHE_ALIAS,            TRAP_TVM,   RAZ_WI, TO(3, 4, 5, 1, 0)},
    {"AFSR1_EL1",       ENC(3, 0, 5, 1, 1),    1,     1,     VHE_ALIAS,            TRAP_TVM,   RAZ_WI, TO(3, 4, 5, 1, 1)},
    {"ESR_EL1",         ENC(3, 0, 5, 2, 0),    1,     1,     VHE_ALIAS,            TRAP_TVM,   PLAIN(esr[1], 0xffffffffull), TO(3, 4, 5, 2, 0)},
    {"FAR_EL1",         ENC(3, 0, 6, 0, 0),    1,     1,     VHE_ALIAS,            TRAP_TVM,   PLAIN(far[1], ~0ull), TO(3, 4, 6, 0, 0)},
    {"PAR_EL1",         ENC(3, 0, 7, 4, 0),    1,     1,     0,                    TRAP_NONE,  PLAIN(par_el1, ~0ull)},
    {"MAIR_EL1",        ENC(3, 0, 10, 2, 0),   1,     1,     VHE_ALIAS | XLAT,     TRAP_TVM,   PLAIN(mair[1], ~0ull), TO(3, 4, 10, 2, 0)},
    {"AMAIR_EL1",       ENC(3, 0, 10, 3, 0),   1,     1,     VHE_ALIAS,            TRAP_TVM,   RAZ_WI, TO(3, 4, 10, 3, 0)},
    {"VBAR_EL1",        ENC(3, 0, 12, 0, 0),   1,     1,     VHE_ALIAS,            TRAP_NONE,  PLAIN(vbar[1], ~0x7ffull), TO(3, 4, 12, 0, 0)},
    {"CONTEXTIDR_EL1",  ENC(3, 0, 13, 0, 1),   1,     1,     VHE_ALIAS,            TRAP_TVM,   PLAIN(contextidr[1], 0xffffffffull), TO(3, 4, 13, 0, 1)},
    {"CNTKCTL_EL1",     ENC(3, 0, 14, 1, 0),   1,     1,     VHE_ALIAS,            TRAP_NONE,  STORED(cntkctl_el1, write_cntkctl_el1), TO(3, 4, 14, 1, 0)},

    /* -- self-hosted debug (cpu/debug.c); comparators past DBG_BRPS and DBG_WRPS are absent -- */
    {"MDSCR_EL1",       ENC(2, 0, 0, 2, 2),    1,     1,     0,                    TRAP_TDA,   STORED(mdscr_el1, write_mdscr)},
    {"DBGBVR0_EL1",     ENC(2, 0, 0, 0, 4),    1,     1,     0,                    TRAP_TDA,   PLAIN(dbgbvr[0], DBGVR_WMASK)},
    {"DBGBCR0_EL1",     ENC(2, 0, 0, 0, 5),    1,     1,     0,                    TRAP_TDA,   STORED(dbgbcr[0], write_dbgbcr0)},
    {"DBGBVR1_EL1",     ENC(2, 0, 0, 1, 4),    1,     1,     0,                    TRAP_TDA,   PLAIN(dbgbvr[1], DBGVR_WMASK)},
    {"DBGBCR1_EL1",     ENC(2, 0, 0, 1, 5),    1,     1,     0,                    TRAP_TDA,   STORED(dbgbcr[1], write_dbgbcr1)},
    {"DBGBVR2_EL1",     ENC(2, 0, 0, 2, 4),    1,     1,     0,                    TRAP_TDA,   PLAIN(dbgbvr[2], DBGVR_WMASK)},
    {"DBGBCR2_EL1",     ENC(2, 0, 0, 2, 5),    1,     1,     0,                    TRAP_TDA,   STORED(dbgbcr[2], write_dbgbcr2)},
    {"DBGBVR3_EL1",     ENC(2, 0, 0, 3, 4),    1,     1,     0,                    TRAP_TDA,   PLAIN(dbgbvr[3], DBGVR_WMASK)},
    {"DBGBCR3_EL1",     ENC(2, 0, 0, 3, 5),    1,     1,     0,                    TRAP_TDA,   STORED(dbgbcr[3], write_dbgbcr3)},
    {"DBGBVR4_EL1",     ENC(2, 0, 0, 4, 4),    1,     1,     0,                    TRAP_TDA,   PLAIN(dbgbvr[4], DBGVR_WMASK)},
    {"DBGBCR4_EL1",     ENC(2, 0, 0, 4, 5),    1,     1,     0,                    TRAP_TDA,   STORED(dbgbcr[4], write_dbgbcr4)},
    {"DBGBVR5_EL1",     ENC(2, 0, 0, 5, 4),    1,     1,     0,                    TRAP_TDA,   PLAIN(dbgbvr[5], DBGVR_WMASK)},
    {"DBGBCR5_EL1",     ENC(2, 0, 0, 5, 5),    1,     1,     0,                    TRAP_TDA,   STORED(dbgbcr[5], write_dbgbcr5)},
    {"DBGWVR0_EL1",     ENC(2, 0, 0, 0, 6),    1,     1,     0,                    TRAP_TDA,   PLAIN(dbgwvr[0], DBGVR_WMASK)},
    {"DBGWCR0_EL1",     ENC(2, 0, 0, 0, 7),    1,     1,     0,                    TRAP_TDA,   STORED(dbgwcr[0], write_dbgwcr0)},
    {"DBGWVR1_EL1",     ENC(2, 0, 0, 1, 6),    1,     1,     0,                    TRAP_TDA,   PLAIN(dbgwvr[1], DBGVR_WMASK)},
    {"DBGWCR1_EL1",     ENC(2, 0, 0, 1, 7),    1,     1,     0,                    TRAP_TDA,   STORED(dbgwcr[1], write_dbgwcr1)},
    {"DBGWVR2_EL1",     ENC(2, 0, 0, 2, 6),    1,     1,     0,                    TRAP_TDA,   PLAIN(dbgwvr[2], DBGVR_WMASK)},
    {"DBGWCR2_EL1",     ENC(2, 0, 0, 2, 7),    1,     1,     0,                    TRAP_TDA,   STORED(dbgwcr[2], write_dbgwcr2)},
    {"DBGWVR3_EL1",     ENC(2, 0, 0, 3, 6),    1,     1,     0,                    TRAP_TDA,   PLAIN(dbgwvr[3], DBGVR_WMASK)},
    {"DBGWCR3_EL1",     ENC(2, 0, 0, 3, 7),    1,     1,     0,                    TRAP_TDA,   STORED(dbgwcr[3], write_dbgwcr3)},
    {"MDRAR_EL1",       ENC(2, 0, 1, 0, 0),    1,     NEVER, 0,                    TRAP_TDRA,  RAZ_WI},
    {"OSLAR_EL1",       ENC(2, 0, 1, 0, 4),    NEVER, 1,     0,                    TRAP_TDOSA, FUNCS(NULL, write_oslar)},
    {"OSLSR_EL1",       ENC(2, 0, 1, 1, 4),    1,     NEVER, 0,                    TRAP_TDOSA, FUNCS(read_oslsr, NULL)},
    {"OSDLR_EL1",       ENC(2, 0, 1, 3, 4),    1,     1,     0,                    TRAP_TDOSA, STORED(osdlr_el1, write_osdlr)},
    {"DBGPRCR_EL1",     ENC(2, 0, 1, 4, 4),    1,     1,     0,                    TRAP_TDOSA, STORED(dbgprcr_el1, write_dbgprcr)},

    /* -- EL2 -- */
    {"VPIDR_EL2",       ENC(3, 4, 0, 0, 0),    2,     2,     EL2_ONLY,             TRAP_NONE,  PLAIN(vpidr_el2, 0xffffffffull)},
    {"VMPIDR_EL2",      ENC(3, 4, 0, 0, 5),    2,     2,     EL2_ONLY,             TRAP_NONE,  STORED(vmpidr_el2, write_vmpidr)},
    {"SCTLR_EL2",       ENC(3, 4, 1, 0, 0),    2,     2,     EL2_ONLY | XLAT,      TRAP_NONE,  STORED(sctlr[2], write_sctlr_el2)},
    {"ACTLR_EL2",       ENC(3, 4, 1, 0, 1),    2,     2,     EL2_ONLY,             TRAP_NONE,  RAZ_WI},
    {"HCR_EL2",         ENC(3, 4, 1, 1, 0),    2,     2,     EL2_ONLY | XLAT,      TRAP_NONE,  STORED(hcr_el2, write_hcr_el2)},
    {"MDCR_EL2",        ENC(3, 4, 1, 1, 1),    2,     2,     EL2_ONLY,             TRAP_NONE,  STORED(mdcr_el2, write_mdcr_el2)},
    {"CPTR_EL2",        ENC(3, 4, 1, 1, 2),    2,     2,     EL2_ONLY,             TRAP_NONE,  STORED(cptr_el2, write_cptr_el2)},
    {"HSTR_EL2",        ENC(3, 4, 1, 1, 3),    2,     2,     EL2_ONLY,             TRAP_NONE,  PLAIN(hstr_el2, HSTR_WMASK)},
    {"HACR_EL2",        ENC(3, 4, 1, 1, 7),    2,     2,     EL2_ONLY,             TRAP_NONE,  RAZ_WI},
    {"TTBR0_EL2",       ENC(3, 4, 2, 0, 0),    2,     2,     EL2_ONLY | XLAT,      TRAP_NONE,  STORED(ttbr0[2], write_ttbr0_el2)},
    {"TTBR1_EL2",       ENC(3, 4, 2, 0, 1),    2,     2,     EL2_ONLY | SR_VHE | XLAT, TRAP_NONE, PLAIN(ttbr1[2], TTBR_WMASK)},
    {"TCR_EL2",         ENC(3, 4, 2, 0, 2),    2,     2,     EL2_ONLY | XLAT,      TRAP_NONE,  STORED(tcr[2], write_tcr_el2)},
    {"VTTBR_EL2",       ENC(3, 4, 2, 1, 0),    2,     2,     EL2_ONLY | XLAT,      TRAP_NONE,  STORED(vttbr_el2, write_vttbr_el2)},
    {"VTCR_EL2",        ENC(3, 4, 2, 1, 2),    2,     2,     EL2_ONLY | XLAT,      TRAP_NONE,  STORED(vtcr_el2, write_vtcr_el2)},
    {"SPSR_EL2",        ENC(3, 4, 4, 0, 0),    2,     2,     EL2_ONLY,             TRAP_NONE,  PLAIN(spsr[2], 0xffffffffull)},
    {"ELR_EL2",         ENC(3, 4, 4, 0, 1),    2,     2,     EL2_ONLY,             TRAP_NONE,  PLAIN(elr[2], ~0ull)},
    {"AFSR0_EL2",       ENC(3, 4, 5, 1, 0),    2,     2,     EL2_ONLY,             TRAP_NONE,  RAZ_WI},
    {"AFSR1_EL2",       ENC(3, 4, 5, 1, 1),    2,     2,     EL2_ONLY,             TRAP_NONE,  RAZ_WI},
    {"ESR_EL2",         ENC(3, 4, 5, 2, 0),    2,     2,     EL2_ONLY,             TRAP_NONE,  PLAIN(esr[2], 0xffffffffull)},
    {"FAR_EL2",         ENC(3, 4, 6, 0, 0),    2,     2,     EL2_ONLY,             TRAP_NONE,  PLAIN(far[2], ~0ull)},
    {"HPFAR_EL2",       ENC(3, 4, 6, 0, 4),    2,     2,     EL2_ONLY,             TRAP_NONE,  PLAIN(hpfar_el2, HPFAR_WMASK)},
    {"MAIR_EL2",        ENC(3, 4, 10, 2, 0),   2,     2,     EL2_ONLY | XLAT,      TRAP_NONE,  PLAIN(mair[2], ~0ull)},
    {"AMAIR_EL2",       ENC(3, 4, 10, 3, 0),   2,     2,     EL2_ONLY,             TRAP_NONE,  RAZ_WI},
    {"VBAR_EL2",        ENC(3, 4, 12, 0, 0),   2,     2,     EL2_ONLY,             TRAP_NONE,  PLAIN(vbar[2], ~0x7ffull)},
    {"CONTEXTIDR_EL2",  ENC(3, 4, 13, 0, 1),   2,     2,     EL2_ONLY | SR_VHE,    TRAP_NONE,  PLAIN(contextidr[2], 0xffffffffull)},
    {"TPIDR_EL2",       ENC(3, 4, 13, 0, 2),   2,     2,     EL2_ONLY,             TRAP_NONE,  PLAIN(tpidr_el2, ~0ull)},
    {"CNTVOFF_EL2",     ENC(3, 4, 14, 0, 3),   2,     2,     EL2_ONLY | SR_TIMER,  TRAP_NONE,  TMR(TIMER_REG_CNTVOFF)},
    /* The generic timer (timer/timer.h); EL0 and EL2 traps: cnt_trap_el(). */
    {"CNTFRQ_EL0",      ENC(3, 3, 14, 0, 0),   0,     1,     SR_TIMER,             TRAP_NONE,  TMR(TIMER_REG_CNTFRQ)},
    {"CNTPCT_EL0",      ENC(3, 3, 14, 0, 1),   0,     NEVER, SR_TIMER,             TRAP_NONE,  TMR(TIMER_REG_CNTPCT)},
    {"CNTVCT_EL0",      ENC(3, 3, 14, 0, 2),   0,     NEVER, SR_TIMER,             TRAP_NONE,  TMR(TIMER_REG_CNTVCT)},
    {"CNTP_TVAL_EL0",   ENC(3, 3, 14, 2, 0),   0,     0,     SR_TIMER | VHE_ALIAS, TRAP_NONE,  TMR_P(TVAL), TO(3, 4, 14, 2, 0)},
    {"CNTP_CTL_EL0",    ENC(3, 3, 14, 2, 1),   0,     0,     SR_TIMER | VHE_ALIAS, TRAP_NONE,  TMR_P(CTL), TO(3, 4, 14, 2, 1)},
    {"CNTP_CVAL_EL0",   ENC(3, 3, 14, 2, 2),   0,     0,     SR_TIMER | VHE_ALIAS, TRAP_NONE,  TMR_P(CVAL), TO(3, 4, 14, 2, 2)},
    {"CNTV_TVAL_EL0",   ENC(3, 3, 14, 3, 0),   0,     0,     SR_TIMER | VHE_ALIAS, TRAP_NONE,  TMR_V(TVAL), TO(3, 4, 14, 3, 0)},
    {"CNTV_CTL_EL0",    ENC(3, 3, 14, 3, 1),   0,     0,     SR_TIMER | VHE_ALIAS, TRAP_NONE,  TMR_V(CTL), TO(3, 4, 14, 3, 1)},
    {"CNTV_CVAL_EL0",   ENC(3, 3, 14, 3, 2),   0,     0,     SR_TIMER | VHE_ALIAS, TRAP_NONE,  TMR_V(CVAL), TO(3, 4, 14, 3, 2)},
    {"CNTHP_TVAL_EL2",  ENC(3, 4, 14, 2, 0),   2,     2,     SR_TIMER | EL2_ONLY,  TRAP_NONE,  TMR_HP(TVAL)},
    {"CNTHP_CTL_EL2",   ENC(3, 4, 14, 2, 1),   2,     2,     SR_TIMER | EL2_ONLY,  TRAP_NONE,  TMR_HP(CTL)},
    {"CNTHP_CVAL_EL2",  ENC(3, 4, 14, 2, 2),   2,     2,     SR_TIMER | EL2_ONLY,  TRAP_NONE,  TMR_HP(CVAL)},
    {"CNTHV_TVAL_EL2",  ENC(3, 4, 14, 3, 0),   2,     2,     SR_TIMER | EL2_ONLY | SR_VHE, TRAP_NONE, TMR_HV(TVAL)},
    {"CNTHV_CTL_EL2",   ENC(3, 4, 14, 3, 1),   2,     2,     SR_TIMER | EL2_ONLY | SR_VHE, TRAP_NONE, TMR_HV(CTL)},
    {"CNTHV_CVAL_EL2",  ENC(3, 4, 14, 3, 2),   2,     2,     SR_TIMER | EL2_ONLY | SR_VHE, TRAP_NONE, TMR_HV(CVAL)},
    {"CNTP_TVAL_EL02",  ENC(3, 5, 14, 2, 0),   2,     2,     EL12,                 TRAP_NONE,  FUNCS(NULL, NULL), TO(3, 3, 14, 2, 0)},
    {"CNTP_CTL_EL02",   ENC(3, 5, 14, 2, 1),   2,     2,     EL12,                 TRAP_NONE,  FUNCS(NULL, NULL), TO(3, 3, 14, 2, 1)},
    {"CNTP_CVAL_EL02",  ENC(3, 5, 14, 2, 2),   2,     2,     EL12,                 TRAP_NONE,  FUNCS(NULL, NULL), TO(3, 3, 14, 2, 2)},
    {"CNTV_TVAL_EL02",  ENC(3, 5, 14, 3, 0),   2,     2,     EL12,                 TRAP_NONE,  FUNCS(NULL, NULL), TO(3, 3, 14, 3, 0)},
    {"CNTV_CTL_EL02",   ENC(3, 5, 14, 3, 1),   2,     2,     EL12,                 TRAP_NONE,  FUNCS(NULL, NULL), TO(3, 3, 14, 3, 1)},
    {"CNTV_CVAL_EL02",  ENC(3, 5, 14, 3, 2),   2,     2,     EL12,                 TRAP_NONE,  FUNCS(NULL, NULL), TO(3, 3, 14, 3, 2)},
    {"CNTHCTL_EL2",     ENC(3, 4, 14, 1, 0),   2,     2,     EL2_ONLY,             TRAP_NONE,  STORED(cnthctl_el2, write_cnthctl_el2)},

    /* -- FEAT_VHE: the EL1 registers from EL2 with E2H = 1 -- */
    {"SCTLR_EL12",      ENC(3, 5, 1, 0, 0),    2,     2,     EL12,                 TRAP_NONE,  FUNCS(NULL, NULL), TO(3, 0, 1, 0, 0)},
    {"CPACR_EL12",      ENC(3, 5, 1, 0, 2),    2,     2,     EL12,                 TRAP_NONE,  FUNCS(NULL, NULL), TO(3, 0, 1, 0, 2)},
    {"TTBR0_EL12",      ENC(3, 5, 2, 0, 0),    2,     2,     EL12,                 TRAP_NONE,  FUNCS(NULL, NULL), TO(3, 0, 2, 0, 0)},
    {"TTBR1_EL12",      ENC(3, 5, 2, 0, 1),    2,     2,     EL12,                 TRAP_NONE,  FUNCS(NULL, NULL), TO(3, 0, 2, 0, 1)},
    {"TCR_EL12",        ENC(3, 5, 2, 0, 2),    2,     2,     EL12,                 TRAP_NONE,  FUNCS(NULL, NULL), TO(3, 0, 2, 0, 2)},
    {"SPSR_EL12",       ENC(3, 5, 4, 0, 0),    2,     2,     EL12,                 TRAP_NONE,  FUNCS(NULL, NULL), TO(3, 0, 4, 0, 0)},
    {"ELR_EL12",        ENC(3, 5, 4, 0, 1),    2,     2,     EL12,                 TRAP_NONE,  FUNCS(NULL, NULL), TO(3, 0, 4, 0, 1)},
    {"AFSR0_EL12",      ENC(3, 5, 5, 1, 0),    2,     2,     EL12,                 TRAP_NONE,  FUNCS(NULL, NULL), TO(3, 0, 5, 1, 0)},
    {"AFSR1_EL12",      ENC(3, 5, 5, 1, 1),    2,     2,     EL12,                 TRAP_NONE,  FUNCS(NULL, NULL), TO(3, 0, 5, 1, 1)},
    {"ESR_EL12",        ENC(3, 5, 5, 2, 0),    2,     2,     EL12,                 TRAP_NONE,  FUNCS(NULL, NULL), TO(3, 0, 5, 2, 0)},
    {"FAR_EL12",        ENC(3, 5, 6, 0, 0),    2,     2,     EL12,                 TRAP_NONE,  FUNCS(NULL, NULL), TO(3, 0, 6, 0, 0)},
    {"MAIR_EL12",       ENC(3, 5, 10, 2, 0),   2,     2,     EL12,                 TRAP_NONE,  FUNCS(NULL, NULL), TO(3, 0, 10, 2, 0)},
    {"AMAIR_EL12",      ENC(3, 5, 10, 3, 0),   2,     2,     EL12,                 TRAP_NONE,  FUNCS(NULL, NULL), TO(3, 0, 10, 3, 0)},
    {"VBAR_EL12",       ENC(3, 5, 12, 0, 0),   2,     2,     EL12,                 TRAP_NONE,  FUNCS(NULL, NULL), TO(3, 0, 12, 0, 0)},
    {"CONTEXTIDR_EL12", ENC(3, 5, 13, 0, 1),   2,     2,     EL12,                 TRAP_NONE,  FUNCS(NULL, NULL), TO(3, 0, 13, 0, 1)},
    {"CNTKCTL_EL12",    ENC(3, 5, 14, 1, 0),   2,     2,     EL12,                 TRAP_NONE,  FUNCS(NULL, NULL), TO(3, 0, 14, 1, 0)},
};
/* clang-format on */

#define NSYSREGS ((int)(sizeof(table) / sizeof(table[0])))

/* The encodings the architecture reserves for ID registers. */
static bool is_id_space(uint32_t enc16)
{
    return (enc16 & ~(uint32_t)0x7f) == ENC(3, 0, 0, 0, 0) && ((enc16 >> 3) & 0xf) >= 1;
}

/* The encodings reserved for IMPLEMENTATION DEFINED registers. */
static bool is_impdef_space(uint32_t enc16)
{
    unsigned crn = (enc16 >> 7) & 0xf;
    return (enc16 >> 14) == 3 && (crn == 11 || crn == 15);
}

static int find_exact(uint32_t enc)
{
    for (int i = 0; i < NSYSREGS; i++)
        if (table[i].enc == enc)
            return i;
    return -1;
}

int sysreg_find(uint32_t enc16)
{
    int i = find_exact(enc16);
    if (i < 0 && is_id_space(enc16))
        i = find_exact(RESERVED_ID);
    return i;
}

const char *sysreg_name(uint32_t enc16);
const char *sysreg_name(uint32_t enc16)
{
    int i = sysreg_find(enc16);
    return i < 0 ? NULL : table[i].name;
}

/* ---- decode and execute ---- */

/* What sysreg_decode leaves in in->imm2: the row an _EL12 or
 * VHE-redirected access reaches (bits 15:0), the lowest EL that may make
 * the access (bits 19:16), and which of check()'s per-PE tests can fail
 * for the row (GATE_*, bits 31:24). The row alone decides that the others
 * pass, so check() skips them and an access to a plain register costs a
 * compare of the EL. */
enum {
    GATE_PRESENT = 1 << 0, /* present() may refuse it */
    GATE_ALIAS = 1 << 1,   /* SR_EL12 or SR_E2H_ALIAS: may reach another row */
    GATE_TIMER = 1 << 2,   /* SR_TIMER: the CNTFRQ write check and the timer traps */
    GATE_EL0 = 1 << 3,     /* an SCTLR_ELx bit must enable EL0 accesses */
    GATE_EL2 = 1 << 4,     /* an EL2 control traps it */
    GATE_PLAIN = 1 << 5,   /* plain storage in this direction, as is the row an alias reaches */
    GATE_FP = 1 << 6,      /* SR_FP: the SIMD&FP access traps */
};

static unsigned imm2_alias(uint64_t imm2)
{
    return (unsigned)(imm2 & 0xffff);
}

static unsigned imm2_min_el(uint64_t imm2)
{
    return (unsigned)(imm2 >> 16) & 0xf;
}

static unsigned imm2_gates(uint64_t imm2)
{
    return (unsigned)(imm2 >> 24) & 0xff;
}

/* Is the access to R in this direction a plain load or store of its
 * field (no function, no hook, no ID value, no translation effect)? */
static bool plain(const struct sysreg *r, bool read)
{
    if (r->offset == NO_STORAGE || (r->flags & (SR_ID | SR_TIMER)))
        return false;
    return read ? !r->read : !r->write && !(r->flags & SR_TRANSLATION);
}

static unsigned row_gates(const struct sysreg *r)
{
    unsigned g = 0;
    if (r->flags & (SR_NEEDS_EL2 | SR_VHE | SR_PAN | SR_TIMER))
        g |= GATE_PRESENT;
    if (r->flags & (SR_E2H_ALIAS | SR_EL12))
        g |= GATE_ALIAS;
    if (r->flags & SR_TIMER)
        g |= GATE_TIMER;
    if (r->el0_enable)
        g |= GATE_EL0;
    if (r->trap != TRAP_NONE)
        g |= GATE_EL2;
    if (r->flags & SR_FP)
        g |= GATE_FP;
    return g;
}

/* in->imm: the row, SYSREG_IMPDEF for an IMPLEMENTATION DEFINED encoding,
 * or SYSREG_EXTERNAL for an op0 = 3 encoding not in the table (in->imm2
 * holds it); otherwise in->imm2: see GATE_*. */
bool sysreg_decode(struct insn *in, uint32_t raw)
{
    uint32_t enc = bits(raw, 20, 5);
    int idx = sysreg_find(enc);
    if (idx < 0) {
        if (is_impdef_space(enc)) {
            in->imm = SYSREG_IMPDEF;
            in->imm2 = 0;
            return true;
        }
        /* Another module may implement it on the PE that executes it
         * (struct cpu_sysregs): looked up then. */
        if (enc >> 14 != 3)
            return false;
        in->imm = SYSREG_EXTERNAL;
        in->imm2 = enc;
        return true;
    }
    const struct sysreg *r = &table[idx];
    bool read = bit(raw, 21);
    unsigned min_el = read ? r->read_el : r->write_el;
    if (min_el == NEVER)
        return false;
    unsigned gates = row_gates(r);
    bool simple = plain(r, read);
    in->imm = idx;
    in->imm2 = (uint64_t)min_el << 16;
    if (r->flags & (SR_E2H_ALIAS | SR_EL12)) {
        int target = find_exact(r->alias);
        assert(target >= 0); /* an alias names a row of the table */
        in->imm2 |= (uint64_t)target;
        simple = simple && plain(&table[target], read);
    }
    in->imm2 |= (uint64_t)(gates | (simple ? GATE_PLAIN : 0)) << 24;
    return true;
}

static bool present(const struct cpu *c, const struct sysreg *r)
{
    if ((r->flags & SR_NEEDS_EL2) && !c->have_el2)
        return false;
    if ((r->flags & SR_VHE) && !(c->features & CPU_FEAT_VHE))
        return false;
    if ((r->flags & SR_PAN) && !(c->features & CPU_FEAT_PAN))
        return false;
    if ((r->flags & SR_TIMER) && !c->hooks.timer_read)
        return false;
    return true;
}

/* Step 5 of the header: does an EL2 control trap this access? */
static bool el2_trap(const struct cpu *c, const struct sysreg *r, bool write)
{
    if (!el2_controls_apply(c))
        return false;
    uint64_t hcr = c->hcr_el2;
    uint64_t mdcr = c->mdcr_el2;
    /* MDCR_EL2.TDE, and HCR_EL2.TGE, make TDA, TDOSA and TDRA act as 1. */
    if ((mdcr & MDCR_TDE) || (hcr & HCR_TGE))
        mdcr |= MDCR_TDA | MDCR_TDOSA | MDCR_TDRA;
    switch ((enum sr_trap)r->trap) {
    case TRAP_NONE: return false;
    case TRAP_TVM: return hcr & (write ? HCR_TVM : HCR_TRVM);
    case TRAP_TID1: return hcr & HCR_TID1;
    case TRAP_TID2: return hcr & HCR_TID2;
    case TRAP_TID3: return hcr & HCR_TID3;
    case TRAP_TACR: return hcr & HCR_TACR;
    case TRAP_TCPAC: return c->cptr_el2 & CPTR_TCPAC;
    case TRAP_TDA: return mdcr & MDCR_TDA;
    case TRAP_TDOSA: return mdcr & MDCR_TDOSA;
    case TRAP_TDRA: return mdcr & MDCR_TDRA;
    }
    return false;
}

/* HCR_EL2.TIDCP traps EL1 accesses to the IMPLEMENTATION DEFINED space;
 * whether EL0 accesses trap too is IMPLEMENTATION DEFINED: here they do
 * not (they are UNDEFINED). */
static bool impdef_trapped(struct cpu *c, uint32_t raw)
{
    if (c->el != 1 || !el2_controls_apply(c) || !(c->hcr_el2 & HCR_TIDCP))
        return false;
    exc_sysreg_trap(c, 2, sysreg_iss(raw));
    return true;
}

/* CNTKCTL_EL1 (and CNTHCTL_EL2 with E2H = 1) EL0 enables; CNTHCTL_EL2 EL1
 * enables, in its E2H = 0 and E2H = 1 layouts (Arm ARM D11.2.2 and the
 * register pages). */
#define CNT_EL0PCTEN         BIT(0)
#define CNT_EL0VCTEN         BIT(1)
#define CNT_EL0VTEN          BIT(8)
#define CNT_EL0PTEN          BIT(9)
#define CNTHCTL_EL1PCTEN     BIT(0)
#define CNTHCTL_EL1PCEN      BIT(1)
#define CNTHCTL_E2H_EL1PCTEN BIT(10)
#define CNTHCTL_E2H_EL1PTEN  BIT(11)

static bool is_el1_ptimer(unsigned reg)
{
    return reg / 3 == TIMER_EL1_PHYS && reg < TIMER_REG_CNTFRQ;
}

static bool is_el1_vtimer(unsigned reg)
{
    return reg / 3 == TIMER_EL1_VIRT && reg < TIMER_REG_CNTFRQ;
}

/* The EL0 enable a timer register needs: CNTFRQ_EL0 needs either counter
 * enable. 0 for registers EL0 cannot reach. */
static uint64_t cnt_el0_enable(unsigned reg)
{
    if (reg == TIMER_REG_CNTFRQ)
        return CNT_EL0PCTEN | CNT_EL0VCTEN;
    if (reg == TIMER_REG_CNTPCT)
        return CNT_EL0PCTEN;
    if (reg == TIMER_REG_CNTVCT)
        return CNT_EL0VCTEN;
    if (is_el1_ptimer(reg))
        return CNT_EL0PTEN;
    if (is_el1_vtimer(reg))
        return CNT_EL0VTEN;
    return 0;
}

/* The EL2 enable for EL1 and EL0 accesses to the EL1 physical counter and
 * timer; the virtual ones have none (no FEAT_ECV). */
static uint64_t cnt_el2_enable(const struct cpu *c, unsigned reg)
{
    if (reg == TIMER_REG_CNTPCT)
        return e2h(c) ? CNTHCTL_E2H_EL1PCTEN : CNTHCTL_EL1PCTEN;
    if (is_el1_ptimer(reg))
        return e2h(c) ? CNTHCTL_E2H_EL1PTEN : CNTHCTL_EL1PCEN;
    return 0;
}

/* Where an access to a timer register traps: 0 (it does not), 1 or 2.
 * EL0 needs the CNTKCTL_EL1 enable (CNTHCTL_EL2's in the host regime,
 * where the trap goes to EL2); then EL0 and EL1 need CNTHCTL_EL2's. */
static unsigned cnt_trap_el(const struct cpu *c, unsigned reg)
{
    if (c->el == 0) {
        uint64_t ctl = in_host(c) ? c->cnthctl_el2 : c->cntkctl_el1;
        uint64_t need = cnt_el0_enable(reg);
        if (need && !(ctl & need))
            return el0_trap_target(c);
    }
    if (!el2_controls_apply(c))
        return 0;
    uint64_t need = cnt_el2_enable(c, reg);
    return need && !(c->cnthctl_el2 & need) ? 2 : 0;
}

/* CNTFRQ_EL0 is writable only at the highest implemented EL (no EL3
 * here: EL2 when it exists, else EL1); elsewhere the write is UNDEFINED. */
static bool cnt_write_undefined(const struct cpu *c, const struct sysreg *r, bool write)
{
    return write && (r->flags & SR_TIMER) && r->tmr == TIMER_REG_CNTFRQ &&
           c->el < (c->have_el2 ? 2u : 1u);
}

/* The accesses that are UNDEFINED or trapped whatever the row: the
 * IMPLEMENTATION DEFINED space. */
static const struct sysreg *__attribute__((noinline))
check_impdef(struct cpu *c, const struct insn *in)
{
    if (!impdef_trapped(c, in->raw))
        undefined(c);
    return NULL;
}

/* Step 1 for a row that may be missing on this PE (GATE_PRESENT). */
static bool __attribute__((noinline)) missing(const struct cpu *c, const struct sysreg *r)
{
    return !present(c, r);
}

/* Steps 4 and 5, and the timer's own controls, for a row whose gates say
 * one of them may apply: R, or NULL when the access trapped or was
 * UNDEFINED (the exception is taken). */
static const struct sysreg *__attribute__((noinline))
check_traps(struct cpu *c, const struct insn *in, const struct sysreg *r, bool write)
{
    unsigned gates = imm2_gates(in->imm2);
    /* FPCR and FPSR: AArch64.CheckFPAdvSIMDEnabled, as for an instruction. */
    if ((gates & GATE_FP) && !fp_enabled(c))
        return NULL;
    if (gates & GATE_TIMER) {
        if (cnt_write_undefined(c, r, write)) {
            undefined(c);
            return NULL;
        }
        unsigned to = cnt_trap_el(c, r->tmr);
        if (to) {
            exc_sysreg_trap(c, to, sysreg_iss(in->raw));
            return NULL;
        }
    }
    if ((gates & GATE_EL0) && c->el == 0 && !(el0_sctlr(c) & BIT(r->el0_enable))) {
        exc_sysreg_trap(c, el0_trap_target(c), sysreg_iss(in->raw));
        return NULL;
    }
    if ((gates & GATE_EL2) && el2_trap(c, r, write)) {
        exc_sysreg_trap(c, 2, sysreg_iss(in->raw));
        return NULL;
    }
    return r;
}

/* Steps 1-5 of the header. Returns the row the access reaches, or NULL
 * when it was UNDEFINED or trapped (the exception is taken). Inline, with
 * the tests the row's gates ask for out of line. */
static inline const struct sysreg *check(struct cpu *c, const struct insn *in, bool write)
{
    if (in->imm == SYSREG_IMPDEF)
        return check_impdef(c, in);
    const struct sysreg *r = &table[in->imm];
    unsigned gates = imm2_gates(in->imm2);
    if ((gates & GATE_PRESENT) && missing(c, r)) {
        undefined(c);
        return NULL;
    }
    if (gates & GATE_ALIAS) {
        bool redirected = c->el == 2 && e2h(c);
        if (redirected)
            return &table[imm2_alias(in->imm2)];
        if (r->flags & SR_EL12) {
            undefined(c);
            return NULL;
        }
    }
    if (c->el < imm2_min_el(in->imm2)) {
        undefined(c);
        return NULL;
    }
    if (gates & (GATE_TIMER | GATE_EL0 | GATE_EL2 | GATE_FP))
        return check_traps(c, in, r, write);
    return r;
}

/* The timer register an access reaches. In the EL2&0 host regime, EL0's
 * EL1 timer names reach the EL2 timers, and the virtual count has no
 * offset there nor at EL2 with E2H = 1. */
static unsigned timer_reg_of(const struct cpu *c, const struct sysreg *r)
{
    unsigned reg = r->tmr;
    bool host_el0 = c->el == 0 && in_host(c);
    if (host_el0 && (is_el1_ptimer(reg) || is_el1_vtimer(reg)))
        return reg + 3 * (TIMER_EL2_PHYS - TIMER_EL1_PHYS);
    if (reg == TIMER_REG_CNTVCT && (host_el0 || (c->el == 2 && e2h(c))))
        return TIMER_REG_CNTPCT;
    return reg;
}

static uint64_t *storage(struct cpu *c, const struct sysreg *r)
{
    return (uint64_t *)((char *)c + r->offset);
}

/* The row a plain access (GATE_PLAIN, no gate but GATE_ALIAS) reaches at
 * an EL it is allowed at: the step 2 redirection is the only check left. */
static const struct sysreg *plain_row(const struct cpu *c, const struct insn *in)
{
    if ((imm2_gates(in->imm2) & GATE_ALIAS) && c->el == 2 && e2h(c))
        return &table[imm2_alias(in->imm2)];
    return &table[in->imm];
}

/* Can IN be done as a plain access at the PE's EL? */
static bool plain_now(const struct cpu *c, const struct insn *in)
{
    return (imm2_gates(in->imm2) & ~GATE_ALIAS) == GATE_PLAIN && c->el >= imm2_min_el(in->imm2);
}

/* ---- registers other modules implement (struct cpu_sysregs) ---- */

/* The row for IN's encoding in the PE's registered table, or NULL. The
 * row found is remembered in the decoded instruction (in->imm2 bits 63:32,
 * row + 1), checked before use: a PE with another table, or none, finds
 * its own. */
static const struct cpu_sysreg_desc *external_row(const struct cpu *c, const struct insn *in)
{
    const struct cpu_sysreg_desc *rows = c->hooks.sysregs.rows;
    uint32_t enc = (uint32_t)in->imm2 & 0xffff;
    size_t hint = (size_t)(in->imm2 >> 32);
    if (hint && hint <= c->hooks.sysregs.n && rows[hint - 1].enc == enc)
        return &rows[hint - 1];
    size_t lo = 0, hi = c->hooks.sysregs.n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (rows[mid].enc == enc) {
            /* Decoded entries live in mutable blocks (insn_decode_stub). */
            ((struct insn *)in)->imm2 = enc | (uint64_t)(mid + 1) << 32;
            return &rows[mid];
        }
        if (rows[mid].enc < enc)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static struct cpu_sysreg_ctx external_ctx(const struct cpu *c)
{
    bool enabled = c->have_el2 && !(c->hcr_el2 & HCR_TGE);
    return (struct cpu_sysreg_ctx){
        .pe = c->index,
        .el = c->el,
        .el2_enabled = c->have_el2,
        .imo = enabled && (c->hcr_el2 & HCR_IMO),
        .fmo = enabled && (c->hcr_el2 & HCR_FMO),
    };
}

/* The checks of struct cpu_sysregs, in its order: the row, or NULL when
 * the access was UNDEFINED or trapped (the exception is taken). */
static const struct cpu_sysreg_desc *external_check(struct cpu *c, const struct insn *in,
                                                    const struct cpu_sysreg_ctx *ctx, bool write)
{
    const struct cpu_sysreg_desc *r = external_row(c, in);
    unsigned min_el = !r ? CPU_SYSREG_NEVER : write ? r->write_el : r->read_el;
    if (min_el == CPU_SYSREG_NEVER || c->el < min_el) {
        undefined(c);
        return NULL;
    }
    enum cpu_sysreg_access a =
        r->check ? r->check(c->hooks.sysregs.opaque, ctx, r, write) : CPU_SYSREG_OK;
    if (a == CPU_SYSREG_UNDEFINED) {
        undefined(c);
        return NULL;
    }
    if (a == CPU_SYSREG_TRAP_EL2) {
        exc_sysreg_trap(c, 2, sysreg_iss(in->raw));
        return NULL;
    }
    return r;
}

static bool __attribute__((noinline))
external_mrs(struct cpu *c, const struct insn *in, uint64_t *value)
{
    struct cpu_sysreg_ctx ctx = external_ctx(c);
    const struct cpu_sysreg_desc *r = external_check(c, in, &ctx, false);
    if (!r)
        return false;
    *value = r->read(c->hooks.sysregs.opaque, &ctx, r);
    return true;
}

static bool __attribute__((noinline))
external_msr(struct cpu *c, const struct insn *in, uint64_t value)
{
    struct cpu_sysreg_ctx ctx = external_ctx(c);
    const struct cpu_sysreg_desc *r = external_check(c, in, &ctx, true);
    if (!r)
        return false;
    r->write(c->hooks.sysregs.opaque, &ctx, r, value);
    return true;
}

static bool __attribute__((noinline))
mrs_checked(struct cpu *c, const struct insn *in, uint64_t *value)
{
    if (in->imm == SYSREG_EXTERNAL)
        return external_mrs(c, in, value);
    const struct sysreg *r = check(c, in, false);
    if (!r)
        return false;
    if (r->flags & SR_ID) {
        *value = profile_id_reg(c, r->enc);
        return true;
    }
    if (r->flags & SR_TIMER) {
        *value = c->hooks.timer_read(c->hooks.opaque, c->index, timer_reg_of(c, r), c->cycles);
        return true;
    }
    if (r->read) {
        if (r->read(c, value))
            return true;
        undefined(c);
        return false;
    }
    assert(r->offset != NO_STORAGE); /* every readable row has a way to read */
    *value = *storage(c, r);
    return true;
}

static bool __attribute__((noinline))
msr_checked(struct cpu *c, const struct insn *in, uint64_t value)
{
    if (in->imm == SYSREG_EXTERNAL)
        return external_msr(c, in, value);
    const struct sysreg *r = check(c, in, true);
    if (!r)
        return false;
    if (r->flags & SR_TIMER) {
        if (r->tmr == TIMER_REG_CNTVOFF)
            evstream_settle(c); /* the offset moves the virtual stream's edges */
        c->hooks.timer_write(c->hooks.opaque, c->index, timer_reg_of(c, r), value, c->cycles);
        return true;
    }
    if (r->write) {
        if (!r->write(c, value)) {
            undefined(c);
            return false;
        }
    } else {
        assert(r->offset != NO_STORAGE); /* every writable row has a way to write */
        *storage(c, r) = value & r->wmask;
    }
    if (r->flags & SR_TRANSLATION)
        translation_changed(c);
    return true;
}

struct sysreg_read sysreg_mrs(struct cpu *c, const struct insn *in)
{
    struct sysreg_read r = {0, true};
    if (plain_now(c, in))
        r.value = *storage(c, plain_row(c, in));
    else
        r.ok = mrs_checked(c, in, &r.value);
    return r;
}

bool sysreg_msr(struct cpu *c, const struct insn *in, uint64_t value)
{
    if (plain_now(c, in)) {
        const struct sysreg *r = plain_row(c, in);
        *storage(c, r) = value & r->wmask;
        return true;
    }
    return msr_checked(c, in, value);
}

/* ---- reset ---- */

void sysreg_reset(struct cpu *c)
{
    /* The architecture leaves most of these UNKNOWN at reset; zero (with
     * the RES1 bits set) keeps every run the same. */
    c->vpidr_el2 = profile_id_reg(c, ENC(3, 0, 0, 0, 0));
    c->vmpidr_el2 = c->mpidr;
    c->hcr_el2 |= HCR_RW;
    uint64_t span = pan_bit(c);
    c->sctlr[1] = (c->sctlr[1] & (SCTLR_EL1_WMASK | span)) | SCTLR_RES1 | (SCTLR_SPAN & ~span);
    c->sctlr[2] = (c->sctlr[2] & SCTLR_EL2_WMASK) | SCTLR_EL2_RES1;
    memset(c->tcr, 0, sizeof(c->tcr));
    memset(c->ttbr0, 0, sizeof(c->ttbr0));
    memset(c->ttbr1, 0, sizeof(c->ttbr1));
    memset(c->mair, 0, sizeof(c->mair));
    memset(c->contextidr, 0, sizeof(c->contextidr));
    c->tcr[2] = TCR_EL2_RES1;
    c->vtcr_el2 = VTCR_RES1;
    c->cptr_el2 = CPTR_RES1;
    c->vttbr_el2 = c->hpfar_el2 = c->tpidr_el2 = c->mdcr_el2 = c->hstr_el2 = 0;
    c->cnthctl_el2 = 0;
    c->par_el1 = c->cpacr_el1 = c->csselr_el1 = c->cntkctl_el1 = 0;
    c->fp.fpcr = c->fp.fpsr = 0;
    memset(c->v, 0, sizeof(c->v));
    fp_access_update(c);
    c->tpidr_el0 = c->tpidrro_el0 = c->tpidr_el1 = 0;
    c->mdscr_el1 = c->osdlr_el1 = c->dbgprcr_el1 = 0;
    memset(c->dbgbvr, 0, sizeof(c->dbgbvr));
    memset(c->dbgbcr, 0, sizeof(c->dbgbcr));
    memset(c->dbgwvr, 0, sizeof(c->dbgwvr));
    memset(c->dbgwcr, 0, sizeof(c->dbgwcr));
    for (unsigned n = 0; n < DBG_BRPS; n++)
        c->dbgbcr[n] = DBGBCR_RES1;
    /* Arm ARM D2, "The OS Lock": locked out of a cold reset, so no
     * debug exception is generated until software unlocks it. */
    c->os_lock = true;
}

/* ---- SYS and SYSL (for the cache, TLB and address translation work) ---- */

#define SYS(op1, crn, crm, op2) ENC(1, op1, crn, crm, op2)

/* The HCR_EL2 control that traps a SYS encoding. */
enum sys_trap { SYS_NONE, SYS_TSW, SYS_TPCP, SYS_TPU, SYS_TTLB, SYS_TDZ, SYS_TIDCP };

/* clang-format off */
static const struct {
    uint32_t enc;
    uint8_t trap;       /* enum sys_trap */
    uint8_t el0_enable; /* SCTLR_ELx bit that lets EL0 execute it, or 0 */
} sys_ops[] = {
    {SYS(0, 7, 1, 0),  SYS_TPU,  0},             /* IC IALLUIS */
    {SYS(0, 7, 5, 0),  SYS_TPU,  0},             /* IC IALLU */
    {SYS(3, 7, 5, 1),  SYS_TPU,  SCTLR_BIT_UCI}, /* IC IVAU */
    {SYS(0, 7, 6, 1),  SYS_TPCP, 0},             /* DC IVAC */
    {SYS(0, 7, 6, 2),  SYS_TSW,  0},             /* DC ISW */
    {SYS(0, 7, 10, 2), SYS_TSW,  0},             /* DC CSW */
    {SYS(0, 7, 14, 2), SYS_TSW,  0},             /* DC CISW */
    {SYS(3, 7, 4, 1),  SYS_TDZ,  SCTLR_BIT_DZE}, /* DC ZVA */
    {SYS(3, 7, 10, 1), SYS_TPCP, SCTLR_BIT_UCI}, /* DC CVAC */
    {SYS(3, 7, 11, 1), SYS_TPU,  SCTLR_BIT_UCI}, /* DC CVAU */
    {SYS(3, 7, 14, 1), SYS_TPCP, SCTLR_BIT_UCI}, /* DC CIVAC */
};
/* clang-format on */

static enum sys_trap sys_classify(uint32_t enc, unsigned *el0_enable)
{
    *el0_enable = 0;
    for (size_t i = 0; i < sizeof(sys_ops) / sizeof(sys_ops[0]); i++) {
        if (sys_ops[i].enc == enc) {
            *el0_enable = sys_ops[i].el0_enable;
            return (enum sys_trap)sys_ops[i].trap;
        }
    }
    unsigned op1 = (enc >> 11) & 7, crn = (enc >> 7) & 0xf;
    if (op1 == 0 && crn == 8)
        return SYS_TTLB; /* every TLBI executable at EL1 */
    if (crn == 11 || crn == 15)
        return SYS_TIDCP;
    return SYS_NONE;
}

static bool hcr_traps_sys(const struct cpu *c, enum sys_trap t)
{
    uint64_t hcr = c->hcr_el2;
    switch (t) {
    case SYS_NONE: return false;
    /* These three apply to EL1 only (the instructions are UNDEFINED at EL0,
     * or, for the IMPLEMENTATION DEFINED space, not trapped from EL0). */
    case SYS_TSW: return c->el == 1 && (hcr & HCR_TSW);
    case SYS_TTLB: return c->el == 1 && (hcr & HCR_TTLB);
    case SYS_TIDCP: return c->el == 1 && (hcr & HCR_TIDCP);
    case SYS_TPCP: return hcr & HCR_TPCP;
    case SYS_TPU: return hcr & HCR_TPU;
    case SYS_TDZ: return hcr & HCR_TDZ;
    }
    return false;
}

bool sysreg_sys_trapped(struct cpu *c, uint32_t insn)
{
    /* A SYS or SYSL word: 1101010100 L 01 op1 CRn CRm op2 Rt. */
    assert((insn & 0xffd80000u) == 0xd5080000u);
    unsigned el0_enable;
    enum sys_trap t = sys_classify(bits(insn, 20, 5), &el0_enable);
    /* The EL0 enables of SCTLR_EL1 (SCTLR_EL2 in the host regime) come
     * first: their trap has priority over the EL2 ones. */
    if (c->el == 0 && el0_enable && !(el0_sctlr(c) & BIT(el0_enable))) {
        exc_sysreg_trap(c, el0_trap_target(c), sysreg_iss(insn));
        return true;
    }
    if (!el2_controls_apply(c) || !hcr_traps_sys(c, t))
        return false;
    exc_sysreg_trap(c, 2, sysreg_iss(insn));
    return true;
}

/* ---- a debugger's view ---- */

bool cpu_debug_sysreg(const struct cpu *c, unsigned i, const char **name, uint64_t *value)
{
    unsigned k = 0;
    for (size_t n = 0; n < sizeof table / sizeof table[0]; n++) {
        const struct sysreg *r = &table[n];
        /* Side-effect free: an ID value or plain storage; not an alias
         * (_EL12), a timer or a register with its own read function. */
        bool id = r->flags & SR_ID;
        bool stored = !r->read && r->offset != NO_STORAGE && !(r->flags & SR_TIMER);
        if ((!id && !stored) || (r->flags & SR_EL12) || r->read_el == NEVER || !present(c, r))
            continue;
        if (k++ != i)
            continue;
        *name = r->name;
        *value = id ? profile_id_reg(c, r->enc) : *(const uint64_t *)((const char *)c + r->offset);
        return true;
    }
    return false;
}
