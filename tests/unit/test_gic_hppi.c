/* Unit tests for the incremental highest-priority pending interrupt
 * (gic/hppi.c), through gic/gic.h with gic/gic_internal.h for the
 * invariant check (gic_hppi_check) and the reference rescan.
 *
 * Three kinds of test:
 * - the rule the cache must keep (IHI 0069, "Interrupt prioritization"):
 *   the lowest priority value wins, equal priorities go to the lowest
 *   INTID, disabled groups and 1-of-N routing decide the candidates;
 * - the checker itself: it must see a wrong bit, a wrong cached HPPI and a
 *   state change that bypassed hppi.c, or the randomized test proves
 *   nothing;
 * - the randomized test: from a fixed seed, thousands of random register
 *   writes, inputs, acknowledges, EOIs, SGIs, routing and group changes
 *   and resets on several configurations, with the full rescan compared
 *   against the incremental state after every one. */
#include "gic/gic.h"
#include "gic/gic_internal.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Distributor offsets. */
#define GICD_CTLR       0x0000
#define GICD_SETSPI_NSR 0x0040
#define GICD_CLRSPI_NSR 0x0048
#define GICD_IGROUPR    0x0080
#define GICD_ISENABLER  0x0100
#define GICD_ISPENDR    0x0200
#define GICD_IPRIORITYR 0x0400
#define GICD_ICFGR      0x0C00
#define GICD_IROUTER    0x6000

/* Redistributor offsets: PE p's RD_base and SGI_base frames. */
#define RD_BASE(pe)     ((uint64_t)(pe)*0x20000)
#define SGI_BASE(pe)    (RD_BASE(pe) + 0x10000)
#define GICR_WAKER      0x0014
#define GICR_IGROUPR0   0x0080
#define GICR_ISENABLER0 0x0100
#define GICR_ISPENDR0   0x0200
#define GICR_IPRIORITYR 0x0400
#define GICR_ICFGR1     0x0C04

#define CTLR_ENABLE_GRP0 (1u << 0)
#define CTLR_ENABLE_GRP1 (1u << 1)
#define IROUTER_IRM      (1ull << 31)

/* The bit-per-interrupt banks, in register order from GICD/GICR 0x0080. */
#define BANK_FIRST 0x0080
#define BANK_COUNT 7

static struct gic *g;

static struct gic *new_gic(unsigned num_pes, unsigned num_spis, unsigned pri_bits)
{
    struct gic_config cfg = {.num_pes = num_pes, .num_spis = num_spis, .pri_bits = pri_bits};

    for (unsigned pe = 0; pe < num_pes; pe++)
        cfg.mpidr[pe] = pe; /* Aff0 = PE: SGI TargetList bit and IROUTER value */
    struct gic *n = gic_new(&cfg);
    ck_assert_ptr_nonnull(n);
    return n;
}

static void teardown(void)
{
    gic_free(g);
    g = NULL;
}

static void dwr(uint64_t off, unsigned size, uint64_t value)
{
    ck_assert(gicd_write(g, off, size, value));
}

static void rwr(uint64_t off, unsigned size, uint64_t value)
{
    ck_assert(gicr_write(g, off, size, value));
}

static void assert_invariant(void)
{
    char why[160] = "";

    ck_assert_msg(gic_hppi_check(g, why, sizeof why), "%s", why);
}

/* PE awake, both groups enabled in GICD_CTLR and at its CPU interface. */
static void enable_pe(unsigned pe)
{
    dwr(GICD_CTLR, 4, CTLR_ENABLE_GRP0 | CTLR_ENABLE_GRP1);
    rwr(RD_BASE(pe) + GICR_WAKER, 4, 0);
    gic_icc_write(g, pe, ICC_IGRPEN0_EL1, 1);
    gic_icc_write(g, pe, ICC_IGRPEN1_EL1, 1);
}

