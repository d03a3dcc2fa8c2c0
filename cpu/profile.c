/* CPU profiles: the identification values and the feature set of a PE.
 *
 * A profile is data: MIDR, the cache description, and the AArch64 ID
 * registers, field by field. Two rules shape every value below:
 *
 *  - advertise only what a64sim implements. FP and Advanced SIMD are
 *    implemented without half-precision arithmetic, so
 *    ID_AA64PFR0_EL1.{FP, AdvSIMD} = 0 (FEAT_FP16 would be 1); there is no
 *    AArch32 at any EL (EL0/EL1 fields = 1, the AArch32 ID registers read
 *    as zero); no EL3; EL2 only on a machine started at EL2; the GIC system
 *    register interface when the machine wires a GICv3 CPU interface to the
 *    PE (aa64_id); no PMU, trace, SVE, RAS; little-endian only (BigEnd =
 *    BigEndEL0 = 0).
 *  - a named core keeps that core's identity where it does not contradict
 *    the first rule: the a57 profile has the MIDR, caches and ID values of
 *    QEMU's cortex-a57 (Cortex-A57 r1p3 TRM), minus what is not modelled
 *    (AES, SHA, PMULL, AArch32, PMUv3, big-endian).
 *
 * Field positions are those of the Arm ARM register descriptions of each
 * ID register; docs/isa.md tabulates the result. */
#include <string.h>

#include "cpu/cpu_internal.h"

#define ENC(op0, op1, crn, crm, op2)                                                               \
    ((uint32_t)((op0) << 14 | (op1) << 11 | (crn) << 7 | (crm) << 3 | (op2)))

#define FIELD(value, shift) ((uint64_t)(value) << (shift))

/* ID_AA64PFR0_EL1 */
#define PFR0_EL0_AARCH64 FIELD(1, 0)
#define PFR0_EL1_AARCH64 FIELD(1, 4)
#define PFR0_EL2_AARCH64 FIELD(1, 8)
#define PFR0_FP          FIELD(0, 16) /* FP, without FEAT_FP16 */
#define PFR0_SIMD        FIELD(0, 20) /* AdvSIMD, without FEAT_FP16 */
/* ID_AA64DFR0_EL1: Armv8.0 debug with the Cortex-A57 TRM's comparators
 * (cpu/debug.c: DBG_BRPS, DBG_WRPS, DBG_CTX_CMPS): 6 breakpoints, 2 of
 * them context-aware, 4 watchpoints; no PMU (PMUVer = 0), no trace, no
 * SPE. */
#define DFR0_DEBUGV8     FIELD(6, 0)
#define DFR0_BRPS        FIELD(DBG_BRPS - 1, 12)
#define DFR0_WRPS        FIELD(DBG_WRPS - 1, 20)
#define DFR0_CTX_CMPS    FIELD(DBG_CTX_CMPS - 1, 28)
#define DFR0_SELF_HOSTED (DFR0_DEBUGV8 | DFR0_BRPS | DFR0_WRPS | DFR0_CTX_CMPS)
/* ID_AA64ISAR0_EL1, ID_AA64ISAR1_EL1 */
#define ISAR0_CRC32  FIELD(1, 16)
#define ISAR0_ATOMIC FIELD(2, 20)
#define ISAR1_LRCPC  FIELD(1, 20)
/* ID_AA64MMFR0_EL1: PARange (0b0100 = 44 bits, 0b0101 = 48 bits), 16-bit
 * ASIDs; TGran4 and TGran64 0 mean supported, TGran16 1 means supported. */
#define MMFR0_PA44    FIELD(4, 0)
#define MMFR0_PA48    FIELD(5, 0)
#define MMFR0_ASID16  FIELD(2, 4)
#define MMFR0_TGRAN16 FIELD(1, 20)
/* ID_AA64MMFR1_EL1 */
#define MMFR1_VMID16 FIELD(2, 4)
#define MMFR1_VH     FIELD(1, 8)
#define MMFR1_HPDS   FIELD(1, 12)
#define MMFR1_PAN    FIELD(1, 20)

struct profile_desc {
    enum cpu_profile id;
    const char *name;
    uint32_t features;
    unsigned pa_bits;
    uint64_t midr, revidr, aidr;
    uint64_t ctr, dczid, clidr;
    uint32_t ccsidr[3]; /* by CSSELR_EL1: L1 data, L1 instruction, L2 unified */
    /* The AArch64 ID registers (ID_AA64PFR0 without its EL2 field). */
    uint64_t pfr0, pfr1, dfr0, dfr1, afr0, afr1, isar0, isar1, isar2, mmfr0, mmfr1, mmfr2;
};

/* The cache description of Cortex-A57 as QEMU's cortex-a57 reports it:
 * 64-byte lines (CTR_EL0 IminLine = DminLine = 4, CWG = ERG = 4, PIPT
 * instruction cache), 32 KB L1D, 48 KB L1I, 2 MB L2 (CLIDR: L1 separate,
 * L2 unified, LoUIS = 1, LoC = 2, LoUU = 1); DC ZVA zeroes 64 bytes. Both
 * profiles use it: a cache-less model must still describe some geometry. */
#define A57_CTR   0x8444c004ull
#define A57_DCZID 0x4ull
#define A57_CLIDR 0x0a200023ull
#define A57_CCSIDR                                                                                 \
    {                                                                                              \
        0x701fe00au, 0x201fe012u, 0x70ffe07au                                                      \
    }

