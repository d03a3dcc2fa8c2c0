/*
 * vgic_wfi_doorbell_fixed.c without kvm_vgic_vmcr_sync() in
 * kvm_arch_vcpu_blocking (seed thread 004): the host puts the vPE with its
 * doorbell on and blocks; the device's MSI leaves vINTID 8192 in the VPT and
 * rings the doorbell, which wakes the thread. But the runnable check reads
 * the VMCR copy taken at vcpu_load, before the guest wrote ICC_PMR_EL1 and
 * ICC_IGRPEN1_EL1 (VPMR 0x00, VENG1 0; the guest's live ICH_VMCR_EL2 has
 * VPMR 0xf0, VENG1 1): by that copy the guest would not take a priority 0xa0
 * vLPI, so the host decides the vCPU is not runnable and sleeps again, for
 * good. a64sim ends the run as a deadlock (exit code 1, "deadlock: every PE
 * waits"). QEMU 7.2 just hangs, so this variant runs under a64sim only; its
 * expected output is what it prints up to the hang, derived from the fixed
 * variant's QEMU run, where the same check with the synced copy says
 * "runnable".
 */
#define STALE_VMCR

#include "vgic_wfi_doorbell_fixed.c"