/* Pending, enabled, Group 1 (GROUP1) or 0, of priority PRIO. */
static void make_pending(unsigned pe, unsigned intid, bool group1, uint8_t prio)
{
    if (intid < GIC_SPI_BASE) {
        uint64_t sgi = SGI_BASE(pe);
        rwr(sgi + GICR_IPRIORITYR + intid, 1, prio);
        uint64_t v = 0;
        ck_assert(gicr_read(g, sgi + GICR_IGROUPR0, 4, &v));
        v = group1 ? v | 1u << intid : v & ~(1u << intid);
        rwr(sgi + GICR_IGROUPR0, 4, v);
        rwr(sgi + GICR_ISENABLER0, 4, 1u << intid);
        rwr(sgi + GICR_ISPENDR0, 4, 1u << intid);
        return;
    }
    uint64_t reg = 4 * (intid / 32);
    uint64_t v = 0;
    dwr(GICD_IPRIORITYR + intid, 1, prio);
    ck_assert(gicd_read(g, GICD_IGROUPR + reg, 4, &v));
    v = group1 ? v | 1u << (intid % 32) : v & ~(1u << (intid % 32));
    dwr(GICD_IGROUPR + reg, 4, v);
    dwr(GICD_ISENABLER + reg, 4, 1u << (intid % 32));
    dwr(GICD_ISPENDR + reg, 4, 1u << (intid % 32));
}

static void route_spi(unsigned intid, uint64_t irouter)
{
    dwr(GICD_IROUTER + 8 * intid, 8, irouter);
}

/* ---- The rule the incremental HPPI keeps -------------------------------- */

START_TEST(test_hppi_lowest_priority_value_wins)
{
    g = new_gic(2, 64, 5);
    enable_pe(0);
    make_pending(0, 5, true, 0xa0);
    make_pending(0, 27, true, 0x40);
    make_pending(0, 40, true, 0x80);
    ck_assert_int_eq(gic_hppi(g, 0), 27);
    assert_invariant();
}
END_TEST

START_TEST(test_hppi_equal_priorities_go_to_lowest_intid_across_words)
{
    g = new_gic(2, 96, 5);
    enable_pe(0);
    make_pending(0, 100, true, 0x80); /* INTID 100: second bitmap word */
    make_pending(0, 70, true, 0x80);
    ck_assert_int_eq(gic_hppi(g, 0), 70);
    make_pending(0, 3, false, 0x80); /* an SGI, the other group */
    ck_assert_int_eq(gic_hppi(g, 0), 3);
    assert_invariant();
}
END_TEST

START_TEST(test_hppi_priority_write_to_ready_interrupt_moves_hppi)
{
    g = new_gic(1, 32, 5);
    enable_pe(0);
    make_pending(0, 33, true, 0x80);
    make_pending(0, 34, true, 0x90);
    ck_assert_int_eq(gic_hppi(g, 0), 33);
    dwr(GICD_IPRIORITYR + 34, 1, 0x10);
    ck_assert_int_eq(gic_hppi(g, 0), 34);
    rwr(SGI_BASE(0) + GICR_IPRIORITYR + 1, 1, 0x00); /* SGI 1 is not ready: no change */
    ck_assert_int_eq(gic_hppi(g, 0), 34);
    assert_invariant();
}
END_TEST

START_TEST(test_hppi_disabled_group_does_not_hide_other_group)
{
    g = new_gic(1, 32, 5);
    enable_pe(0);
    make_pending(0, 33, false, 0x10);
    make_pending(0, 34, true, 0x80);
    ck_assert_int_eq(gic_hppi(g, 0), 33);
    gic_icc_write(g, 0, ICC_IGRPEN0_EL1, 0);
    ck_assert_int_eq(gic_hppi(g, 0), 34);
    dwr(GICD_CTLR, 4, CTLR_ENABLE_GRP0);
    gic_icc_write(g, 0, ICC_IGRPEN0_EL1, 1);
    ck_assert_int_eq(gic_hppi(g, 0), 33);
    assert_invariant();
}
END_TEST

START_TEST(test_hppi_one_of_n_spi_follows_group_enables_and_sleep)
{
    g = new_gic(3, 32, 5);
    enable_pe(0);
    enable_pe(1);
    route_spi(40, IROUTER_IRM);
    make_pending(0, 40, true, 0x80);
    ck_assert_int_eq(gic_hppi(g, 0), 40);
    ck_assert_int_eq(gic_hppi(g, 1), -1);
    gic_icc_write(g, 0, ICC_IGRPEN1_EL1, 0); /* PE 0 leaves: PE 1 gets it */
    ck_assert_int_eq(gic_hppi(g, 0), -1);
    ck_assert_int_eq(gic_hppi(g, 1), 40);
    rwr(RD_BASE(1) + GICR_WAKER, 4, 2); /* PE 1 asleep: nobody */
    ck_assert_int_eq(gic_hppi(g, 1), -1);
    assert_invariant();
}
END_TEST