static const struct profile_desc profiles[] = {
    {
        .id = CPU_PROFILE_MAX,
        .name = "max",
        .features = CPU_FEAT_CRC32 | CPU_FEAT_LSE | CPU_FEAT_LRCPC | CPU_FEAT_PAN | CPU_FEAT_VHE |
                    CPU_FEAT_VMID16 | CPU_FEAT_HPDS | CPU_FEAT_TGRAN16,
        .pa_bits = 48,
        /* Implementer 0 is reserved for software use: a simulator is not a
         * part any erratum list should match. Architecture 0xF, part 0x0A6,
         * revision 4 ("A64"). */
        .midr = 0x000f0a64ull,
        .ctr = A57_CTR,
        .dczid = A57_DCZID,
        .clidr = A57_CLIDR,
        .ccsidr = A57_CCSIDR,
        .pfr0 = PFR0_EL0_AARCH64 | PFR0_EL1_AARCH64 | PFR0_FP | PFR0_SIMD,
        .dfr0 = DFR0_SELF_HOSTED,
        .isar0 = ISAR0_CRC32 | ISAR0_ATOMIC,
        .isar1 = ISAR1_LRCPC,
        .mmfr0 = MMFR0_PA48 | MMFR0_ASID16 | MMFR0_TGRAN16,
        .mmfr1 = MMFR1_VMID16 | MMFR1_VH | MMFR1_HPDS | MMFR1_PAN,
    },
    {
        .id = CPU_PROFILE_A57,
        .name = "a57",
        .features = CPU_FEAT_CRC32,
        .pa_bits = 44,
        .midr = 0x411fd073ull, /* Arm, r1p3, part 0xD07 */
        .ctr = A57_CTR,
        .dczid = A57_DCZID,
        .clidr = A57_CLIDR,
        .ccsidr = A57_CCSIDR,
        .pfr0 = PFR0_EL0_AARCH64 | PFR0_EL1_AARCH64 | PFR0_FP | PFR0_SIMD,
        .dfr0 = DFR0_SELF_HOSTED,
        .isar0 = ISAR0_CRC32,
        .mmfr0 = MMFR0_PA44 | MMFR0_ASID16,
    },
};

#define NPROFILES (sizeof(profiles) / sizeof(profiles[0]))

static const struct profile_desc *find(enum cpu_profile id)
{
    for (size_t i = 0; i < NPROFILES; i++)
        if (profiles[i].id == id)
            return &profiles[i];
    return &profiles[0];
}

bool cpu_profile_parse(const char *name, enum cpu_profile *out)
{
    if (!strcmp(name, "cortex-a57")) {
        *out = CPU_PROFILE_A57;
        return true;
    }
    for (size_t i = 0; i < NPROFILES; i++) {
        if (!strcmp(name, profiles[i].name)) {
            *out = profiles[i].id;
            return true;
        }
    }
    return false;
}

const char *cpu_profile_name(enum cpu_profile profile)
{
    return find(profile)->name;
}

void profile_apply(struct cpu *c, enum cpu_profile profile)
{
    c->profile = find(profile);
    c->features = c->profile->features;
    c->pa_bits = c->profile->pa_bits;
    c->pan_implemented = (c->features & CPU_FEAT_PAN) != 0;
}

/* The AArch64 ID registers: op0 = 3, op1 = 0, CRn = 0, CRm = 4..7. */
static uint64_t aa64_id(const struct cpu *c, unsigned crm, unsigned op2)
{
    const struct profile_desc *p = c->profile;
    switch (crm << 3 | op2) {
    case 4 << 3 | 0:
        /* GIC: the System register interface to a GIC CPU interface, as the
         * machine gives the PE one (1: GICv3/GICv4.0, 3: GICv4.1). */
        return p->pfr0 | (c->have_el2 ? PFR0_EL2_AARCH64 : 0) |
               FIELD(c->hooks.sysregs.gic_cpuif & 0xF, 24);
    case 4 << 3 | 1: return p->pfr1;
    case 5 << 3 | 0: return p->dfr0;
    case 5 << 3 | 1: return p->dfr1;
    case 5 << 3 | 4: return p->afr0;
    case 5 << 3 | 5: return p->afr1;
    case 6 << 3 | 0: return p->isar0;
    case 6 << 3 | 1: return p->isar1;
    case 6 << 3 | 2: return p->isar2;
    case 7 << 3 | 0: return p->mmfr0;
    case 7 << 3 | 1: return p->mmfr1;
    case 7 << 3 | 2: return p->mmfr2;
    default: return 0; /* reserved, and the AArch32 ID registers: RAZ */
    }
}

uint64_t profile_id_reg(const struct cpu *c, uint32_t enc16)
{
    const struct profile_desc *p = c->profile;
    unsigned crm = (enc16 >> 3) & 0xf, op2 = enc16 & 7;
    switch (enc16) {
    case ENC(3, 0, 0, 0, 0): return p->midr;
    case ENC(3, 0, 0, 0, 6): return p->revidr;
    case ENC(3, 1, 0, 0, 1): return p->clidr;
    case ENC(3, 1, 0, 0, 7): return p->aidr;
    case ENC(3, 3, 0, 0, 1): return p->ctr;
    case ENC(3, 3, 0, 0, 7): return p->dczid;
    case ENC(3, 1, 0, 0, 0):
        /* CCSIDR_EL1 of the cache CSSELR_EL1 selects (Level 3:1, InD 0);
         * a selection of a cache that does not exist reads 0 (the value
         * is UNKNOWN in the architecture). */
        return c->csselr_el1 < 3 ? p->ccsidr[c->csselr_el1] : 0;
    default: break;
    }
    if ((enc16 & ~(uint32_t)0x7f) == ENC(3, 0, 0, 0, 0) && crm >= 1)
        return aa64_id(c, crm, op2);
    return 0;
}
