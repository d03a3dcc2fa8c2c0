/* AArch64 address translation (VMSAv8-64, Arm ARM DDI 0487 chapter D8) as a
 * pure function of one translation regime's controls and of physical memory.
 *
 * The caller (the PE's software TLB) snapshots the controls of the regime an
 * access uses into a struct mmu_regime and asks for one VA. The module reads
 * translation table descriptors only through the read64 callback, never
 * touches PE state, and keeps no state of its own: the same inputs always
 * give the same result.
 *
 * What is modelled: stage 1 for the EL1&0, EL2 and EL2&0 regimes, stage 2
 * for EL1&0, the 4K, 16K and 64K granules, 48-bit VAs and IPAs, PAs of up to
 * 48 bits, TBI, HPD, 8/16-bit ASIDs and VMIDs, PAN, WXN, HCR_EL2.{VM,DC,PTW}.
 * Not modelled: 52-bit addresses (FEAT_LVA/LPA/LPA2), hardware Access flag
 * and dirty state updates (FEAT_HAFDBS: AF == 0 always faults), FEAT_XNX,
 * FEAT_S2FWB, FEAT_EPAN, FEAT_E0PD, big-endian descriptors (SCTLR_ELx.EE),
 * Secure state, the Contiguous bit (a hint; ignoring it is always allowed).
 * The CONSTRAINED UNPREDICTABLE choices are listed at the top of mmu.c. */
#ifndef CPU_MMU_H
#define CPU_MMU_H

#include <stdbool.h>
#include <stdint.h>

/* The kind of access being translated. */
enum mmu_access {
    MMU_READ,  /* data read */
    MMU_WRITE, /* data write */
    MMU_EXEC,  /* instruction fetch */
};

/* Physical memory for table walks: read the naturally aligned 64-bit
 * descriptor at PA into *value (little-endian). Returns false if PA is not
 * backed; the walk then reports a synchronous External abort on the walk. */
typedef bool (*mmu_read64_fn)(void *opaque, uint64_t pa, uint64_t *value);

/* The translation regimes (Arm ARM D8.1). */
enum mmu_regime_kind {
    REGIME_EL10, /* EL1&0: TTBR0/1_EL1, TCR_EL1, optionally stage 2 */
    REGIME_EL2,  /* EL2 with HCR_EL2.E2H == 0: one VA range, TCR_EL2 in its own layout */
    REGIME_EL20, /* EL2&0 (VHE, E2H == 1): TCR_EL2 in the TCR_EL1 layout, two ranges */
};

/* One regime's controls, as the PE holds them when it translates. The caller
 * resolves the HCR_EL2 overrides that select the regime: with TGE == 1 and
 * E2H == 0 it passes REGIME_EL10 with s1_enabled, s2_enabled and hcr_dc false. */
struct mmu_regime {
    enum mmu_regime_kind kind;
    bool s1_enabled;   /* SCTLR_ELx.M of the regime */
    uint64_t sctlr;    /* SCTLR_ELx of the regime: WXN (bit 19), I (bit 12) are used */
    uint64_t tcr;      /* TCR_EL1 (EL1&0) or TCR_EL2 (EL2, EL2&0) */
    uint64_t ttbr0;    /* TTBR0_ELx: table base and ASID */
    uint64_t ttbr1;    /* TTBR1_ELx (ignored for REGIME_EL2) */
    uint64_t mair;     /* MAIR_ELx: the eight attribute bytes AttrIndx selects */
    bool unprivileged; /* EL0's access, or LDTR/STTR with EL0 permissions (not for REGIME_EL2) */
    bool pan;          /* PSTATE.PAN (used by EL1&0 and EL2&0) */
    /* Stage 2 and HCR_EL2: only with REGIME_EL10 and EL2 enabled, else false/0. */
    bool s2_enabled;  /* HCR_EL2.VM */
    uint64_t vtcr;    /* VTCR_EL2: T0SZ, SL0, TG0, PS, VS */
    uint64_t vttbr;   /* VTTBR_EL2: table base and VMID (VMID is reported even with VM == 0) */
    bool hcr_ptw;     /* HCR_EL2.PTW: stage 1 walks that hit stage 2 Device memory fault */
    bool hcr_dc;      /* HCR_EL2.DC: stage 1 off, its memory Normal Write-Back, stage 2 on */
    unsigned pa_bits; /* implemented PA size (ID_AA64MMFR0_EL1.PARange): 32 to 48 */
};