START_TEST(test_hppi_irouter_write_moves_spi_between_pes)
{
    g = new_gic(2, 32, 5);
    enable_pe(0);
    enable_pe(1);
    make_pending(0, 35, true, 0x80);
    ck_assert_int_eq(gic_hppi(g, 0), 35);
    route_spi(35, 1);
    ck_assert_int_eq(gic_hppi(g, 0), -1);
    ck_assert_int_eq(gic_hppi(g, 1), 35);
    assert_invariant();
}
END_TEST

START_TEST(test_hppi_acknowledge_and_eoi_keep_cache_exact)
{
    g = new_gic(1, 32, 5);
    enable_pe(0);
    gic_icc_write(g, 0, ICC_PMR_EL1, 0xff);
    make_pending(0, 7, true, 0x40);
    make_pending(0, 40, true, 0x80);
    ck_assert_uint_eq(gic_icc_read(g, 0, ICC_IAR1_EL1), 7);
    ck_assert_int_eq(gic_hppi(g, 0), 40); /* 7 active now */
    gic_icc_write(g, 0, ICC_EOIR1_EL1, 7);
    ck_assert_int_eq(gic_hppi(g, 0), 40);
    assert_invariant();
}
END_TEST

/* PMR and the running priority decide signalling, not the HPPI. */
START_TEST(test_hppi_pmr_write_keeps_cache_valid)
{
    g = new_gic(1, 32, 5);
    enable_pe(0);
    make_pending(0, 40, true, 0x80);
    ck_assert_int_eq(gic_hppi(g, 0), 40);
    gic_icc_write(g, 0, ICC_PMR_EL1, 0x10);
    ck_assert(g->cpu[0].hppi_valid);
    ck_assert_int_eq(gic_hppi(g, 0), 40);
    assert_invariant();
}
END_TEST

/* ---- The checker sees what it is there to see --------------------------- */

START_TEST(test_hppi_check_catches_a_wrong_bit)
{
    char why[160] = "";

    g = new_gic(2, 64, 5);
    enable_pe(0);
    make_pending(0, 50, true, 0x80);
    assert_invariant();
    g->cpu[1].ready[1][0] |= 1ull << 50; /* held by two PEs */
    ck_assert(!gic_hppi_check(g, why, sizeof why));
    ck_assert_ptr_nonnull(strstr(why, "INTID 50"));
}
END_TEST

START_TEST(test_hppi_check_catches_a_stale_cache)
{
    char why[160] = "";

    g = new_gic(1, 32, 5);
    enable_pe(0);
    make_pending(0, 33, true, 0x80);
    make_pending(0, 34, true, 0x90);
    ck_assert_int_eq(gic_hppi(g, 0), 33);
    g->cpu[0].hppi = 34; /* valid, but not what a rescan gives */
    ck_assert(!gic_hppi_check(g, why, sizeof why));
    ck_assert_ptr_nonnull(strstr(why, "cached"));
}
END_TEST

/* A change that bypasses hppi.c, as a forgotten call would. */
START_TEST(test_hppi_check_catches_a_change_without_its_call)
{
    char why[160] = "";

    g = new_gic(1, 32, 5);
    enable_pe(0);
    make_pending(0, 33, true, 0x80);
    make_pending(0, 34, true, 0x90);
    ck_assert_int_eq(gic_hppi(g, 0), 33);
    g->spi[2].priority = 0x10; /* INTID 34, without gic_hppi_priority_changed */
    ck_assert(!gic_hppi_check(g, why, sizeof why));
    gic_hppi_priority_changed(g, 0, 34);
    assert_invariant();
    g->spi[1].active = true; /* INTID 33, without gic_hppi_irq_changed */
    ck_assert(!gic_hppi_check(g, why, sizeof why));
    gic_hppi_irq_changed(g, 0, 33);
    assert_invariant();
}
END_TEST

/* ---- Randomized: the rescan against the incremental state -------------- */

/* splitmix64: a fixed sequence per seed, the same on every host. */
static uint64_t rng_state;

