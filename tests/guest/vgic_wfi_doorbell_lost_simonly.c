/*
 * vgic_wfi_doorbell_fixed.c without vgic_v4_put() in kvm_arch_vcpu_blocking
 * (seed thread 004): the host syncs the guest's ICH_VMCR_EL2, finds nothing
 * to run and blocks, but its vPE stays resident (GICR_VPENDBASER.Valid 1).
 * The device's MSI then makes vINTID 8192 pending for a resident vPE: the
 * redistributor hands it to the virtual CPU interface, which signals nothing
 * while the host runs (ICH_HCR_EL2.En 0), and a resident vPE rings no
 * doorbell. Nothing is left that can wake the PE from the host's WFI:
 * a64sim ends the run as a deadlock (exit code 1, "deadlock: every PE
 * waits"). QEMU 7.2 just hangs, so this variant runs under a64sim only; its
 * expected output is what it prints up to the hang, derived from IHI 0069
 * (a vLPI for a resident vPE goes to the vCPU interface, a doorbell only for
 * one that is not) and from the fixed variant's QEMU run.
 */
#define NO_PUT

#include "vgic_wfi_doorbell_fixed.c"
