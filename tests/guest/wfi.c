/*
 * Never terminates: waits for an interrupt that cannot come. No interrupt is
 * enabled anywhere (GIC, timers, PSTATE masks untouched), so a simulator must
 * report a deadlock rather than spin.
 */
int main(void)
{
    for (;;) {
        __asm__ volatile("wfi" ::: "memory");
    }
}