static uint64_t rng(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static unsigned pick(unsigned n)
{
    return (unsigned)(rng() % n);
}

static unsigned num_pes, num_spis;

/* A few INTIDs, so that operations meet: SGIs, PPIs (27 the timer's), the
 * first SPIs, SPIs at the 64-bit word boundaries, the last SPI. */
static unsigned pick_intid(void)
{
    const unsigned last = GIC_SPI_BASE + num_spis - 1;
    const unsigned pool[] = {0, 1, 2, 15, 16, 27, 31, 32, 33, 34, 35, 63, 64, 65, last};
    unsigned intid = pool[pick(sizeof pool / sizeof pool[0])];
    return intid <= last ? intid : last;
}

/* A few priorities, for ties; the GIC masks the unimplemented bits. */
static uint8_t pick_priority(void)
{
    static const uint8_t prios[] = {0x00, 0x40, 0x80, 0x80, 0xa0, 0xa8, 0xff};
    return prios[pick(sizeof prios / sizeof prios[0])];
}

/* A sparse write value for a bit-per-interrupt register of INTID's word. */
static uint32_t pick_mask(unsigned intid)
{
    uint32_t v = 1u << (intid % 32);
    if (pick(3) == 0)
        v |= (uint32_t)rng() & (uint32_t)rng();
    return v;
}

static void random_bank_write(void)
{
    unsigned intid = pick_intid();
    uint64_t bank = BANK_FIRST + 0x80 * pick(BANK_COUNT);

    if (intid < GIC_SPI_BASE)
        rwr(SGI_BASE(pick(num_pes)) + bank, 4, pick_mask(intid));
    else
        dwr(bank + 4 * (intid / 32), 4, pick_mask(intid));
}

static void random_priority_write(void)
{
    unsigned intid = pick_intid();

    if (intid < GIC_SPI_BASE)
        rwr(SGI_BASE(pick(num_pes)) + GICR_IPRIORITYR + intid, 1, pick_priority());
    else
        dwr(GICD_IPRIORITYR + intid, 1, pick_priority());
}

static void random_icfgr_write(void)
{
    unsigned intid = pick_intid();
    uint32_t v = (uint32_t)rng() & 0xAAAAAAAAu;

    if (intid < GIC_SPI_BASE)
        rwr(SGI_BASE(pick(num_pes)) + GICR_ICFGR1, 4, v);
    else
        dwr(GICD_ICFGR + 4 * (intid / 16), 4, v);
}

static void random_irouter_write(void)
{
    unsigned intid = pick_intid();
    uint64_t value;

    if (intid < GIC_SPI_BASE)
        intid = GIC_SPI_BASE + intid % 4;
    switch (pick(3)) {
    case 0: value = IROUTER_IRM; break;
    case 1: value = 0xff00; break; /* no such PE */
    default: value = pick(num_pes); break;
    }
    dwr(GICD_IROUTER + 8 * intid, 8, value);
}

static void random_input(void)
{
    unsigned intid = pick_intid();

    if (intid >= GIC_SPI_BASE) {
        if (pick(3) == 0)
            dwr(pick(2) ? GICD_SETSPI_NSR : GICD_CLRSPI_NSR, 4, intid);
        else
            gic_set_spi(g, intid, pick(2));
        return;
    }
    gic_set_ppi(g, pick(num_pes), GIC_PPI_BASE + intid % 16, pick(2));
}

static void random_icc_access(void)
{
    unsigned pe = pick(num_pes);
    unsigned intid = pick_intid();

    switch (pick(12)) {
    case 0: gic_icc_read(g, pe, ICC_IAR0_EL1); break;
    case 1:
    case 2: gic_icc_read(g, pe, ICC_IAR1_EL1); break;
    case 3: gic_icc_read(g, pe, pick(2) ? ICC_HPPIR1_EL1 : ICC_HPPIR0_EL1); break;
    case 4: gic_icc_write(g, pe, ICC_EOIR0_EL1, intid); break;
    case 5: gic_icc_write(g, pe, ICC_EOIR1_EL1, intid); break;
    case 6: gic_icc_write(g, pe, ICC_DIR_EL1, intid); break;
    case 7: gic_icc_write(g, pe, ICC_CTLR_EL1, pick(2) << 1); break; /* EOImode */
    case 8: gic_icc_write(g, pe, ICC_PMR_EL1, pick_priority()); break;
    case 9: gic_icc_write(g, pe, pick(2) ? ICC_IGRPEN1_EL1 : ICC_IGRPEN0_EL1, pick(4) != 0); break;
    case 10: {
        static const enum gic_icc_reg sgi_regs[] = {ICC_SGI0R_EL1, ICC_SGI1R_EL1, ICC_ASGI1R_EL1};
        uint64_t value = (uint64_t)(intid % 16) << 24 | (rng() & 0xff);
        if (pick(4) == 0)
            value |= 1ull << 40; /* IRM: every other PE */
        gic_icc_write(g, pe, sgi_regs[pick(3)], value);
        break;
    }
    default: gic_icc_write(g, pe, ICC_AP1R0_EL1, pick(2) ? 0 : 1u << pick(32)); break;
    }
}

/* Most PEs awake with both groups enabled, as after a boot. */
static void random_boot(void)
{
    for (unsigned pe = 0; pe < num_pes; pe++) {
        if (pick(4) != 0)
            enable_pe(pe);
    }
}

static void random_config_write(void)
{
    switch (pick(4)) {
    case 0: dwr(GICD_CTLR, 4, pick(4)); break;
    case 1: rwr(RD_BASE(pick(num_pes)) + GICR_WAKER, 4, pick(2) ? 2 : 0); break;
    case 2: random_boot(); break;
    default:
        gic_reset(g);
        assert_invariant();
        random_boot();
        break;
    }
}

static void random_step(void)
{
    unsigned r = pick(100);

    if (r < 22)
        random_bank_write();
    else if (r < 32)
        random_priority_write();
    else if (r < 36)
        random_icfgr_write();
    else if (r < 42)
        random_irouter_write();
    else if (r < 62)
        random_input();
    else if (r < 97)
        random_icc_access();
    else
        random_config_write();
}

/* Configurations: PEs, SPIs (up to the 960 maximum), priority bits. */
static const unsigned random_configs[][3] = {
    {4, 96, 5}, {2, 64, 4}, {8, 128, 8}, {1, 32, 5}, {3, 960, 6}, {4, 160, 7},
};

#define RANDOM_SEEDS 24
#define RANDOM_STEPS 2000

START_TEST(test_hppi_random_operations_match_full_rescan)
{
    const unsigned *cfg = random_configs[_i % (sizeof random_configs / sizeof random_configs[0])];
    char why[160] = "";

    num_pes = cfg[0];
    num_spis = cfg[1];
    rng_state = 0x61363473696dull + (uint64_t)_i; /* seed _i */
    g = new_gic(num_pes, num_spis, cfg[2]);
    random_boot();
    for (unsigned step = 0; step < RANDOM_STEPS; step++) {
        random_step();
        if (pick(2))
            gic_hppi(g, pick(num_pes)); /* fill a cache, as gic_update would */
        ck_assert_msg(gic_hppi_check(g, why, sizeof why), "seed %d, step %u: %s", _i, step, why);
    }
}
END_TEST

static Suite *gic_hppi_suite(void)
{
    Suite *s = suite_create("gic_hppi");
    TCase *rule = tcase_create("rule");
    TCase *checker = tcase_create("checker");
    TCase *random = tcase_create("random");
    TCase *all[] = {rule, checker, random};

    for (unsigned i = 0; i < sizeof all / sizeof all[0]; i++) {
        tcase_add_checked_fixture(all[i], NULL, teardown);
        suite_add_tcase(s, all[i]);
    }
    tcase_add_test(rule, test_hppi_lowest_priority_value_wins);
    tcase_add_test(rule, test_hppi_equal_priorities_go_to_lowest_intid_across_words);
    tcase_add_test(rule, test_hppi_priority_write_to_ready_interrupt_moves_hppi);
    tcase_add_test(rule, test_hppi_disabled_group_does_not_hide_other_group);
    tcase_add_test(rule, test_hppi_one_of_n_spi_follows_group_enables_and_sleep);
    tcase_add_test(rule, test_hppi_irouter_write_moves_spi_between_pes);
    tcase_add_test(rule, test_hppi_acknowledge_and_eoi_keep_cache_exact);
    tcase_add_test(rule, test_hppi_pmr_write_keeps_cache_valid);
    tcase_add_test(checker, test_hppi_check_catches_a_wrong_bit);
    tcase_add_test(checker, test_hppi_check_catches_a_stale_cache);
    tcase_add_test(checker, test_hppi_check_catches_a_change_without_its_call);
    tcase_add_loop_test(random, test_hppi_random_operations_match_full_rescan, 0, RANDOM_SEEDS);
    tcase_set_timeout(random, 60);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(gic_hppi_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
