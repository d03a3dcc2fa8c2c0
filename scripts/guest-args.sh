# Sourced by the whole-run test scripts: the a64sim options each guest needs.
#
# el_args NAME: the options tests/guest/NAME needs (the exc_el2*, hyp_* and mmu_vhe* guests
# start at EL2; the 16K granule and VHE need the max profile: Cortex-A57 has neither).
el_args() {
  case $1 in
    timer_el2|vtimer_userspace_gic|timer_hyp_traps|timer_traps_simonly|evstream_simonly) echo "--el 2" ;;
    timer_vhe|timer_hv*) echo "--el 2 --cpu max" ;;
    evstream_poll|evstream_poll_lost|smp_mmu|its_movi) echo "--cpus 2" ;;
    smp_wake_race_*) echo "--cpus 2 --quantum 1" ;;
    smp_counter) echo "--cpus 4" ;;
    smp_wake_simonly) echo "--cpus 3" ;;
    psci_el) echo "--cpus 2 --el 2" ;;
    vgic_vlpi|vgic_wfi_*|vgic_vpe_*) echo "--el 2 --gic v4" ;;
    vgic_v41_*) echo "--el 2 --gic v4.1" ;;
    exc_el2*|hyp_*|vgic_*|debug_el2) echo "--el 2" ;;
    mmu_el0_16k) echo "--cpu max" ;;
    mmu_vhe*) echo "--el 2 --cpu max" ;;
    gic_ipi4) echo "--cpus 4" ;;
    gic_1ofn) echo "--cpus 2" ;;
    gic_mmio|gic_simonly) echo "--spis 224" ;; # QEMU virt's SPI count
  esac
}
# bench_args NAME TOOL: the options bench/guests/NAME.args gives TOOL (a64sim or qemu).
bench_args() { [ -f "bench/guests/$1.args" ] && sed -n "s/^$2:[[:space:]]*//p" "bench/guests/$1.args"; }