/* The fault a translation reports (Alignment faults are the caller's). */
enum mmu_fault_type {
    MMU_OK,
    MMU_FAULT_ADDRESS_SIZE,  /* an address above the configured output size */
    MMU_FAULT_TRANSLATION,   /* no valid mapping */
    MMU_FAULT_ACCESS_FLAG,   /* leaf descriptor with AF == 0 */
    MMU_FAULT_PERMISSION,    /* the mapping does not allow this access */
    MMU_FAULT_EXTERNAL_WALK, /* a descriptor read that read64 refused */
};

/* The outcome of one translation. On success every field up to vmid is
 * valid; on a fault only the fault report is. */
struct mmu_result {
    uint64_t pa;        /* the physical address of the byte at VA */
    uint64_t page_mask; /* size - 1 of the naturally aligned VA block that maps
                           with this same offset, attributes and permissions: the
                           smaller of the stage 1 and stage 2 block or page sizes
                           (a stage that is off does not limit it; with both off, 4 KB) */
    uint8_t attr;       /* memory type of THIS access as a MAIR attribute byte,
                           stage 1 and stage 2 combined. Fetches and data accesses
                           can differ (stage 1 off; fetch from Device memory), so a
                           TLB keeps instruction and data entries apart */
    bool device;        /* attr is a Device type: every unaligned data access faults */
    bool readable;      /* data reads allowed at this privilege (both stages, PAN applied) */
    bool writable;      /* data writes allowed at this privilege (both stages, PAN applied) */
    bool executable;    /* instruction fetches allowed at this privilege (both stages) */
    /* size - 1 of the stage 1 block or page that maps VA: the range a TLBI by VA of
       any address in it invalidates (4 KB with stage 1 off) */
    uint64_t s1_page_mask;
    bool global;   /* nG == 0 (always true in the EL2 regime and with stage 1 off) */
    uint16_t asid; /* ASID of the regime (TCR.A1 picks the TTBR, TCR.AS the width); 0 for EL2 */
    uint16_t vmid; /* VMID from VTTBR_EL2 (VTCR_EL2.VS picks the width); 0 outside EL1&0 */
    /* The fault report, for ESR_ELx, FAR_ELx and HPFAR_EL2. */
    enum mmu_fault_type fault;
    unsigned level; /* lookup level of the fault (0 to 3); on success the stage 1 leaf level
                       (0 with stage 1 off) */
    bool stage2;    /* the fault is a stage 2 fault (taken to EL2) */
    bool s1ptw;     /* a stage 2 fault on the stage 1 table walk (ESR ISS.S1PTW) */
    uint64_t ipa;   /* the faulting IPA of a stage 2 fault (for HPFAR_EL2); on success, the IPA */
};

/* Translate VA for ACC under regime R. True: *out holds the translation.
 * False: out->fault and the fault report say why. A TLB may cache
 * readable/writable/executable (they depend on unprivileged and pan too);
 * when one denies an access, translate again with that access to get the
 * fault to report. */
bool mmu_translate(const struct mmu_regime *r, mmu_read64_fn read64, void *opaque, uint64_t va,
                   enum mmu_access acc, struct mmu_result *out);

/* The ASID and the VMID that tag the TLB entries of regime R: what a
 * successful mmu_translate reports in mmu_result.asid and .vmid. */
uint16_t mmu_asid(const struct mmu_regime *r);
uint16_t mmu_vmid(const struct mmu_regime *r);

/* The DFSC/IFSC fault status code (ESR_ELx.ISS bits 5:0) of a faulting result. */
unsigned mmu_fault_status(const struct mmu_result *res);

#endif
